import { and, isNull, lt } from "drizzle-orm";
import type { Services } from "../../../context";
import { postMedia } from "../media.schema";

/** How long an upload waits for a post to use it. */
export const UNATTACHED_MEDIA_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes uploads that no post used within a day (a composer closed without saving). A post's own images go with the
 * post (the foreign key cascades). Runs as the system, across workspaces: nothing of anyone's post is touched.
 */
export async function unsafePruneUnattachedMedia(services: Services): Promise<number> {
  const before = new Date(services.clock().getTime() - UNATTACHED_MEDIA_TTL_MS);
  const deleted = await services.database.db.delete(postMedia).where(and(isNull(postMedia.postId), lt(postMedia.createdAt, before))).returning({ id: postMedia.id });
  return deleted.length;
}
