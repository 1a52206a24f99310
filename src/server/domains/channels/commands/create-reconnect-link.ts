import { desc, eq } from "drizzle-orm";
import type { Locale } from "../../../../contracts/roles";
import { inTransaction, type Ctx } from "../../../context";
import { authorize } from "../../../authz";
import { hashToken, newToken } from "../../../crypto/secrets";
import { mailMessages } from "../../../mail/messages";
import { findUserById } from "../../identity";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { workspaces } from "../../workspaces/workspaces.schema";
import { channelReconnectLinks } from "../channels.schema";
import { channelDisconnected } from "../channels.errors";
import { findChannel } from "../channel-records";
import { presentReconnectLink, RECONNECT_LINK_VALID_DAYS } from "../reconnect-links";

/** The page a reconnect link opens (in the web app, without signing in). */
export const reconnectLinkUrl = (ctx: Ctx, token: string) => `${ctx.services.config.publicUrl}/reconnect?token=${encodeURIComponent(token)}`;

/**
 * A link for the account's owner — who knows its password or holds its second factor, and may have no seat in
 * Parapet — to reconnect this one channel and do nothing else. Mailed when `email` is given (in `locale`, else the
 * sender's language), and returned to pass on another way. Valid 7 days, works once, revocable.
 */
export async function createReconnectLink(ctx: Ctx, input: { channelId: string; email?: string; locale?: Locale }) {
  authorize(ctx.actor, "channels.manage");
  const { workspaceId } = currentWorkspace(ctx);
  const email = input.email?.trim().toLowerCase() || null;
  return inTransaction(ctx, async (tx) => {
    const channel = await findChannel(tx, workspaceId, input.channelId);
    if (channel.status === "disconnected") throw channelDisconnected();
    const token = newToken();
    const now = tx.now();
    const [link] = await tx.db
      .insert(channelReconnectLinks)
      .values({
        channelId: channel.id,
        tokenHash: hashToken(token),
        sentTo: email,
        createdBy: ctx.actor.type === "user" ? ctx.actor.userId : null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + RECONNECT_LINK_VALID_DAYS * 86_400_000),
      })
      .returning();
    const url = reconnectLinkUrl(tx, token);
    if (email) {
      const sender = ctx.actor.type === "user" ? await findUserById(tx.db, ctx.actor.userId) : undefined;
      const [workspace] = await tx.db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, workspaceId));
      const network = tx.services.networks.displayNameOf(channel.network);
      const mail = mailMessages(input.locale ?? sender?.locale).reconnectRequest({
        sender: sender?.name ?? "Parapet",
        workspace: workspace.name,
        account: `@${channel.handle}`,
        network,
        link: url,
        days: RECONNECT_LINK_VALID_DAYS,
      });
      await tx.services.mailer.enqueue(tx.db, { to: email, workspaceId, ...mail });
      tx.afterCommit(() => tx.services.mailer.deliverSoon(tx.services.database.db));
    }
    await tx.audit(
      { type: "channel.reconnect_link_created", data: { channelId: channel.id, linkId: link.id, sentTo: email, expiresAt: link.expiresAt.toISOString() } },
      { type: "channel", id: channel.id },
    );
    return { link: presentReconnectLink(link, now), url };
  });
}

/** The channel's reconnect links, newest first (their tokens are not kept, so never shown again). */
export async function listReconnectLinks(ctx: Ctx, input: { channelId: string }) {
  authorize(ctx.actor, "channels.manage");
  const { workspaceId } = currentWorkspace(ctx);
  const channel = await findChannel(ctx, workspaceId, input.channelId);
  const rows = await ctx.db.select().from(channelReconnectLinks).where(eq(channelReconnectLinks.channelId, channel.id)).orderBy(desc(channelReconnectLinks.createdAt)).limit(50);
  return rows.map((row) => presentReconnectLink(row, ctx.now()));
}
