import { inArray } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { users } from "../../identity/identity.schema";

/** People's display names (name, else email) by id, for the room's lists. */
export async function namesOf(tx: Ctx, ids: Array<string | null | undefined>): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (!wanted.length) return new Map();
  const rows = await tx.db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name || r.email]));
}
