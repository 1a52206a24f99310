import { and, eq, inArray, isNull } from "drizzle-orm";
import type { ChannelLevel } from "../../../../contracts/roles";
import { inTransaction, type Ctx } from "../../../context";
import { authorize } from "../../../authz";
import { invalidInput } from "../../../errors";
import { memberships, teams } from "../../workspaces/workspaces.schema";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { channelGrants, channels } from "../channels.schema";

export type AccessChange = { channelId: string; userId?: string; teamId?: string; level: ChannelLevel };

/**
 * Sets levels in the people × channels matrix, all or nothing: each change gives one person or one team a level on
 * one channel ("none" removes the grant). Only real changes are stored and audited, in one `channel_access.changed`
 * event that lists each with its level before and after.
 */
export async function setChannelAccess(ctx: Ctx, input: { changes: AccessChange[] }) {
  authorize(ctx.actor, "channels.manage");
  const { workspaceId } = currentWorkspace(ctx);
  const problems = input.changes.flatMap((change, index) => (Boolean(change.userId) === Boolean(change.teamId) ? [`Change ${index + 1}: name a person or a team, not both`] : []));
  if (problems.length) throw invalidInput({ changes: problems });

  return inTransaction(ctx, async (tx) => {
    const channelIds = [...new Set(input.changes.map((c) => c.channelId))];
    const userIds = [...new Set(input.changes.flatMap((c) => (c.userId ? [c.userId] : [])))];
    const teamIds = [...new Set(input.changes.flatMap((c) => (c.teamId ? [c.teamId] : [])))];
    const knownChannels = new Set(
      (await tx.db.select({ id: channels.id }).from(channels).where(and(eq(channels.workspaceId, workspaceId), isNull(channels.disconnectedAt), inArray(channels.id, channelIds.length ? channelIds : [workspaceId])))).map((r) => r.id),
    );
    const knownPeople = new Set(
      (await tx.db.select({ id: memberships.userId }).from(memberships).where(and(eq(memberships.workspaceId, workspaceId), inArray(memberships.userId, userIds.length ? userIds : [workspaceId])))).map((r) => r.id),
    );
    const knownTeams = new Set((await tx.db.select({ id: teams.id }).from(teams).where(and(eq(teams.workspaceId, workspaceId), inArray(teams.id, teamIds.length ? teamIds : [workspaceId])))).map((r) => r.id));
    const unknown = input.changes.flatMap((change, index) => {
      if (!knownChannels.has(change.channelId)) return [`Change ${index + 1}: no such channel in this workspace`];
      if (change.userId && !knownPeople.has(change.userId)) return [`Change ${index + 1}: no such member in this workspace`];
      if (change.teamId && !knownTeams.has(change.teamId)) return [`Change ${index + 1}: no such team in this workspace`];
      return [];
    });
    if (unknown.length) throw invalidInput({ changes: unknown });

    const existing = await tx.db.select().from(channelGrants).where(eq(channelGrants.workspaceId, workspaceId)).for("update");
    const now = tx.now();
    const grantedBy = ctx.actor.type === "user" ? ctx.actor.userId : null;
    const applied: Array<{ channelId: string; subject: { type: "user" | "team"; id: string }; from: ChannelLevel; to: ChannelLevel }> = [];
    for (const change of input.changes) {
      const subject = change.userId ? { type: "user" as const, id: change.userId } : { type: "team" as const, id: change.teamId! };
      const current = existing.find((g) => g.channelId === change.channelId && (subject.type === "user" ? g.userId === subject.id : g.teamId === subject.id));
      const from = (current?.level ?? "none") as ChannelLevel;
      if (from === change.level) continue;
      if (change.level === "none") await tx.db.delete(channelGrants).where(eq(channelGrants.id, current!.id));
      else if (current) await tx.db.update(channelGrants).set({ level: change.level, grantedBy, updatedAt: now }).where(eq(channelGrants.id, current.id));
      else {
        const [row] = await tx.db
          .insert(channelGrants)
          .values({ workspaceId, channelId: change.channelId, userId: change.userId ?? null, teamId: change.teamId ?? null, level: change.level, grantedBy, createdAt: now, updatedAt: now })
          .returning();
        existing.push(row);
      }
      if (current && change.level !== "none") current.level = change.level;
      if (current && change.level === "none") existing.splice(existing.indexOf(current), 1);
      applied.push({ channelId: change.channelId, subject, from, to: change.level });
    }
    if (applied.length) await tx.audit({ type: "channel_access.changed", data: { changes: applied } });
    return { changed: applied.length };
  });
}
