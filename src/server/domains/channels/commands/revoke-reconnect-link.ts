import { and, eq, isNull } from "drizzle-orm";
import { inTransaction, type Ctx } from "../../../context";
import { authorize } from "../../../authz";
import { notFound } from "../../../errors";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { channelReconnectLinks } from "../channels.schema";
import { findChannel } from "../channel-records";
import { presentReconnectLink } from "../reconnect-links";

/** Revokes an open reconnect link; revoking one that is used, revoked or expired changes nothing and says how it is. */
export async function revokeReconnectLink(ctx: Ctx, input: { channelId: string; linkId: string }) {
  authorize(ctx.actor, "channels.manage");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const channel = await findChannel(tx, workspaceId, input.channelId);
    const [link] = await tx.db
      .select()
      .from(channelReconnectLinks)
      .where(and(eq(channelReconnectLinks.id, input.linkId), eq(channelReconnectLinks.channelId, channel.id)))
      .for("update");
    if (!link) throw notFound("Reconnect link");
    const open = !link.usedAt && !link.revokedAt && link.expiresAt > tx.now();
    if (!open) return presentReconnectLink(link, tx.now());
    const [revoked] = await tx.db
      .update(channelReconnectLinks)
      .set({ revokedAt: tx.now() })
      .where(and(eq(channelReconnectLinks.id, link.id), isNull(channelReconnectLinks.revokedAt)))
      .returning();
    await tx.audit({ type: "channel.reconnect_link_revoked", data: { channelId: channel.id, linkId: link.id } }, { type: "channel", id: channel.id });
    return presentReconnectLink(revoked, tx.now());
  });
}
