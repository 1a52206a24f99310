import { hash, verify } from "@node-rs/argon2";
import { invalidInput } from "../../errors";

// OWASP's argon2id baseline (19 MiB, 2 passes).
const ARGON = { algorithm: 2 /* Argon2id (a const enum upstream) */, memoryCost: 19456, timeCost: 2, parallelism: 1 };
const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$2em6kE7U6/jlpeDbdfUvEA$j7YV+0eKzyD2lRYidnZMC4Dsj7so8ygIL3DUZ+a18qc";

export const MIN_PASSWORD_LENGTH = 10;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON);
}

/** Verifies against the stored hash; with no hash, still spends the same time so unknown emails are not revealed. */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  const ok = await verify(storedHash ?? DUMMY_HASH, password).catch(() => false);
  return storedHash !== null && ok;
}

/** Throws `invalid_input` on the `password` field when a password is too weak. */
export function checkPasswordStrength(password: string, email: string, field = "password"): void {
  const problems: string[] = [];
  if (password.length < MIN_PASSWORD_LENGTH) problems.push(`Use at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.toLowerCase() === email.toLowerCase()) problems.push("Do not use your email address as password");
  if (new Set(password).size < 4) problems.push("Use more different characters");
  if (problems.length) throw invalidInput({ [field]: problems }, "Choose a stronger password");
}
