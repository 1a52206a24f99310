import { createCipheriv, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { KEY_FILE, PREVIOUS_KEYS_FILE, loadSecretKeys, replaceKeyFile } from "./key-files";
import { SecretBox, keyIdOf } from "./secrets";

/** A value in the format Parapet wrote before key ids ("v1:" + base64(iv | tag | ciphertext)). */
function sealV1(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
}

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? err.code : `not an AppError: ${String(err)}`;
  }
  return "no error";
};

describe("SecretBox", () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);

  it("seals with the current key and names it: v2:<key id>:…", () => {
    const box = new SecretBox(newKey, [oldKey]);
    const sealed = box.seal("totp-secret");
    expect(sealed.startsWith(`v2:${keyIdOf(newKey)}:`)).toBe(true);
    expect(box.keyId).toMatch(/^[0-9a-f]{8}$/);
    expect(sealed).not.toContain("totp-secret");
    expect(box.open(sealed)).toBe("totp-secret");
    expect(box.classify(sealed)).toBe("current");
  });

  it("opens what a previous key sealed, and a key alone cannot open what another sealed", () => {
    const before = new SecretBox(oldKey).seal("token");
    const rotated = new SecretBox(newKey, [oldKey]);
    expect(rotated.open(before)).toBe("token");
    expect(rotated.classify(before)).toBe("previous");
    expect(codeOf(() => new SecretBox(newKey).open(before))).toBe("secret_key_unknown");
    expect(codeOf(() => new SecretBox(oldKey).open(rotated.seal("token")))).toBe("secret_key_unknown");
  });

  it("still reads the older v1 format, with the current or a previous key, and counts it as to be re-sealed", () => {
    const legacy = sealV1(oldKey, "from before key ids");
    expect(new SecretBox(oldKey).open(legacy)).toBe("from before key ids");
    expect(new SecretBox(newKey, [oldKey]).open(legacy)).toBe("from before key ids");
    expect(new SecretBox(oldKey).classify(legacy)).toBe("previous");
    expect(new SecretBox(newKey).classify(legacy)).toBe("unknown");
    expect(codeOf(() => new SecretBox(newKey).open(legacy))).toBe("secret_key_unknown");
  });

  it("derives the same purpose key as before, from the current key only", () => {
    const box = new SecretBox(newKey, [oldKey]);
    expect(box.deriveKey("audit-chain").equals(new SecretBox(newKey).deriveKey("audit-chain"))).toBe(true);
    expect(box.derivedKeyCandidates("audit-chain").map((k) => k.toString("hex"))).toEqual([
      new SecretBox(newKey).deriveKey("audit-chain").toString("hex"),
      new SecretBox(oldKey).deriveKey("audit-chain").toString("hex"),
    ]);
  });
});

describe("key files", () => {
  it("replacing the key file keeps the old key as a previous key, and the new file is 0600", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "parapet-keys-"));
    try {
      const first = loadSecretKeys(undefined, [], dir);
      expect(first.previous).toEqual([]);
      const sealed = new SecretBox(first.current).seal("kept");
      const { current, replaced } = replaceKeyFile(dir);
      expect(replaced.equals(first.current)).toBe(true);
      const after = loadSecretKeys(undefined, [], dir);
      expect(after.current.equals(current)).toBe(true);
      expect(after.previous.map((k) => k.toString("base64"))).toEqual([first.current.toString("base64")]);
      expect(new SecretBox(after.current, after.previous).open(sealed)).toBe("kept");
      expect(fs.statSync(path.join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.join(dir, PREVIOUS_KEYS_FILE)).mode & 0o777).toBe(0o600);
      expect(fs.readdirSync(dir).sort()).toEqual([KEY_FILE, PREVIOUS_KEYS_FILE]);
      // A second replacement appends: both old keys stay accepted.
      replaceKeyFile(dir);
      expect(loadSecretKeys(undefined, [], dir).previous).toHaveLength(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a previous-keys file with a line that is not a key, naming the file and line", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "parapet-keys-"));
    try {
      fs.writeFileSync(path.join(dir, PREVIOUS_KEYS_FILE), `${randomBytes(32).toString("base64")}\nnot-a-key\n`);
      expect(() => loadSecretKeys(randomBytes(32).toString("base64"), [], dir)).toThrow(`${PREVIOUS_KEYS_FILE}, line 2: not a 32-byte base64 key`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
