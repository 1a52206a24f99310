import { and, eq, inArray, isNull, or } from "drizzle-orm";
import { ROLES } from "../../../contracts/roles";
import type { Ctx } from "../../context";
import { roleAllows } from "../../authz";
import { mailMessages } from "../../mail/messages";
import { users } from "../identity/identity.schema";
import { memberships, workspaces } from "../workspaces/workspaces.schema";
import type { ChannelRow } from "./channel-records";

/**
 * Tells the people who can fix it that a channel needs reconnecting: everyone who may manage the workspace's channels,
 * and the person who connected it if they are still a member. By mail (the outbox, in each reader's language); the
 * app shows the same on every page. Written in the caller's transaction, so it goes out exactly when the status
 * change commits.
 */
export async function noticeNeedsReconnect(tx: Ctx, channel: ChannelRow, reason: string): Promise<number> {
  const managerRoles = ROLES.filter((role) => roleAllows(role, "channels.manage"));
  const readers = await tx.db
    .select({ email: users.email, name: users.name, locale: users.locale })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.workspaceId, channel.workspaceId),
        isNull(users.disabledAt),
        channel.connectedBy ? or(inArray(memberships.role, managerRoles), eq(memberships.userId, channel.connectedBy)) : inArray(memberships.role, managerRoles),
      ),
    );
  if (readers.length === 0) return 0;
  const [workspace] = await tx.db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, channel.workspaceId));
  const network = tx.services.networks.availableNetworks().find((c) => c.network === channel.network)?.displayName ?? channel.network;
  const link = `${tx.services.config.publicUrl}/settings/channels`;
  for (const reader of readers) {
    const mail = mailMessages(reader.locale).channelNeedsReconnect({ name: reader.name, workspace: workspace.name, account: `@${channel.handle}`, network, reason, link });
    await tx.services.mailer.enqueue(tx.db, { to: reader.email, workspaceId: channel.workspaceId, ...mail });
  }
  tx.afterCommit(() => tx.services.mailer.deliverSoon(tx.services.database.db));
  return readers.length;
}
