import { desc, eq } from "drizzle-orm";
import { authorize } from "../../../authz";
import type { Ctx, Services } from "../../../context";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { presentScimToken } from "../commands/create-scim-token";
import { scimTokens } from "../scim.schema";

/** Where identity providers send SCIM requests. */
export function scimBaseUrl(services: Services): string {
  return `${services.config.publicUrl}/scim/v2`;
}

/** The base URL to give the identity provider and the workspace's SCIM tokens (newest first, revoked ones too). */
export async function getScimSettings(ctx: Ctx) {
  authorize(ctx.actor, "workspace.update");
  const { workspaceId } = currentWorkspace(ctx);
  const rows = await ctx.db.select().from(scimTokens).where(eq(scimTokens.workspaceId, workspaceId)).orderBy(desc(scimTokens.createdAt));
  return { baseUrl: scimBaseUrl(ctx.services), tokens: rows.map(presentScimToken) };
}
