import { and, eq, gt, isNull } from "drizzle-orm";
import type { Ctx } from "../../context";
import { hashToken } from "../../crypto/secrets";
import { workspaces } from "../workspaces/workspaces.schema";
import { channelReconnectLinks, channels } from "./channels.schema";
import { reconnectLinkInvalid } from "./channels.errors";
import type { ChannelRow } from "./channel-records";

/** How long a reconnect link works. */
export const RECONNECT_LINK_VALID_DAYS = 7;

export type ReconnectLinkRow = typeof channelReconnectLinks.$inferSelect;
export type OpenReconnectLink = { link: ReconnectLinkRow; channel: ChannelRow; workspaceName: string };

/**
 * A reconnect link that still works (by its token, or by id for a flow it started): not used, revoked or expired,
 * and its channel still connected. `reconnect_link_invalid` (410) otherwise, whatever the reason, so a link's holder
 * learns nothing more.
 */
export async function openReconnectLink(ctx: Ctx, by: { token: string } | { linkId: string }): Promise<OpenReconnectLink> {
  const [row] = await ctx.db
    .select({ link: channelReconnectLinks, channel: channels, workspaceName: workspaces.name })
    .from(channelReconnectLinks)
    .innerJoin(channels, eq(channels.id, channelReconnectLinks.channelId))
    .innerJoin(workspaces, eq(workspaces.id, channels.workspaceId))
    .where(
      and(
        "token" in by ? eq(channelReconnectLinks.tokenHash, hashToken(by.token)) : eq(channelReconnectLinks.id, by.linkId),
        isNull(channelReconnectLinks.usedAt),
        isNull(channelReconnectLinks.revokedAt),
        gt(channelReconnectLinks.expiresAt, ctx.now()),
        isNull(channels.disconnectedAt),
      ),
    );
  if (!row) throw reconnectLinkInvalid();
  return row;
}

export function presentReconnectLink(row: ReconnectLinkRow, now: Date) {
  const status = row.usedAt ? "used" : row.revokedAt ? "revoked" : row.expiresAt <= now ? "expired" : "open";
  return {
    id: row.id,
    channelId: row.channelId,
    sentTo: row.sentTo,
    status: status as "used" | "revoked" | "expired" | "open",
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    usedAt: row.usedAt?.toISOString() ?? null,
  };
}
