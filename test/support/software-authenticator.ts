import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";

/**
 * A software WebAuthn authenticator for tests: real ES256 keys (node:crypto), real authenticator data, "none"
 * attestation and real signatures, so the server's verification runs exactly as it does for a browser's
 * answer. Not a stand-in: what it produces is what a FIDO2 authenticator sends, byte for byte in layout.
 */

// ── Minimal CBOR (RFC 8949) encoding: unsigned/negative integers, byte and text strings, maps ────────────────
type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;
function head(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 256) return Buffer.from([(major << 5) | 24, length]);
  if (length < 65536) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(length, 1);
  return b;
}
function cbor(value: Cbor): Buffer {
  if (typeof value === "number") return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  const parts = [head(5, value.size)];
  for (const [k, v] of value) parts.push(cbor(k), cbor(v));
  return Buffer.concat(parts);
}

const b64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export type SoftwareCredential = { id: string; privateKey: KeyObject; publicKey: KeyObject; userHandle: string; rpId: string; counter: number };

type CreationOptions = { challenge: string; rp: { id?: string }; user: { id: string } };
type RequestOptions = { challenge: string; rpId?: string };
/** What a test may change to play a misbehaving browser or authenticator. */
type Tweaks = { origin?: string; rpId?: string; userVerified?: boolean; counter?: number; challenge?: string };

export function softwareAuthenticator(defaults: { origin: string }) {
  const credentials: SoftwareCredential[] = [];

  function authData(rpId: string, flags: number, counter: number, attested?: Buffer): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter, 0);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, ...(attested ? [attested] : [])]);
  }

  return {
    credentials,

    /** Answers `navigator.credentials.create()` options: a new discoverable ES256 credential. */
    create(options: CreationOptions, tweaks: Tweaks = {}) {
      const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
      const jwk = publicKey.export({ format: "jwk" });
      const cose = cbor(
        new Map<Cbor, Cbor>([
          [1, 2], // kty: EC2
          [3, -7], // alg: ES256
          [-1, 1], // crv: P-256
          [-2, Buffer.from(jwk.x!, "base64url")],
          [-3, Buffer.from(jwk.y!, "base64url")],
        ]),
      );
      const id = randomBytes(32);
      const idLength = Buffer.alloc(2);
      idLength.writeUInt16BE(id.length, 0);
      const rpId = tweaks.rpId ?? options.rp.id!;
      const counter = tweaks.counter ?? 0;
      const flags = FLAG_UP | FLAG_AT | (tweaks.userVerified === false ? 0 : FLAG_UV);
      const data = authData(rpId, flags, counter, Buffer.concat([Buffer.alloc(16), idLength, id, cose]));
      const clientDataJSON = JSON.stringify({ type: "webauthn.create", challenge: tweaks.challenge ?? options.challenge, origin: tweaks.origin ?? defaults.origin, crossOrigin: false });
      const credential: SoftwareCredential = { id: b64url(id), privateKey, publicKey, userHandle: options.user.id, rpId, counter };
      credentials.push(credential);
      return {
        credential,
        answer: {
          id: credential.id,
          rawId: credential.id,
          type: "public-key" as const,
          response: {
            clientDataJSON: b64url(clientDataJSON),
            attestationObject: b64url(cbor(new Map<Cbor, Cbor>([["fmt", "none"], ["attStmt", new Map()], ["authData", data]]))),
            transports: ["internal"],
          },
          authenticatorAttachment: "platform",
          clientExtensionResults: {},
        },
      };
    },

    /** Answers `navigator.credentials.get()` options with `credential` (its counter goes up by one each time). */
    get(options: RequestOptions, credential: SoftwareCredential, tweaks: Tweaks = {}) {
      credential.counter = tweaks.counter ?? credential.counter + 1;
      const flags = FLAG_UP | (tweaks.userVerified === false ? 0 : FLAG_UV);
      const data = authData(tweaks.rpId ?? options.rpId ?? credential.rpId, flags, credential.counter);
      const clientDataJSON = JSON.stringify({ type: "webauthn.get", challenge: tweaks.challenge ?? options.challenge, origin: tweaks.origin ?? defaults.origin, crossOrigin: false });
      const signature = sign("sha256", Buffer.concat([data, sha256(clientDataJSON)]), credential.privateKey);
      return {
        id: credential.id,
        rawId: credential.id,
        type: "public-key" as const,
        response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(data), signature: b64url(signature), userHandle: credential.userHandle },
        authenticatorAttachment: "platform",
        clientExtensionResults: {},
      };
    },
  };
}
