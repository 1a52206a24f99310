import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { passkeys } from "../passkeys.schema";

export type Passkey = typeof passkeys.$inferSelect;

/** A person's passkeys, oldest first. */
export async function passkeysOf(db: Db, userId: string): Promise<Passkey[]> {
  return db.select().from(passkeys).where(eq(passkeys.userId, userId)).orderBy(passkeys.createdAt);
}

/** Whether a person has at least one passkey: then it counts as their second factor. */
export async function hasPasskey(db: Db, userId: string): Promise<boolean> {
  const [row] = await db.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.userId, userId)).limit(1);
  return Boolean(row);
}

/** What the person sees of a passkey: never the key material. */
export function presentPasskey(passkey: Passkey) {
  return {
    id: passkey.id,
    name: passkey.name,
    deviceType: passkey.deviceType,
    backedUp: passkey.backedUp,
    createdAt: passkey.createdAt.toISOString(),
    lastUsedAt: passkey.lastUsedAt?.toISOString() ?? null,
  };
}
