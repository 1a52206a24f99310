import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import type { SecretBox } from "./secrets";
import { serverKeys } from "./server-keys.schema";

/** Keys read once per server key holder: a stored key never changes (rotation re-seals it, same value). */
const cache = new WeakMap<SecretBox, Map<string, Buffer>>();

/**
 * The key kept in `server_keys` for `purpose`, opened with the server key. When there is none yet, `initial()` gives
 * it and it is stored sealed; two processes doing so at once both end up with the one that was stored first
 * (insert … on conflict do nothing, then read). Runs on `db`, so inside a transaction it sees that transaction's rows.
 */
export async function serverKey(db: Db, secrets: SecretBox, purpose: string, initial: () => Promise<Buffer>): Promise<Buffer> {
  let known = cache.get(secrets);
  if (!known) cache.set(secrets, (known = new Map()));
  const cached = known.get(purpose);
  if (cached) return cached;
  let [row] = await db.select().from(serverKeys).where(eq(serverKeys.purpose, purpose));
  if (!row) {
    const value = await initial();
    await db.insert(serverKeys).values({ purpose, sealed: secrets.seal(value.toString("base64")) }).onConflictDoNothing();
    [row] = await db.select().from(serverKeys).where(eq(serverKeys.purpose, purpose));
  }
  const key = Buffer.from(secrets.open(row.sealed), "base64");
  known.set(purpose, key);
  return key;
}
