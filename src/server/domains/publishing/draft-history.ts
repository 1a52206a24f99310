import { desc, eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { recordPostEvent, type PostRow } from "./post-records";
import { postEvents } from "./publishing.schema";

/** Saves of a draft by one person closer together than this show as one "edited" line in its history. */
export const DRAFT_EDITS_MERGE_MS = 10 * 60_000;

/**
 * Records an edit in the post's history. A draft saved again as a draft by the same person within 10 minutes, with
 * nothing else in between, updates their last "edited" line instead of adding one: the composer saves a draft by
 * itself as its writer types, and the history should read as what people did. The audit log keeps every save.
 */
export async function recordEdit(tx: Ctx, post: PostRow, newState: string, data: Record<string, unknown>): Promise<void> {
  if (post.state === "draft" && newState === "draft" && tx.actor.type === "user") {
    const [last] = await tx.db.select().from(postEvents).where(eq(postEvents.postId, post.id)).orderBy(desc(postEvents.id)).limit(1);
    if (last && last.type === "edited" && last.actorId === tx.actor.userId && tx.now().getTime() - last.createdAt.getTime() < DRAFT_EDITS_MERGE_MS) {
      const contentChanged = Boolean(last.data.contentChanged || data.contentChanged);
      const merged = { ...data, ...(contentChanged ? { contentChanged } : {}), fromVersion: last.data.fromVersion ?? last.data.version, saves: Number(last.data.saves ?? 1) + 1 };
      await tx.db.update(postEvents).set({ data: merged, createdAt: tx.now() }).where(eq(postEvents.id, last.id));
      return;
    }
  }
  await recordPostEvent(tx, post.id, "edited", data);
}
