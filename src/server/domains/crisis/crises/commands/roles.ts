import { and, eq, isNull } from "drizzle-orm";
import type { CrisisRoleKey } from "../../../../../contracts/crisis-plans";
import type { CrisisStatus } from "../../../../../contracts/crises";
import { authorize } from "../../../../authz";
import { inTransaction, type Ctx } from "../../../../context";
import { notFound } from "../../../../errors";
import { memberships } from "../../../workspaces/workspaces.schema";
import { currentWorkspace } from "../../../workspaces/workspace-actor";
import { crisisRoles } from "../../crisis.schema";
import { recordCrisisEvent } from "../../timeline";
import { crisisNotOpen } from "../crises.errors";
import { loadCrisis, namesOf, presentCrisis } from "../records";
import { OPEN_STATUSES } from "../transitions";

/**
 * Gives a crisis role to a person: a hand-over when someone holds it (the old row is renounced, the new one added:
 * roles are append-only). `member` and `scribe` can be held by several people; the plan roles have one holder and
 * one backup each.
 */
export async function assignCrisisRole(ctx: Ctx, crisisId: string, input: { role: CrisisRoleKey; userId: string; isBackup?: boolean }) {
  authorize(ctx.actor, "crisis.manage");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const crisis = await loadCrisis(tx, crisisId, { forUpdate: true });
    if (!OPEN_STATUSES.includes(crisis.status as CrisisStatus)) throw crisisNotOpen();
    const [member] = await tx.db.select({ userId: memberships.userId }).from(memberships).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, input.userId)));
    if (!member) throw notFound("Member");
    const isBackup = input.isBackup ?? false;
    const now = tx.now();
    const single = input.role !== "member" && input.role !== "scribe";
    const current = await tx.db
      .select()
      .from(crisisRoles)
      .where(and(eq(crisisRoles.crisisId, crisis.id), eq(crisisRoles.role, input.role), eq(crisisRoles.isBackup, isBackup), isNull(crisisRoles.renouncedAt)));
    if (current.some((r) => r.userId === input.userId)) return presentCrisis(tx, crisis);
    const replaced = single ? current : [];
    for (const row of replaced) await tx.db.update(crisisRoles).set({ renouncedAt: now }).where(eq(crisisRoles.id, row.id));
    await tx.db.insert(crisisRoles).values({ crisisId: crisis.id, role: input.role, userId: input.userId, isBackup, assumedAt: now });
    const names = await namesOf(tx, [input.userId, ...replaced.map((r) => r.userId)]);
    const from = replaced[0]?.userId ?? null;
    await recordCrisisEvent(tx, crisis.id, "role_changed", { role: input.role, isBackup, userId: input.userId, name: names.get(input.userId) ?? null, fromUserId: from, fromName: from ? (names.get(from) ?? null) : null }, { at: now });
    await tx.audit({ type: "crisis.role_assigned", data: { crisisId: crisis.id, role: input.role, userId: input.userId, isBackup, replacedUserId: from } }, { type: "crisis", id: crisis.id });
    return presentCrisis(tx, await loadCrisis(tx, crisis.id));
  });
}

/** Takes a person off a crisis role (renounced, kept in the history). */
export async function renounceCrisisRole(ctx: Ctx, crisisId: string, roleId: string) {
  authorize(ctx.actor, "crisis.manage");
  currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const crisis = await loadCrisis(tx, crisisId, { forUpdate: true });
    const [row] = await tx.db.select().from(crisisRoles).where(and(eq(crisisRoles.id, roleId), eq(crisisRoles.crisisId, crisis.id), isNull(crisisRoles.renouncedAt)));
    if (!row) throw notFound("Crisis role");
    await tx.db.update(crisisRoles).set({ renouncedAt: tx.now() }).where(eq(crisisRoles.id, row.id));
    const names = await namesOf(tx, [row.userId]);
    await recordCrisisEvent(tx, crisis.id, "role_changed", { role: row.role, isBackup: row.isBackup, userId: null, name: null, fromUserId: row.userId, fromName: names.get(row.userId) ?? null });
    await tx.audit({ type: "crisis.role_renounced", data: { crisisId: crisis.id, role: row.role, userId: row.userId, isBackup: row.isBackup } }, { type: "crisis", id: crisis.id });
    return presentCrisis(tx, await loadCrisis(tx, crisis.id));
  });
}
