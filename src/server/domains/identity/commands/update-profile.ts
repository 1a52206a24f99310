import { eq } from "drizzle-orm";
import type { Locale } from "../../../../contracts/roles";
import { inTransaction, type Ctx } from "../../../context";
import { users } from "../identity.schema";
import { presentUser } from "../queries/find-user";
import { requireUser } from "../user-actor";

/** Changes the user's own name or language. */
export async function updateProfile(ctx: Ctx, input: { name?: string; locale?: Locale }) {
  const actor = requireUser(ctx);
  return inTransaction(ctx, async (tx) => {
    const [before] = await tx.db.select().from(users).where(eq(users.id, actor.userId)).for("update");
    const changes = Object.fromEntries(Object.entries(input).filter(([k, v]) => v !== undefined && before[k as keyof typeof before] !== v));
    if (Object.keys(changes).length === 0) return presentUser(before);
    const [after] = await tx.db.update(users).set(changes).where(eq(users.id, actor.userId)).returning();
    const was = Object.fromEntries(Object.keys(changes).map((k) => [k, before[k as keyof typeof before]]));
    await tx.audit({ type: "user.profile_updated", data: { userId: actor.userId, before: was, after: changes } }, { type: "user", id: actor.userId });
    return presentUser(after);
  });
}
