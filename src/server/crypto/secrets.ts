import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { AppError } from "../errors";

/** A short public name of a key (8 hex digits): which key sealed a value, without revealing anything of the key. */
export function keyIdOf(key: Buffer): string {
  return createHash("sha256").update("parapet key id\0").update(key).digest("hex").slice(0, 8);
}

/** A sealed value no configured key opens: the key it was sealed with was not given (current or previous). */
export const secretKeyUnknown = (detail: string) =>
  new AppError(
    "secret_key_unknown",
    503,
    `${detail}: it was sealed with a key this server was not given. Set PARAPET_SECRET_KEY (or the data folder's secret.key) to that key, or, while rotating keys, give it in PARAPET_PREVIOUS_SECRET_KEYS (or a line of secret.key.previous).`,
  );

/**
 * AES-256-GCM sealing of secrets at rest. `seal` always uses the current key and writes
 * "v2:" + key id + ":" + base64(iv | tag | ciphertext); `open` picks the key by its id, so values sealed with a
 * previous key (PARAPET_PREVIOUS_SECRET_KEYS, secret.key.previous) stay readable until `parapet keys rotate` re-seals
 * them. Values of the older "v1:" format (no key id) are tried with the current key, then each previous one.
 */
export class SecretBox {
  private readonly derived = new Map<string, Buffer>();
  /** The current key's id: values sealed with it start with `v2:<keyId>:`. */
  readonly keyId: string;
  /** Ids of the previous keys, in the order given. */
  readonly previousKeyIds: string[];
  private readonly keys = new Map<string, Buffer>();

  constructor(
    private readonly key: Buffer,
    previous: Buffer[] = [],
  ) {
    if (key.length !== 32) throw new Error("secret key must be 32 bytes");
    this.keyId = keyIdOf(key);
    this.keys.set(this.keyId, key);
    for (const old of previous) {
      if (old.length !== 32) throw new Error("previous secret keys must be 32 bytes each");
      const id = keyIdOf(old);
      if (!this.keys.has(id)) this.keys.set(id, old);
    }
    this.previousKeyIds = [...this.keys.keys()].slice(1);
  }

  /**
   * A key for one purpose (e.g. "audit-chain"), derived from the current server key with HKDF; the same on every
   * process. Derived keys change when the server key does: a key that must outlive a rotation is kept sealed in
   * `server_keys` (see server-keys.ts), seeded from this value.
   */
  deriveKey(purpose: string): Buffer {
    let derived = this.derived.get(purpose);
    if (!derived) {
      derived = deriveFrom(this.key, purpose);
      this.derived.set(purpose, derived);
    }
    return derived;
  }

  /** `deriveKey(purpose)` from the current key, then from each previous key (to find which one wrote old data). */
  derivedKeyCandidates(purpose: string): Buffer[] {
    return [...this.keys.values()].map((key) => deriveFrom(key, purpose));
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return `v2:${this.keyId}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
  }

  open(sealed: string): string {
    if (sealed.startsWith("v2:")) {
      const id = sealed.slice(3, 11);
      const key = this.keys.get(id);
      if (!key || sealed[11] !== ":") throw secretKeyUnknown(`A secret sealed with key ${id}`);
      return decrypt(key, sealed.slice(12));
    }
    if (sealed.startsWith("v1:")) {
      for (const key of this.keys.values()) {
        try {
          return decrypt(key, sealed.slice(3));
        } catch {
          // GCM's tag check failed: not this key; try the next one (v1 values do not say which key sealed them).
        }
      }
      throw secretKeyUnknown("A secret of the older v1 format");
    }
    throw new Error("unknown secret format");
  }

  /**
   * Which key a sealed value needs, without opening it (for v1 values, by trying the keys): "current" (already
   * sealed with the current key in the current format), "previous" (readable, but to be re-sealed), "unknown".
   */
  classify(sealed: string): "current" | "previous" | "unknown" {
    if (sealed.startsWith(this.currentPrefix)) return "current";
    if (sealed.startsWith("v2:")) return this.keys.has(sealed.slice(3, 11)) ? "previous" : "unknown";
    try {
      this.open(sealed);
      return "previous"; // a v1 value, even one the current key opens: re-sealing gives it a key id
    } catch {
      return "unknown";
    }
  }

  /** Every value sealed with the current key starts with this. */
  get currentPrefix(): string {
    return `v2:${this.keyId}:`;
  }

  /** The id a v2 value names (null for v1 values). */
  static keyIdIn(sealed: string): string | null {
    return sealed.startsWith("v2:") ? sealed.slice(3, 11) : null;
  }
}

function deriveFrom(key: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), `parapet ${purpose} v1`, 32));
}

function decrypt(key: Buffer, body: string): string {
  const raw = Buffer.from(body, "base64");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}

/** A random URL-safe token (for sessions, invitations, resets, API tokens). */
export function newToken(prefix = ""): string {
  return prefix + randomBytes(32).toString("base64url");
}

/** Tokens are stored only as their SHA-256, so a database leak does not leak usable tokens. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
