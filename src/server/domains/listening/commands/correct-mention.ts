import { and, eq, sql } from "drizzle-orm";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import type { Mention, Sentiment } from "../../../../contracts/listening";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { mentionNotFound } from "../listening.errors";
import { mentionMatches, mentions, streamMinuteCounts } from "../listening.schema";
import { getMention } from "../queries/list-mentions";

export type CorrectMentionInput = { mentionId: string; lang?: string; sentiment?: Sentiment };

const MINUTE_MS = 60_000;

/**
 * A person corrects a mention's language and/or sentiment. The correction is stored as such (lang_source
 * "corrected", sentiment_corrected) with who made it, and kept: the pipeline stores a post once and a replayed
 * batch skips it. The per-minute counts of every stream it matched move from the old sentiment to the new one in
 * the same transaction. Audited `listening.mention_corrected` with before and after.
 */
export async function correctMention(ctx: Ctx, input: CorrectMentionInput): Promise<Mention> {
  authorize(ctx.actor, "listening.correct");
  const { workspaceId } = currentWorkspace(ctx);
  if (!/^\d{1,18}$/.test(input.mentionId)) throw mentionNotFound();
  const id = Number(input.mentionId);
  return inTransaction(ctx, async (tx) => {
    const [before] = await tx.db
      .select()
      .from(mentions)
      .where(and(eq(mentions.id, id), eq(mentions.workspaceId, workspaceId)))
      .for("update");
    if (!before) throw mentionNotFound();
    const lang = input.lang ?? before.lang;
    const sentiment = (input.sentiment ?? before.sentiment) as Sentiment;
    const userId = tx.actor.type === "user" ? tx.actor.userId : null;
    await tx.db
      .update(mentions)
      .set({
        ...(input.lang !== undefined ? { lang, langSource: "corrected" } : {}),
        ...(input.sentiment !== undefined ? { sentiment, sentimentCorrected: true } : {}),
        correctedBy: userId,
      })
      .where(eq(mentions.id, id));
    if (sentiment !== before.sentiment) {
      const minute = new Date(Math.floor(before.postedAt.getTime() / MINUTE_MS) * MINUTE_MS);
      const streams = await tx.db.select({ streamId: mentionMatches.streamId }).from(mentionMatches).where(eq(mentionMatches.mentionId, id));
      const from = sql.identifier(before.sentiment);
      const to = sql.identifier(sentiment);
      for (const { streamId } of streams) {
        await tx.db.execute(
          sql`update ${streamMinuteCounts} set ${from} = greatest(${from} - 1, 0), ${to} = ${to} + 1
              where ${streamMinuteCounts.streamId} = ${streamId} and ${streamMinuteCounts.minute} = ${minute.toISOString()}::timestamptz`,
        );
      }
    }
    await tx.audit(
      {
        type: "listening.mention_corrected",
        data: { mentionId: String(id), before: { lang: before.lang, sentiment: before.sentiment }, after: { lang, sentiment } },
      },
      { type: "mention", id: String(id) },
    );
    return getMention(tx, id);
  });
}
