import { eq } from "drizzle-orm";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { ssoProviders } from "../sso.schema";
import { ssoNotConfigured } from "../sso.errors";
import { currentWorkspace } from "../../workspaces/workspace-actor";

/**
 * Removes the workspace's provider: SSO sign-in stops and password sign-in is back for everyone. Links of people
 * to their provider accounts stay (they are the person's, not the workspace's); sessions already open stay open.
 */
export async function removeSso(ctx: Ctx): Promise<void> {
  authorize(ctx.actor, "workspace.update");
  const { workspaceId } = currentWorkspace(ctx);
  await inTransaction(ctx, async (tx) => {
    const [removed] = await tx.db.delete(ssoProviders).where(eq(ssoProviders.workspaceId, workspaceId)).returning();
    if (!removed) throw ssoNotConfigured();
    await tx.audit({ type: "sso.removed", data: { providerId: removed.id, issuer: removed.issuer } }, { type: "workspace", id: workspaceId });
  });
}
