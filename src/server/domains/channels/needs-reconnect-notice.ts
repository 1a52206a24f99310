import { eq } from "drizzle-orm";
import type { Ctx } from "../../context";
import { mailMessages } from "../../mail/messages";
import { peopleWhoMay } from "../workspaces/queries/people-who-may";
import { workspaces } from "../workspaces/workspaces.schema";
import type { ChannelRow } from "./channel-records";

/**
 * Tells the people who can fix it that a channel needs reconnecting: everyone who may manage the workspace's channels,
 * and the person who connected it if they are still a member. By mail (the outbox, in each reader's language); the
 * app shows the same on every page. Written in the caller's transaction, so it goes out exactly when the status
 * change commits.
 */
export async function noticeNeedsReconnect(tx: Ctx, channel: ChannelRow, reason: string): Promise<number> {
  const readers = await peopleWhoMay(tx.db, channel.workspaceId, "channels.manage", channel.connectedBy);
  if (readers.length === 0) return 0;
  const [workspace] = await tx.db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, channel.workspaceId));
  const network = tx.services.networks.displayNameOf(channel.network);
  const link = `${tx.services.config.publicUrl}/settings/channels`;
  for (const reader of readers) {
    const mail = mailMessages(reader.locale).channelNeedsReconnect({ name: reader.name, workspace: workspace.name, account: `@${channel.handle}`, network, reason, link });
    await tx.services.mailer.enqueue(tx.db, { to: reader.email, workspaceId: channel.workspaceId, ...mail });
  }
  tx.afterCommit(() => tx.services.mailer.deliverSoon(tx.services.database.db));
  return readers.length;
}
