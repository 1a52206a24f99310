/**
 * Just enough DAG-CBOR and CAR decoding to read the firehose (`com.atproto.sync.subscribeRepos`): each frame is two
 * CBOR values (header, body); a commit's records travel as blocks of a CAR file inside the body. Links (CBOR tag
 * 42) decode to `CidLink`, compared by their bytes. Only what DAG-CBOR allows is supported (no indefinite lengths,
 * 64-bit floats only).
 */

/** A content identifier as it appears in DAG-CBOR: its binary form, and that form in hex as a map key. */
export class CidLink {
  constructor(readonly bytes: Uint8Array) {}
  get key(): string {
    return Buffer.from(this.bytes).toString("hex");
  }
}

export type CborValue = null | boolean | number | string | Uint8Array | CidLink | CborValue[] | { [key: string]: CborValue };

const textDecoder = new TextDecoder("utf-8", { fatal: true });

class Reader {
  offset = 0;
  constructor(readonly bytes: Uint8Array) {}

  byte(): number {
    if (this.offset >= this.bytes.length) throw new Error("CBOR: unexpected end of data");
    return this.bytes[this.offset++];
  }

  take(length: number): Uint8Array {
    if (this.offset + length > this.bytes.length) throw new Error("CBOR: unexpected end of data");
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  /** The argument of a head byte: the value itself (< 24) or the 1, 2, 4 or 8 bytes that follow. */
  argument(info: number): number {
    if (info < 24) return info;
    const size = { 24: 1, 25: 2, 26: 4, 27: 8 }[info];
    if (!size) throw new Error(`CBOR: unsupported additional information ${info}`);
    const slice = this.take(size);
    const view = new DataView(slice.buffer, slice.byteOffset, size);
    if (size === 1) return view.getUint8(0);
    if (size === 2) return view.getUint16(0);
    if (size === 4) return view.getUint32(0);
    return Number(view.getBigUint64(0));
  }

  value(): CborValue {
    const head = this.byte();
    const major = head >> 5;
    const info = head & 31;
    switch (major) {
      case 0:
        return this.argument(info);
      case 1:
        return -1 - this.argument(info);
      case 2:
        return this.take(this.argument(info));
      case 3:
        return textDecoder.decode(this.take(this.argument(info)));
      case 4:
        return Array.from({ length: this.argument(info) }, () => this.value());
      case 5: {
        const map: { [key: string]: CborValue } = {};
        for (let count = this.argument(info); count > 0; count--) {
          const key = this.value();
          if (typeof key !== "string") throw new Error("CBOR: DAG-CBOR map keys are strings");
          map[key] = this.value();
        }
        return map;
      }
      case 6: {
        const tag = this.argument(info);
        const content = this.value();
        // Tag 42 is a CID: a byte string whose first byte is the multibase identity prefix 0x00.
        if (tag !== 42 || !(content instanceof Uint8Array) || content[0] !== 0) throw new Error(`CBOR: unsupported tag ${tag}`);
        return new CidLink(content.subarray(1));
      }
      default:
        return this.simple(info);
    }
  }

  simple(info: number): CborValue {
    if (info === 20) return false;
    if (info === 21) return true;
    if (info === 22 || info === 23) return null;
    if (info === 27) {
      const slice = this.take(8);
      return new DataView(slice.buffer, slice.byteOffset, 8).getFloat64(0);
    }
    throw new Error(`CBOR: unsupported simple value ${info}`);
  }
}

/** Decodes every CBOR value concatenated in `bytes` (a firehose frame holds two: header and body). */
export function decodeAll(bytes: Uint8Array): CborValue[] {
  const reader = new Reader(bytes);
  const values: CborValue[] = [];
  while (reader.offset < bytes.length) values.push(reader.value());
  return values;
}

/** Reads an unsigned LEB128 varint (CAR lengths, CID fields) at `offset`; returns it and the offset after it. */
function varint(bytes: Uint8Array, offset: number): [number, number] {
  let value = 0;
  for (let shift = 0; shift < 49; shift += 7) {
    const byte = bytes[offset++];
    if (byte === undefined) throw new Error("CAR: unexpected end of data");
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, offset];
  }
  throw new Error("CAR: varint too long");
}

/** The length in bytes of the binary CID (v1: version, codec, multihash code, digest length, digest) at `offset`. */
function cidLength(bytes: Uint8Array, offset: number): number {
  let at = offset;
  [, at] = varint(bytes, at); // version
  [, at] = varint(bytes, at); // codec
  [, at] = varint(bytes, at); // multihash code
  const [digestLength, digestAt] = varint(bytes, at);
  return digestAt + digestLength - offset;
}

/** The blocks of a CAR v1 file, by the hex of their CID. */
export function readCarBlocks(car: Uint8Array): Map<string, Uint8Array> {
  const blocks = new Map<string, Uint8Array>();
  const [headerLength, headerAt] = varint(car, 0);
  let offset = headerAt + headerLength;
  while (offset < car.length) {
    const [length, at] = varint(car, offset);
    const cidBytes = cidLength(car, at);
    blocks.set(Buffer.from(car.subarray(at, at + cidBytes)).toString("hex"), car.subarray(at + cidBytes, at + length));
    offset = at + length;
  }
  return blocks;
}
