import { and, desc, eq, ilike, inArray, lt, or, type SQL } from "drizzle-orm";
import { authorize } from "../../../authz";
import type { Ctx } from "../../../context";
import { invalidInput } from "../../../errors";
import { SENTIMENTS, type ListMentionsQuery, type Mention } from "../../../../contracts/listening";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { users } from "../../identity/identity.schema";
import { mentionNotFound } from "../listening.errors";
import { mentionMatches, mentions } from "../listening.schema";

const PAGE = 30;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const list = (value: string | undefined) => (value ?? "").split(",").map((v) => v.trim()).filter(Boolean);

/**
 * Mentions of the workspace, newest first, a page at a time (keyset on posted time and id, so new mentions arriving
 * do not shift pages). Filters: streams, sentiments, languages, networks (each a comma-separated list), words in
 * the text; near-duplicates (copy-paste spam) are folded away unless `duplicates=true`.
 */
export async function listMentions(ctx: Ctx, filters: ListMentionsQuery): Promise<{ mentions: Mention[]; next: string | null }> {
  authorize(ctx.actor, "listening.read");
  const { workspaceId } = currentWorkspace(ctx);
  const streams = list(filters.stream);
  if (streams.some((id) => !UUID.test(id))) throw invalidInput({ stream: ["Stream ids, separated by commas"] });
  const sentiments = list(filters.sentiment);
  if (sentiments.some((s) => !(SENTIMENTS as readonly string[]).includes(s))) throw invalidInput({ sentiment: ["negative, neutral or positive"] });
  const conditions: (SQL | undefined)[] = [eq(mentions.workspaceId, workspaceId)];
  if (streams.length) {
    const matched = ctx.db.select({ id: mentionMatches.mentionId }).from(mentionMatches).where(inArray(mentionMatches.streamId, streams));
    conditions.push(inArray(mentions.id, matched));
  }
  if (sentiments.length) conditions.push(inArray(mentions.sentiment, sentiments));
  const langs = list(filters.lang).map((l) => l.toLowerCase());
  if (langs.length) conditions.push(inArray(mentions.lang, langs));
  const networks = list(filters.network);
  if (networks.length) conditions.push(inArray(mentions.network, networks));
  const words = (filters.q ?? "").trim();
  if (words) conditions.push(ilike(mentions.text, `%${words.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (filters.duplicates !== "true") conditions.push(eq(mentions.nearDuplicate, false));
  if (filters.cursor) {
    const after = decodeCursor(filters.cursor);
    conditions.push(or(lt(mentions.postedAt, after.postedAt), and(eq(mentions.postedAt, after.postedAt), lt(mentions.id, after.id))));
  }
  const limit = filters.limit ?? PAGE;
  const rows = await selectMentions(ctx)
    .where(and(...conditions))
    .orderBy(desc(mentions.postedAt), desc(mentions.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const presented = await present(ctx, page);
  const last = page[page.length - 1];
  return { mentions: presented, next: rows.length > limit && last ? encodeCursor(last.mention.postedAt, last.mention.id) : null };
}

/** One mention of the workspace as the API shows it. */
export async function getMention(ctx: Ctx, id: number): Promise<Mention> {
  const { workspaceId } = currentWorkspace(ctx);
  const rows = await selectMentions(ctx).where(and(eq(mentions.id, id), eq(mentions.workspaceId, workspaceId)));
  if (!rows.length) throw mentionNotFound();
  return (await present(ctx, rows))[0];
}

function selectMentions(ctx: Ctx) {
  return ctx.db.select({ mention: mentions, corrector: { id: users.id, name: users.name } }).from(mentions).leftJoin(users, eq(users.id, mentions.correctedBy));
}

type Row = { mention: typeof mentions.$inferSelect; corrector: { id: string; name: string } | null };

async function present(ctx: Ctx, rows: Row[]): Promise<Mention[]> {
  const ids = rows.map((r) => r.mention.id);
  const matches = ids.length ? await ctx.db.select().from(mentionMatches).where(inArray(mentionMatches.mentionId, ids)) : [];
  const streamsOf = new Map<number, string[]>();
  for (const m of matches) (streamsOf.get(Number(m.mentionId)) ?? streamsOf.set(Number(m.mentionId), []).get(Number(m.mentionId))!).push(m.streamId);
  return rows.map(({ mention: m, corrector }) => ({
    id: String(m.id),
    network: m.network,
    networkPostId: m.networkPostId,
    url: m.url,
    authorHandle: m.authorHandle,
    authorName: m.authorName,
    text: m.text,
    lang: m.lang,
    langSource: m.langSource as Mention["langSource"],
    sentiment: m.sentiment as Mention["sentiment"],
    sentimentScore: m.sentimentScore,
    sentimentCorrected: m.sentimentCorrected,
    nearDuplicate: m.nearDuplicate,
    postedAt: m.postedAt.toISOString(),
    streamIds: (streamsOf.get(Number(m.id)) ?? []).sort(),
    correctedBy: corrector?.id ? { id: corrector.id, name: corrector.name } : null,
  }));
}

function encodeCursor(postedAt: Date, id: number): string {
  return Buffer.from(`${postedAt.toISOString()}|${id}`).toString("base64url");
}

function decodeCursor(cursor: string): { postedAt: Date; id: number } {
  const [at, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const postedAt = new Date(at ?? "");
  if (Number.isNaN(postedAt.getTime()) || !/^\d{1,18}$/.test(id ?? "")) throw invalidInput({ cursor: ["Use the `next` value of the previous page"] });
  return { postedAt, id: Number(id) };
}
