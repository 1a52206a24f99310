import { and, eq, isNull } from "drizzle-orm";
import { inTransaction, type Ctx } from "../../../context";
import { authorize } from "../../../authz";
import { notFound } from "../../../errors";
import { invitations } from "../workspaces.schema";
import { currentWorkspace } from "../workspace-actor";

/** Withdraws an open invitation; its link stops working. */
export async function revokeInvitation(ctx: Ctx, input: { invitationId: string }): Promise<void> {
  authorize(ctx.actor, "members.invite");
  const { workspaceId } = currentWorkspace(ctx);
  await inTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .update(invitations)
      .set({ revokedAt: tx.now() })
      .where(and(eq(invitations.id, input.invitationId), eq(invitations.workspaceId, workspaceId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
      .returning();
    if (!row) throw notFound("Open invitation");
    await tx.audit({ type: "invitation.revoked", data: { invitationId: row.id, email: row.email } }, { type: "invitation", id: row.id });
  });
}
