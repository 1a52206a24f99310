import { and, eq } from "drizzle-orm";
import { authorize } from "../../../authz";
import type { Ctx } from "../../../context";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { mediaNotFound } from "../media.errors";
import { postMedia } from "../media.schema";
import { getPost } from "./list-posts";

/**
 * An image's bytes and type, for whoever may see it: a post's image to whoever can read the post (one of its
 * channels), an upload no post uses yet only to whoever uploaded it. Anything else is not found.
 */
export async function mediaContent(ctx: Ctx, input: { mediaId: string }): Promise<{ mimeType: string; bytes: Buffer; sha256: string }> {
  authorize(ctx.actor, "posts.read");
  const { workspaceId } = currentWorkspace(ctx);
  const [row] = await ctx.db.select().from(postMedia).where(and(eq(postMedia.workspaceId, workspaceId), eq(postMedia.id, input.mediaId)));
  if (!row) throw mediaNotFound();
  if (row.postId) await getPost(ctx, { postId: row.postId });
  else if (ctx.actor.type !== "user" || ctx.actor.userId !== row.uploadedBy) throw mediaNotFound();
  return { mimeType: row.mimeType, bytes: row.bytes, sha256: row.sha256 };
}
