import { eq } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { mailMessages } from "../../../mail/messages";
import { channels } from "../../channels/channels.schema";
import { peopleWhoMay } from "../../workspaces";
import { workspaces } from "../../workspaces/workspaces.schema";
import { textFor } from "../post-records";
import { posts, postTargets } from "../publishing.schema";

/**
 * Nothing fails silently: when a post stops on a channel (failed, or held because the channel needs reconnecting),
 * its author and the people who manage the workspace's channels are mailed, in their language, in the transaction
 * that records it.
 */
export async function noticePublishFailure(tx: Ctx, input: { postId: string; targetId: string; kind: "failed" | "held"; reason: string }): Promise<number> {
  const [row] = await tx.db
    .select({ post: posts, target: postTargets, channel: { handle: channels.handle, network: channels.network }, workspaceName: workspaces.name })
    .from(postTargets)
    .innerJoin(posts, eq(posts.id, postTargets.postId))
    .innerJoin(channels, eq(channels.id, postTargets.channelId))
    .innerJoin(workspaces, eq(workspaces.id, postTargets.workspaceId))
    .where(eq(postTargets.id, input.targetId));
  if (!row) return 0;
  const readers = await peopleWhoMay(tx.db, row.post.workspaceId, "channels.manage", row.post.authorId);
  const text = textFor(row.post, row.target);
  const excerpt = text.length > 140 ? `${text.slice(0, 140)}…` : text;
  const link = `${tx.services.config.publicUrl}/posts/${row.post.id}`;
  for (const reader of readers) {
    const mail = mailMessages(reader.locale).postNotPublished({
      name: reader.name,
      workspace: row.workspaceName,
      account: `@${row.channel.handle}`,
      network: tx.services.networks.displayNameOf(row.channel.network),
      held: input.kind === "held",
      reason: input.reason,
      excerpt,
      link,
    });
    await tx.services.mailer.enqueue(tx.db, { to: reader.email, workspaceId: row.post.workspaceId, ...mail });
  }
  if (readers.length) tx.afterCommit(() => tx.services.mailer.deliverSoon(tx.services.database.db));
  return readers.length;
}
