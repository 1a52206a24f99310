import { describe, expect, it } from "vitest";
import { decodeAll, readCarBlocks, CidLink } from "./dag-cbor";
import { parseRecordUri, recordKeyFor } from "./record-key";

describe("record keys from idempotency keys", () => {
  it("are valid TIDs, the same for the same key and different for another", () => {
    const keys = Array.from({ length: 200 }, (_, i) => recordKeyFor(`post-${i}`));
    for (const key of keys) expect(key).toMatch(/^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/);
    expect(new Set(keys).size).toBe(keys.length);
    expect(recordKeyFor("post-7")).toBe(keys[7]);
  });

  it("carry a timestamp in the past, never in the future", () => {
    const alphabet = "234567abcdefghijklmnopqrstuvwxyz";
    const micros = (key: string) => [...key].reduce((value, char) => value * 32n + BigInt(alphabet.indexOf(char)), 0n) >> 10n;
    for (let i = 0; i < 50; i++) {
      const at = Number(micros(recordKeyFor(`k${i}`)) / 1000n);
      expect(at).toBeGreaterThanOrEqual(Date.parse("2024-01-01T00:00:00Z"));
      expect(at).toBeLessThan(Date.now());
    }
  });

  it("parses at:// URIs of records", () => {
    expect(parseRecordUri("at://did:plc:abc/app.bsky.feed.post/3kabc")).toEqual({ repo: "did:plc:abc", collection: "app.bsky.feed.post", rkey: "3kabc" });
    expect(parseRecordUri("https://bsky.app/profile/x")).toBeNull();
  });
});

describe("DAG-CBOR and CAR reading (the firehose's encoding)", () => {
  it("decodes maps, arrays, text, integers, booleans, null and links", () => {
    // {"a": 1, "b": [true, null, -2], "c": "hé", "d": CID(0x01 0x71 0x12 0x02 0xaa 0xbb)}
    const bytes = Uint8Array.from([
      0xa4, 0x61, 0x61, 0x01, 0x61, 0x62, 0x83, 0xf5, 0xf6, 0x21, 0x61, 0x63, 0x63, 0x68, 0xc3, 0xa9, 0x61, 0x64, 0xd8, 0x2a, 0x47, 0x00, 0x01, 0x71, 0x12,
      0x02, 0xaa, 0xbb,
    ]);
    const [value] = decodeAll(bytes) as [{ a: number; b: unknown[]; c: string; d: CidLink }];
    expect(value).toMatchObject({ a: 1, b: [true, null, -2], c: "hé" });
    expect(value.d.key).toBe("01711202aabb");
  });

  it("reads the blocks of a CAR file by CID", () => {
    const cid = [0x01, 0x71, 0x12, 0x02, 0xaa, 0xbb];
    const block = [0x61, 0x78]; // "x"
    const header = [0xa1, 0x67, ...Buffer.from("version"), 0x01];
    const car = Uint8Array.from([header.length, ...header, cid.length + block.length, ...cid, ...block]);
    const blocks = readCarBlocks(car);
    expect(decodeAll(blocks.get("01711202aabb")!)).toEqual(["x"]);
  });
});
