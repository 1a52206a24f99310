// What people do with listening sources (docs/listening.md, "Sources"): list them with their state and lag, add a
// channel's live stream or a feed, remove one, restart a failing one. Managers only; every change audited.
import { and, asc, eq } from "drizzle-orm";
import { authorize, can } from "../../../authz";
import type { SourceErrorCode } from "../../../../contracts/listening";
import { inTransaction, type Ctx } from "../../../context";
import { channels } from "../../channels/channels.schema";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { listeningSources } from "../listening.schema";
import { sourceChannelInvalid, sourceExists, sourceFeedInvalid, sourceNotFound } from "./sources.errors";

type SourceRow = typeof listeningSources.$inferSelect;

/** A source as the API shows it: what it reads, its state, why it fails, and how far behind it is. */
export type PresentedSource = {
  id: string;
  kind: "network_stream" | "feed";
  name: string;
  channelId: string | null;
  network: string | null;
  url: string | null;
  state: "running" | "failing" | "stopped";
  /** Why it fails, as a stable code with its parameters: the web app says it in the reader's language. */
  lastErrorCode: SourceErrorCode | null;
  lastErrorParams: Record<string, string | number> | null;
  /** The same in English with the network's own words: for those who manage sources only (null for the others). */
  lastError: string | null;
  lastItemAt: string | null;
  lastHandledAt: string | null;
  /** How far behind the newest handled item was when it was handled (seconds); null before the first item. */
  lagSeconds: number | null;
  /** More than a minute behind: the UI says so. */
  behind: boolean;
  shedCount: number;
  /** A worker reads it now (its lease holds). */
  claimed: boolean;
  createdAt: string;
};

/** Lag above this many seconds counts as falling behind. */
export const BEHIND_SECONDS = 60;

export function presentSource(row: SourceRow, network: string | null, now: Date, { detail = true } = {}): PresentedSource {
  const lagSeconds = row.lastItemAt && row.lastHandledAt ? Math.max(0, Math.round((row.lastHandledAt.getTime() - row.lastItemAt.getTime()) / 1000)) : null;
  return {
    id: row.id,
    kind: row.kind as PresentedSource["kind"],
    name: row.name,
    channelId: row.channelId,
    network: row.kind === "feed" ? "web" : network,
    url: row.url,
    state: row.state as PresentedSource["state"],
    lastErrorCode: (row.lastErrorCode as SourceErrorCode | null) ?? (row.lastError ? "source_failed" : null),
    lastErrorParams: row.lastErrorParams ?? (row.lastError ? {} : null),
    lastError: detail ? row.lastError : null,
    lastItemAt: row.lastItemAt?.toISOString() ?? null,
    lastHandledAt: row.lastHandledAt?.toISOString() ?? null,
    lagSeconds,
    behind: row.kind === "network_stream" && lagSeconds !== null && lagSeconds > BEHIND_SECONDS,
    shedCount: row.shedCount,
    claimed: row.leaseExpiresAt !== null && row.leaseExpiresAt.getTime() > now.getTime(),
    createdAt: row.createdAt.toISOString(),
  };
}

/** The workspace's sources, oldest first, with their state and lag. Everyone who reads listening sees them. */
export async function listSources(ctx: Ctx): Promise<PresentedSource[]> {
  authorize(ctx.actor, "listening.read");
  const { workspaceId } = currentWorkspace(ctx);
  const rows = await ctx.db
    .select({ source: listeningSources, network: channels.network })
    .from(listeningSources)
    .leftJoin(channels, eq(channels.id, listeningSources.channelId))
    .where(eq(listeningSources.workspaceId, workspaceId))
    .orderBy(asc(listeningSources.createdAt), asc(listeningSources.id));
  const detail = can(ctx.actor, "listening.manage");
  return rows.map((r) => presentSource(r.source, r.network, new Date(), { detail }));
}

export type AddSourceInput = { kind: "network_stream"; channelId: string; name?: string } | { kind: "feed"; url: string; name?: string };

/**
 * Adds a source: a channel of the workspace whose network has a live stream, or an RSS/Atom feed (http or https;
 * whether the address may be read is checked when it is read, under the fetch guard). It starts running within the
 * worker's next claim; a network source without a cursor first backfills from the network's search.
 */
export async function addSource(ctx: Ctx, input: AddSourceInput): Promise<PresentedSource> {
  authorize(ctx.actor, "listening.manage");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    let values: typeof listeningSources.$inferInsert;
    let network: string | null = null;
    if (input.kind === "network_stream") {
      const [channel] = await tx.db.select().from(channels).where(and(eq(channels.id, input.channelId), eq(channels.workspaceId, workspaceId)));
      if (!channel) throw sourceChannelInvalid("no such channel in this workspace");
      const connector = tx.services.networks.availableNetworks().find((c) => c.network === channel.network);
      if (!connector?.capabilities.stream) throw sourceChannelInvalid(`${tx.services.networks.displayNameOf(channel.network)} has no live stream this server can read`);
      const [existing] = await tx.db.select({ id: listeningSources.id }).from(listeningSources).where(and(eq(listeningSources.workspaceId, workspaceId), eq(listeningSources.channelId, channel.id)));
      if (existing) throw sourceExists();
      network = channel.network;
      values = { workspaceId, kind: "network_stream", channelId: channel.id, name: input.name?.trim() || `${connector.displayName} · ${channel.handle}` };
    } else {
      const url = parseFeedUrl(input.url);
      const [existing] = await tx.db.select({ id: listeningSources.id }).from(listeningSources).where(and(eq(listeningSources.workspaceId, workspaceId), eq(listeningSources.url, url)));
      if (existing) throw sourceExists();
      values = { workspaceId, kind: "feed", url, name: input.name?.trim() || new URL(url).host };
    }
    const [row] = await tx.db.insert(listeningSources).values(values).returning();
    await tx.audit({ type: "listening.source_added", data: { sourceId: row.id, kind: row.kind, name: row.name, channelId: row.channelId, url: row.url } }, { type: "listening_source", id: row.id });
    return presentSource(row, network, new Date());
  });
}

function parseFeedUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw sourceFeedInvalid("not a web address");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw sourceFeedInvalid("only http and https addresses can be read");
  if (url.username || url.password) throw sourceFeedInvalid("an address with a user name or password is not accepted");
  return url.toString();
}

/** Removes a source: the worker reading it stops at its next lease renewal; its mentions are kept. */
export async function removeSource(ctx: Ctx, input: { sourceId: string }): Promise<void> {
  authorize(ctx.actor, "listening.manage");
  const { workspaceId } = currentWorkspace(ctx);
  await inTransaction(ctx, async (tx) => {
    const [row] = await tx.db.delete(listeningSources).where(and(eq(listeningSources.id, input.sourceId), eq(listeningSources.workspaceId, workspaceId))).returning();
    if (!row) throw sourceNotFound();
    await tx.audit({ type: "listening.source_removed", data: { sourceId: row.id, kind: row.kind, name: row.name } }, { type: "listening_source", id: row.id });
  });
}

/**
 * Restarts a source now (after reconnecting its channel, say): its lease is let go, so the worker reading it stops
 * and the next claim starts it afresh from its stored cursor, without waiting out a backoff. A stopped source runs again.
 */
export async function restartSource(ctx: Ctx, input: { sourceId: string }): Promise<PresentedSource> {
  authorize(ctx.actor, "listening.manage");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const [before] = await tx.db.select().from(listeningSources).where(and(eq(listeningSources.id, input.sourceId), eq(listeningSources.workspaceId, workspaceId))).for("update");
    if (!before) throw sourceNotFound();
    const [row] = await tx.db
      .update(listeningSources)
      .set({ state: "running", lastError: null, lastErrorCode: null, lastErrorParams: null, stoppedAt: null, leaseOwner: null, leaseExpiresAt: null })
      .where(eq(listeningSources.id, before.id))
      .returning();
    await tx.audit({ type: "listening.source_restarted", data: { sourceId: row.id, name: row.name, stateBefore: before.state } }, { type: "listening_source", id: row.id });
    const [channel] = row.channelId ? await tx.db.select({ network: channels.network }).from(channels).where(eq(channels.id, row.channelId)) : [];
    return presentSource(row, channel?.network ?? null, new Date());
  });
}
