import { and, desc, eq, gte } from "drizzle-orm";
import { authorize } from "../../../authz";
import type { Ctx } from "../../../context";
import type { PreviewResult } from "../../../../contracts/listening";
import { channels } from "../../channels/channels.schema";
import { unsafeCallChannel } from "../../channels";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { mentions } from "../listening.schema";
import { analyzePost, evaluate, parseQuery } from "../query";

/** How far back, and how many stored mentions at most, a preview looks. */
export const PREVIEW_DAYS = 7;
export const PREVIEW_SCAN_LIMIT = 5000;
const PREVIEW_POSTS = 20;
/** Plain terms searched per network, and networks searched, at most (a preview must answer while someone types). */
const SEARCH_TERMS = 3;
const SEARCH_NETWORKS = 3;

type PreviewPost = PreviewResult["posts"][number];

/**
 * What a query would find: its syntax errors (each with code, message and span), or the recent posts it matches —
 * the workspace's stored mentions of the last 7 days (newest 5,000), and, on one channel per network that can
 * search, that network's search for the query's plain terms, each result checked against the whole query. Every
 * post says where it came from; a search that failed is reported with its reason.
 */
export async function previewQuery(ctx: Ctx, input: { query: string }): Promise<PreviewResult> {
  authorize(ctx.actor, "listening.manage");
  const { workspaceId } = currentWorkspace(ctx);
  const parsed = parseQuery(input.query);
  if (!parsed.ok) {
    const { code, message, start, end } = parsed.error;
    return { ok: false, errors: [{ code, message, start, end }], explanation: null, posts: [], scanned: 0, searches: [] };
  }
  const { ast, terms, explanation } = parsed.query;
  const since = new Date(ctx.now().getTime() - PREVIEW_DAYS * 86_400_000);
  const stored = await ctx.db
    .select()
    .from(mentions)
    .where(and(eq(mentions.workspaceId, workspaceId), gte(mentions.postedAt, since)))
    .orderBy(desc(mentions.postedAt), desc(mentions.id))
    .limit(PREVIEW_SCAN_LIMIT);
  const posts: PreviewPost[] = [];
  const seen = new Set<string>();
  for (const m of stored) {
    if (posts.length >= PREVIEW_POSTS) break;
    if (!evaluate(ast, analyzePost({ text: m.text, langs: m.lang, network: m.network, author: m.authorHandle }))) continue;
    seen.add(`${m.network} ${m.networkPostId}`);
    posts.push({
      from: "stored", network: m.network, channelId: null, networkPostId: m.networkPostId, authorHandle: m.authorHandle, authorName: m.authorName,
      text: m.text, lang: m.lang, sentiment: m.sentiment as PreviewPost["sentiment"], postedAt: m.postedAt.toISOString(), url: m.url,
    });
  }

  const searches: PreviewResult["searches"] = [];
  const plain = terms.map((t) => t.replace(/\*$/, "").trim()).filter(Boolean).slice(0, SEARCH_TERMS);
  if (plain.length) {
    const active = await ctx.db
      .select({ id: channels.id, network: channels.network, handle: channels.handle })
      .from(channels)
      .where(and(eq(channels.workspaceId, workspaceId), eq(channels.status, "active")));
    const perNetwork = new Map<string, (typeof active)[number]>();
    for (const channel of active) {
      const connector = ctx.services.networks.availableNetworks().find((c) => c.network === channel.network);
      if (connector?.capabilities.search && connector.search && !perNetwork.has(channel.network)) perNetwork.set(channel.network, channel);
    }
    for (const channel of [...perNetwork.values()].slice(0, SEARCH_NETWORKS)) {
      let found = 0;
      let error: string | null = null;
      for (const term of plain) {
        const answer = await unsafeCallChannel(ctx, channel.id, (connector, credentials) => connector.search!(credentials, term, null));
        if (!answer.ok) {
          error = answer.error.message;
          break;
        }
        for (const post of answer.value.items) {
          const key = `${channel.network} ${post.networkPostId}`;
          if (seen.has(key)) continue;
          if (!evaluate(ast, analyzePost({ text: post.text, langs: post.lang, network: channel.network, author: post.author.handle }))) continue;
          seen.add(key);
          found++;
          posts.push({
            from: "search", network: channel.network, channelId: channel.id, networkPostId: post.networkPostId, authorHandle: post.author.handle,
            authorName: post.author.displayName || null, text: post.text, lang: post.lang, sentiment: null, postedAt: post.createdAt, url: post.url,
          });
        }
      }
      searches.push({ channelId: channel.id, network: channel.network, handle: channel.handle, found, error });
    }
  }
  posts.sort((a, b) => b.postedAt.localeCompare(a.postedAt));
  return { ok: true, errors: [], explanation, posts: posts.slice(0, PREVIEW_POSTS * 2), scanned: stored.length, searches };
}
