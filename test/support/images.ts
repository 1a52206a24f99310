import { randomBytes } from "node:crypto";
import { deflateSync } from "node:zlib";

/**
 * Real image files made in the test, byte by byte: a PNG of any size (plain colour, or noise that does not compress,
 * to make a file as large as a test needs) and a small GIF. Decoders and browsers open them.
 */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A width × height RGB PNG: one colour, or `noise` (random pixels, about 3 bytes a pixel on disk). */
export function pngImage(width: number, height: number, options: { color?: [number, number, number]; noise?: boolean } = {}): Buffer {
  const [r, g, b] = options.color ?? [200, 120, 40];
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    if (options.noise) {
      const noisy = randomBytes(1 + width * 3);
      noisy[0] = 0;
      rows.push(noisy);
    } else rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows), { level: options.noise ? 0 : 6 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A 1 × 1 GIF. */
export const GIF_1X1 = Buffer.from("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==", "base64");
