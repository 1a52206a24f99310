import type { Role } from "../../../../contracts/roles";
import type { Ctx } from "../../../context";
import { forbidden } from "../../../errors";
import { memberships } from "../workspaces.schema";

/**
 * Adds an existing user to the current workspace without an invitation (inside the caller's transaction).
 * Only for the system actor (demo seeding, `parapet admin create`): people are otherwise added by invitation.
 */
export async function unsafeAddMemberDirectly(ctx: Ctx, input: { userId: string; role: Role; title?: string }): Promise<void> {
  if (ctx.actor.type !== "system" || !ctx.workspaceId) throw forbidden();
  await ctx.db.insert(memberships).values({ workspaceId: ctx.workspaceId, userId: input.userId, role: input.role, title: input.title ?? null, createdAt: ctx.now() }).onConflictDoNothing();
}
