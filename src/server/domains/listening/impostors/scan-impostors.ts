import { and, asc, eq, gt, isNull, lte, sql } from "drizzle-orm";
import { inTransaction, unsafeSystemCtx, type Ctx, type Services } from "../../../context";
import { rowsOf, type Db } from "../../../db/client";
import { channels } from "../../channels/channels.schema";
import { raiseAlert } from "../alerts/raise-alert";
import { unsafeDeliverAlerts } from "../alerts/deliver-alerts";
import { impostorAccounts, impostorScanMarks, mentions } from "../listening.schema";
import { EVIDENCE_MENTIONS, keepTexts, mergeEvidence, type ImpostorEvidence } from "./impostor-evidence";
import { compileBrand, IMPOSTOR_THRESHOLD, judgeAccount, type SeenAccount } from "./judge-account";

/** The periodic scan runs every 5 minutes; authors of mentions stored this far back are judged (a missed run is covered). */
export const SCAN_LOOKBACK_MINUTES = 15;
/**
 * The prompt scan moves its mark only past mentions stored at least this long ago: a lower id may still be in a
 * store transaction that has not committed yet, and is read by the next scan. A store transaction longer than this
 * is left to the periodic scan.
 */
export const SETTLE_SECONDS = 15;
/** At most this many of an author's texts in a page are read for bait (those with bait first: `keepTexts`). */
const TEXTS_PER_AUTHOR = 20;
/** Mentions read per transaction by the periodic scan. */
const PAGE_SIZE = 20_000;
/** Mentions judged per transaction by the prompt scan: short transactions, as on PGlite the pipeline writes through the same connection. */
const PROMPT_PAGE_SIZE = 5_000;

export type ScanResult = { workspaces: number; authors: number; suspects: number; newSuspects: number };

/**
 * The safety net behind the prompt scan (`unsafeScanNewMentions`): judges the authors of mentions stored in the last
 * `SCAN_LOOKBACK_MINUTES` against each workspace's own channels (as the system, across workspaces: hence unsafe). The brand side is compiled once per workspace and run. Suspects
 * are upserted by network and handle: while nobody has looked at one (status `new`) its evidence gathers what each
 * scan saw and its score keeps the highest; once a person set a status only `lastSeenAt` moves. A suspect seen for the first time raises
 * an `impostor` alert; inserting with ON CONFLICT DO NOTHING makes that once, even with two workers.
 */
export async function unsafeScanImpostors(services: Services): Promise<ScanResult> {
  const db = services.database.db;
  const now = services.clock();
  const since = new Date(now.getTime() - SCAN_LOOKBACK_MINUTES * 60_000);
  const recent = await recentWorkspaces(db, since, now);
  const result: ScanResult = { workspaces: 0, authors: 0, suspects: 0, newSuspects: 0 };
  for (const { workspaceId } of recent) {
    try {
      const counts = await scanWorkspace(services, workspaceId, since, now);
      result.workspaces++;
      result.authors += counts.authors;
      result.suspects += counts.suspects;
      result.newSuspects += counts.newSuspects;
    } catch (err) {
      services.log.error({ err, workspaceId }, "scanning for impostors failed");
    }
  }
  if (result.newSuspects) await unsafeDeliverAlerts(services);
  return result;
}

async function scanWorkspace(services: Services, workspaceId: string, since: Date, now: Date) {
  const ctx = unsafeSystemCtx(services, "listening.scan-impostors", workspaceId);
  return inTransaction(ctx, async (tx) => judgeAuthors(tx, workspaceId, await recentMentions(tx.db, workspaceId, since, now), now));
}

/** The workspaces with mentions stored in (since, now]; read through the `mentions_stored` index, whatever is stored before. */
export function recentWorkspaces(db: Db, since: Date, now: Date) {
  return db
    .selectDistinct({ workspaceId: mentions.workspaceId })
    .from(mentions)
    .where(and(gt(mentions.storedAt, since), lte(mentions.storedAt, now)));
}

/** A workspace's mentions stored in (since, now], oldest post first, at most a page; read through `mentions_stored` too. */
export function recentMentions(db: Db, workspaceId: string, since: Date, now: Date) {
  return db
    .select({ id: mentions.id, network: mentions.network, handle: mentions.authorHandle, name: mentions.authorName, text: mentions.text, url: mentions.url, postedAt: mentions.postedAt })
    .from(mentions)
    .where(and(gt(mentions.storedAt, since), lte(mentions.storedAt, now), eq(mentions.workspaceId, workspaceId)))
    .orderBy(asc(mentions.postedAt), asc(mentions.id))
    .limit(PAGE_SIZE);
}

export type PromptScanResult = { pages: number; mentions: number; authors: number; suspects: number; newSuspects: number };

/**
 * Judges the mentions of one workspace stored since its last prompt scan (the pipeline asks for this job after
 * storing a batch, so an impostor is found within seconds of its post; as the system: hence unsafe). The workspace's
 * mark is locked while a page is judged and moved in the same transaction, so concurrent workers and restarts neither
 * skip a mention nor judge one twice. Ids are handed out in order but may commit out of order: the mark moves only past
 * mentions stored at least `SETTLE_SECONDS` ago, and the ids judged above it are kept with it, so a mention whose id
 * is lower but which committed later is still read, and the others are not read again.
 */
export async function unsafeScanNewMentions(services: Services, workspaceId: string, pageSize = PROMPT_PAGE_SIZE): Promise<PromptScanResult> {
  const result: PromptScanResult = { pages: 0, mentions: 0, authors: 0, suspects: 0, newSuspects: 0 };
  const ctx = unsafeSystemCtx(services, "listening.scan-impostors", workspaceId);
  const settled = sql`now() - ${`${SETTLE_SECONDS} seconds`}::interval`;
  for (let more = true; more; ) {
    const page = await inTransaction(ctx, async (tx) => {
      const mark = await lockMark(tx, workspaceId);
      const rows = rowsOf<{ id: string | number; network: string; handle: string; name: string | null; text: string; url: string | null; postedAt: string | Date; settled: boolean }>(
        await tx.db.execute(sql`
          select id, network, author_handle as handle, author_name as name, text, url, posted_at as "postedAt", stored_at < ${settled} as settled
          from mentions where workspace_id = ${workspaceId} and id > ${mark.mentionId} and id <> all(${sql.param(mark.judgedIds)}::bigint[])
          order by id limit ${pageSize}`),
      ).map((row) => ({ ...row, id: Number(row.id), postedAt: new Date(row.postedAt) }));
      const full = rows.length === pageSize;
      // The mark stops before the first mention stored too recently (a lower id may still be committing), and, when
      // the page was full, at its last mention (what follows is unread). Ids judged above it are kept with it.
      const [{ recent }] = rowsOf<{ recent: string | number | null }>(
        await tx.db.execute(sql`select min(id) as recent from mentions where id = any(${sql.param(mark.judgedIds)}::bigint[]) and stored_at >= ${settled}`),
      );
      const unsettled = Math.min(rows.find((row) => !row.settled)?.id ?? Infinity, recent === null ? Infinity : Number(recent));
      const judgedIds = [...mark.judgedIds, ...rows.map((row) => row.id)];
      const limit = Math.min(unsettled - 1, full ? rows.at(-1)!.id : Infinity);
      // The highest id judged up to there: an id between it and the limit was never seen (it may be committing).
      const through = judgedIds.reduce((max, id) => (id <= limit && id > max ? id : max), mark.mentionId);
      await tx.db
        .update(impostorScanMarks)
        .set({ mentionId: through, judgedIds: judgedIds.filter((id) => id > through).sort((a, b) => a - b), scannedAt: sql`now()` })
        .where(eq(impostorScanMarks.workspaceId, workspaceId));
      const judged = await judgeAuthors(tx, workspaceId, [...rows].sort((a, b) => a.postedAt.getTime() - b.postedAt.getTime() || a.id - b.id), services.clock());
      return { read: rows.length, full, ...judged };
    });
    result.pages++;
    result.mentions += page.read;
    result.authors += page.authors;
    result.suspects += page.suspects;
    result.newSuspects += page.newSuspects;
    more = page.full;
  }
  if (result.newSuspects) await unsafeDeliverAlerts(services);
  return result;
}

/**
 * The workspace's mark, locked for this transaction. A workspace scanned for the first time starts at the mentions
 * stored in the last `SCAN_LOOKBACK_MINUTES` (its history was the periodic scan's), or after every mention stored so far.
 */
async function lockMark(tx: Ctx, workspaceId: string): Promise<{ mentionId: number; judgedIds: number[] }> {
  await tx.db.execute(sql`
    insert into impostor_scan_marks (workspace_id, mention_id)
    select ${workspaceId}, coalesce(
      (select min(id) - 1 from mentions where workspace_id = ${workspaceId} and stored_at > now() - ${`${SCAN_LOOKBACK_MINUTES} minutes`}::interval),
      (select max(id) from mentions), 0)
    on conflict (workspace_id) do nothing`);
  const [mark] = await tx.db
    .select({ mentionId: impostorScanMarks.mentionId, judgedIds: impostorScanMarks.judgedIds })
    .from(impostorScanMarks)
    .where(eq(impostorScanMarks.workspaceId, workspaceId))
    .for("update");
  return { mentionId: mark.mentionId, judgedIds: mark.judgedIds.map(Number) };
}

type MentionRow = { id: number; network: string; handle: string; name: string | null; text: string; url: string | null; postedAt: Date };

/**
 * Judges the authors of these mentions (oldest first) against the workspace's connected channels; suspects are
 * upserted and a new one raises an alert, in the caller's transaction.
 */
async function judgeAuthors(tx: Ctx, workspaceId: string, rows: MentionRow[], now: Date) {
  const counts = { authors: 0, suspects: 0, newSuspects: 0 };
  if (!rows.length) return counts;
  const own = await tx.db
    .select({ channelId: channels.id, network: channels.network, handle: channels.handle, displayName: channels.displayName, profileUrl: channels.profileUrl })
    .from(channels)
    .where(and(eq(channels.workspaceId, workspaceId), isNull(channels.disconnectedAt)));
  if (!own.length) return counts;
  const brand = compileBrand(own);

  const authors = new Map<string, { account: SeenAccount; mentionIds: number[]; first: Date; last: Date; url: string | null }>();
  for (const row of rows) {
    const key = `${row.network} ${row.handle.toLowerCase()}`;
    let author = authors.get(key);
    if (!author) authors.set(key, (author = { account: { network: row.network, handle: row.handle, displayName: row.name, createdAt: null, texts: [] }, mentionIds: [], first: row.postedAt, last: row.postedAt, url: row.url }));
    if (row.name) author.account.displayName = row.name;
    if (author.account.texts.length < TEXTS_PER_AUTHOR) author.account.texts.push(row.text);
    if (author.mentionIds.length < EVIDENCE_MENTIONS) author.mentionIds.push(row.id);
    author.last = row.postedAt;
  }
  counts.authors = authors.size;

  for (const author of authors.values()) {
    author.account.texts = keepTexts(author.account.texts);
    const verdict = judgeAccount(author.account, brand, now);
    if (verdict.score < IMPOSTOR_THRESHOLD || !verdict.imitates) continue;
    counts.suspects++;
    const imitates = verdict.imitates;
    const evidence: ImpostorEvidence = {
      reasons: verdict.reasons,
      imitates: { channelId: imitates.channelId, network: imitates.network, handle: imitates.handle, displayName: imitates.displayName },
      texts: author.account.texts,
      mentionIds: author.mentionIds,
    };
    const { network, handle, displayName } = author.account;
    const inserted = await tx.db
      .insert(impostorAccounts)
      .values({ workspaceId, network, handle, displayName, profileUrl: null, imitatesChannelId: imitates.channelId, score: verdict.score, evidence, firstSeenAt: now, lastSeenAt: now })
      .onConflictDoNothing()
      .returning({ id: impostorAccounts.id });
    const key = and(eq(impostorAccounts.workspaceId, workspaceId), eq(impostorAccounts.network, network), eq(impostorAccounts.handle, handle));
    if (!inserted.length) {
      // Seen again: a suspect nobody has looked at gathers the evidence of every sighting and keeps its highest score
      // (a later harmless post must not hide the bait); a person's verdict stays as it is. Locked: two workers merge in turn.
      const [seen] = await tx.db.select({ status: impostorAccounts.status, score: impostorAccounts.score, evidence: impostorAccounts.evidence }).from(impostorAccounts).where(key).for("update");
      if (!seen) continue; // deleted meanwhile (its workspace went away)
      if (seen.status !== "new") {
        await tx.db.update(impostorAccounts).set({ lastSeenAt: now }).where(key);
        continue;
      }
      const stronger = verdict.score > seen.score;
      await tx.db
        .update(impostorAccounts)
        .set({
          lastSeenAt: now,
          score: Math.max(seen.score, verdict.score),
          evidence: mergeEvidence(seen.evidence as ImpostorEvidence, seen.score, evidence, verdict.score),
          displayName,
          ...(stronger ? { imitatesChannelId: imitates.channelId } : {}),
        })
        .where(key);
      continue;
    }
    counts.newSuspects++;
    await raiseAlert(tx, {
      streamId: null,
      facts: {
        kind: "impostor",
        stream: null,
        evidence: { network, handle, imitatesHandle: imitates.handle, score: verdict.score, reasons: verdict.reasons.map((r) => r.kind) },
      },
      evidence: { impostorId: inserted[0].id, reasons: verdict.reasons, texts: author.account.texts, mentionIds: author.mentionIds, imitates: evidence.imitates },
      windowStart: author.first,
      windowEnd: new Date(author.last.getTime() + 1),
    });
  }
  return counts;
}
