import { desc, eq } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { authorize } from "../../../authz";
import { invitations } from "../workspaces.schema";
import { presentInvitation } from "../commands/invite-member";
import { currentWorkspace } from "../workspace-actor";

export async function listInvitations(ctx: Ctx) {
  authorize(ctx.actor, "members.invite");
  const { workspaceId } = currentWorkspace(ctx);
  const rows = await ctx.db.select().from(invitations).where(eq(invitations.workspaceId, workspaceId)).orderBy(desc(invitations.createdAt)).limit(200);
  return rows.map((r) => presentInvitation(r, ctx.now()));
}
