import { and, eq, inArray } from "drizzle-orm";
import type { Ctx } from "../../context";
import { canOnChannel } from "../../authz";
import { AppError, invalidInput, notFound } from "../../errors";
import { mailMessages } from "../../mail/messages";
import { effectiveLevels, myLevels } from "../channels";
import { users } from "../identity/identity.schema";
import { memberships, workspaces } from "../workspaces/workspaces.schema";
import { postComments } from "./comments.schema";
import { findPost, textFor, type PostRow, type TargetRow } from "./post-records";

export type CommentRow = typeof postComments.$inferSelect;

export const notCommentAuthor = () => new AppError("not_comment_author", 403, "Only the person who wrote a comment may change or delete it");
/** `names` are the people mentioned who cannot see the post. */
export const mentionNotAllowed = (names: string[]) =>
  new AppError("mention_not_allowed", 422, `${names.join(", ")} cannot see this post: they were not mentioned`, { mentions: names.map((n) => `${n} cannot see this post`) });

/**
 * The post `postId` when the actor can see it: a level above No access on at least one of its channels (with an API
 * token, also the channels:read scope). Otherwise `not_found`, as for a channel the actor has no access to.
 */
export async function findReadablePost(ctx: Ctx, workspaceId: string, postId: string): Promise<{ post: PostRow; targets: TargetRow[] }> {
  const found = await findPost(ctx, workspaceId, postId);
  if (ctx.actor.type === "system") return found;
  const levels = await myLevels(ctx);
  const readable = found.targets.some((t) => canOnChannel(ctx.actor, levels.get(t.channelId) ?? "none", "read"));
  if (!readable) throw notFound("Post");
  return found;
}

/** The workspace members who can see a post (a level above No access on one of its channels), by name. */
export async function peopleWhoCanSee(ctx: Ctx, workspaceId: string, targets: TargetRow[]): Promise<Array<{ userId: string; name: string; email: string; locale: string }>> {
  const levels = await effectiveLevels(ctx, workspaceId);
  const ids = [...levels].filter(([, byChannel]) => targets.some((t) => (byChannel.get(t.channelId)?.level ?? "none") !== "none")).map(([userId]) => userId);
  if (!ids.length) return [];
  const rows = await ctx.db.select({ userId: users.id, name: users.name, email: users.email, locale: users.locale }).from(users).where(inArray(users.id, ids));
  return rows.map((r) => ({ ...r, name: r.name || r.email })).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Checks the people a comment mentions: each must be able to see the post, or the comment is refused
 * (`mention_not_allowed`, naming them) — a mention must never show a post to someone outside it, nor silently
 * tell nobody. Returns them with their mail address and language.
 */
export async function checkMentions(ctx: Ctx, workspaceId: string, targets: TargetRow[], mentions: string[]) {
  const wanted = [...new Set(mentions)];
  if (!wanted.length) return [];
  const seeing = await peopleWhoCanSee(ctx, workspaceId, targets);
  const outside = wanted.filter((id) => !seeing.some((p) => p.userId === id));
  if (outside.length) {
    // Members are named; anyone else is "someone" (whether such a person exists is not revealed).
    const named = await ctx.db
      .select({ id: users.id, name: users.name, email: users.email })
      .from(users)
      .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.workspaceId, workspaceId)))
      .where(inArray(users.id, outside));
    const names = outside.map((id) => {
      const person = named.find((n) => n.id === id);
      return person ? person.name || person.email : "someone";
    });
    throw mentionNotAllowed(names);
  }
  return wanted.map((id) => seeing.find((p) => p.userId === id)!);
}

/** The comment `commentId` on `postId`; `not_found` otherwise. */
export async function findComment(ctx: Ctx, postId: string, commentId: string, options: { forUpdate?: boolean } = {}): Promise<CommentRow> {
  const query = ctx.db.select().from(postComments).where(and(eq(postComments.postId, postId), eq(postComments.id, commentId)));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row) throw notFound("Comment");
  return row;
}

export function checkBody(body: string): string {
  const trimmed = body.trim();
  if (!trimmed) throw invalidInput({ body: ["Write a comment"] });
  return trimmed;
}

/** Mails each newly mentioned person (not the writer) that they were mentioned, in their language, with a link to the post. */
export async function mailMentioned(
  tx: Ctx,
  post: PostRow,
  targets: TargetRow[],
  comment: CommentRow,
  people: Array<{ userId: string; name: string; email: string; locale: string }>,
): Promise<number> {
  const writer = tx.actor.type === "user" ? tx.actor.userId : null;
  const readers = people.filter((p) => p.userId !== writer);
  if (!readers.length) return 0;
  const [workspace] = await tx.db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, post.workspaceId));
  const text = targets[0] ? textFor(post, targets[0]) : post.text;
  const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);
  for (const reader of readers) {
    const mail = mailMessages(reader.locale).commentMention({
      name: reader.name,
      workspace: workspace?.name ?? "",
      author: comment.authorLabel,
      comment: cut(comment.body, 500),
      excerpt: cut(text, 140),
      link: `${tx.services.config.publicUrl}/posts/${post.id}`,
    });
    await tx.services.mailer.enqueue(tx.db, { to: reader.email, workspaceId: post.workspaceId, ...mail });
  }
  tx.afterCommit(() => tx.services.mailer.deliverSoon(tx.services.database.db));
  return readers.length;
}

/** A comment as the reader sees it: its mentions by name, and whether they may edit or delete it. */
export function presentComment(ctx: Ctx, row: CommentRow, names: Map<string, string>) {
  const mine = ctx.actor.type === "user" && row.authorId === ctx.actor.userId;
  return {
    id: row.id,
    postId: row.postId,
    authorId: row.authorId,
    author: (row.authorId && names.get(row.authorId)) || row.authorLabel,
    body: row.body,
    mentions: row.mentions.map((userId) => ({ userId, name: names.get(userId) ?? "—" })),
    postVersion: row.postVersion,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
    can: { edit: mine, delete: mine },
  };
}

/** Names of the people these comments were written by or mention. */
export async function namesFor(ctx: Ctx, rows: CommentRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.flatMap((r) => [...(r.authorId ? [r.authorId] : []), ...r.mentions]))];
  if (!ids.length) return new Map();
  const found = await ctx.db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, ids));
  return new Map(found.map((u) => [u.id, u.name || u.email]));
}

/** Who writes: their name for the comment (the system when it is not a person). */
export function writerOf(ctx: Ctx): { authorId: string | null; authorLabel: string } {
  if (ctx.actor.type === "user") return { authorId: ctx.actor.userId, authorLabel: ctx.actor.name || ctx.actor.email };
  if (ctx.actor.type === "system") return { authorId: null, authorLabel: ctx.actor.label };
  return { authorId: null, authorLabel: "anonymous" };
}
