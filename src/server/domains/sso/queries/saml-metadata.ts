import { eq } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { notFound } from "../../../errors";
import { workspaces } from "../../workspaces/workspaces.schema";
import { samlMetadataXml } from "../saml";

/**
 * Parapet's SAML service provider metadata for a workspace (public: an IdP imports it by URL). Served for every
 * workspace, also before SAML is set up: the admin creates the application at their IdP from it first.
 */
export async function samlMetadataOf(ctx: Ctx, workspaceId: string): Promise<string> {
  if (!/^[0-9a-f-]{36}$/i.test(workspaceId)) throw notFound("Workspace");
  const [workspace] = await ctx.db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.id, workspaceId));
  if (!workspace) throw notFound("Workspace");
  return samlMetadataXml(ctx.services, workspace.id);
}
