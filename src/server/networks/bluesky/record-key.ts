import { createHash } from "node:crypto";

/** The alphabet of AT Protocol TIDs ("base32-sortable"). */
const TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz";
/** Start of the window the derived timestamps fall in (2024-01-01); a plausible past date, never the future. */
const WINDOW_START_MICROS = 1_704_067_200_000_000n;
/** 2^45 µs ≈ 1.1 years of timestamps, times 2^10 clock ids: 55 bits taken from the hash. */
const WINDOW_BITS = 45n;

/**
 * The record key a post published with `idempotencyKey` gets: a TID (what `app.bsky.feed.post` keys must be)
 * derived from a hash of the key, so a repeat of the same publish writes to the same key and `getRecord` finds it.
 * A TID is 64 bits: a zero bit, 53 bits of microseconds, 10 bits of clock id; 13 characters of 5 bits.
 */
export function recordKeyFor(idempotencyKey: string): string {
  const digest = createHash("sha256").update(`parapet:${idempotencyKey}`).digest();
  const bits = digest.readBigUInt64BE(0);
  const micros = WINDOW_START_MICROS + (bits & ((1n << WINDOW_BITS) - 1n));
  const clockId = (bits >> WINDOW_BITS) & 0x3ffn;
  let value = (micros << 10n) | clockId;
  let key = "";
  for (let i = 0; i < 13; i++) {
    key = TID_ALPHABET[Number(value & 31n)] + key;
    value >>= 5n;
  }
  return key;
}

/** The parts of an at:// URI of a record (`at://did/collection/rkey`); null when it is not one. */
export function parseRecordUri(uri: string): { repo: string; collection: string; rkey: string } | null {
  const match = /^at:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(uri);
  return match ? { repo: match[1], collection: match[2], rkey: match[3] } : null;
}
