import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** The server key and the keys it replaced (still accepted for opening, never for sealing). */
export type SecretKeys = { current: Buffer; previous: Buffer[] };

export const KEY_FILE = "secret.key";
/** Keys `parapet keys rotate --new-key` replaced, one base64 key per line, oldest first. */
export const PREVIOUS_KEYS_FILE = "secret.key.previous";

/**
 * The configured key (PARAPET_SECRET_KEY), or the key file in the data folder, made (mode 0600) on first use; plus
 * the previous keys: those configured (PARAPET_PREVIOUS_SECRET_KEYS) and those in `secret.key.previous`.
 */
export function loadSecretKeys(configured: string | undefined, configuredPrevious: string[], dataDir: string): SecretKeys {
  let current: Buffer;
  if (configured) current = Buffer.from(configured, "base64");
  else {
    const file = path.join(dataDir, KEY_FILE);
    if (!fs.existsSync(file)) {
      fs.mkdirSync(dataDir, { recursive: true });
      fs.writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
    }
    current = Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
  }
  const previous = [...configuredPrevious.map((k) => Buffer.from(k, "base64")), ...readPreviousKeyFile(dataDir)];
  return { current, previous: previous.filter((key) => !key.equals(current)) };
}

function readPreviousKeyFile(dataDir: string): Buffer[] {
  const file = path.join(dataDir, PREVIOUS_KEYS_FILE);
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line, i) => {
      const key = Buffer.from(line, "base64");
      if (key.length !== 32) throw new Error(`${file}, line ${i + 1}: not a 32-byte base64 key`);
      return key;
    });
}

/**
 * Replaces the key file with a new random key, keeping the old one as a previous key. The old key is appended to
 * `secret.key.previous` (and flushed) before the key file changes, and the new key file is written aside and renamed
 * over the old one: a crash at any point leaves either the old key current, or the new one with the old one kept.
 */
export function replaceKeyFile(dataDir: string): { current: Buffer; replaced: Buffer } {
  const file = path.join(dataDir, KEY_FILE);
  const replaced = Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
  if (replaced.length !== 32) throw new Error(`${file}: not a 32-byte base64 key`);
  appendDurably(path.join(dataDir, PREVIOUS_KEYS_FILE), `${replaced.toString("base64")}\n`);
  const current = randomBytes(32);
  const aside = `${file}.new-${process.pid}`;
  fs.rmSync(aside, { force: true });
  const fd = fs.openSync(aside, "wx", 0o600);
  try {
    fs.writeSync(fd, current.toString("base64"));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(aside, file);
  syncFolder(dataDir);
  return { current, replaced };
}

function appendDurably(file: string, text: string): void {
  // A line added by hand may lack its newline: never glue two keys together.
  if (fs.existsSync(file) && !/(^|\n)$/.test(fs.readFileSync(file, "utf8"))) text = `\n${text}`;
  const fd = fs.openSync(file, "a", 0o600);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes a rename in `dir` durable (where the platform allows opening a folder). */
function syncFolder(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch (err) {
    // Windows cannot open a folder for fsync; the rename itself is still atomic there.
    if ((err as NodeJS.ErrnoException).code !== "EISDIR" && (err as NodeJS.ErrnoException).code !== "EPERM") throw err;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}
