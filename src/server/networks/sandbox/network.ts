import { randomUUID } from "node:crypto";
import { and, asc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import {
  sandboxAccounts,
  sandboxDirectMessages,
  sandboxFaults,
  sandboxMedia,
  sandboxPosts,
  sandboxReactions,
  type SandboxAccountKind,
  type SandboxFaultKind,
  type SandboxMedia,
} from "./sandbox.schema";

/**
 * The Sandbox network's own operations: what its users do (post, reply, message, react) and what an admin of the
 * network does (create accounts, inject faults). The connector, the seed, scenarios and tests all act through
 * these, so a post made by "the audience" is stored exactly like one Parapet published.
 */

export type SandboxAccount = typeof sandboxAccounts.$inferSelect;
export type SandboxPost = typeof sandboxPosts.$inferSelect;

const HANDLE = /^[a-z0-9_]{1,30}$/;

/** "@EmberOak" → "emberoak"; null when it cannot be a Sandbox handle. */
export function normalizeHandle(handle: string): string | null {
  const bare = handle.trim().replace(/^@/, "").toLowerCase();
  return HANDLE.test(bare) ? bare : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `id` has the shape of a Sandbox id (uuid); anything else cannot name a row. */
export function isSandboxId(id: string): boolean {
  return UUID.test(id);
}

export type NewSandboxAccount = {
  handle: string;
  displayName: string;
  kind: SandboxAccountKind;
  language?: string;
  bio?: string;
  followers?: number;
  verified?: boolean;
  createdAt: Date;
};

/** Creates the account, or returns the one that already has this handle (so seeding can run again). */
export async function ensureSandboxAccount(db: Db, account: NewSandboxAccount): Promise<SandboxAccount> {
  const handle = normalizeHandle(account.handle);
  if (!handle) throw new Error(`not a Sandbox handle: ${account.handle}`);
  const [created] = await db
    .insert(sandboxAccounts)
    .values({ ...account, handle })
    .onConflictDoNothing()
    .returning();
  if (created) return created;
  const existing = await findSandboxAccount(db, handle);
  if (!existing) throw new Error(`Sandbox account @${handle} neither created nor found`);
  return existing;
}

export async function findSandboxAccount(db: Db, handle: string): Promise<SandboxAccount | null> {
  const bare = normalizeHandle(handle);
  if (!bare) return null;
  const [row] = await db.select().from(sandboxAccounts).where(sql`lower(${sandboxAccounts.handle}) = ${bare}`);
  return row ?? null;
}

export async function findSandboxAccountById(db: Db, id: string): Promise<SandboxAccount | null> {
  if (!isSandboxId(id)) return null;
  const [row] = await db.select().from(sandboxAccounts).where(eq(sandboxAccounts.id, id));
  return row ?? null;
}

export type NewSandboxPost = {
  text: string;
  lang?: string | null;
  /** With `bytes`, the image itself is kept (sandbox_media) and shown on the web view. */
  media?: Array<SandboxMedia & { bytes?: Uint8Array }>;
  replyToId?: string | null;
  idempotencyKey?: string | null;
  createdAt: Date;
};

/**
 * Stores a post by the account. With an idempotency key, a repeat returns the post stored the first time (even if
 * removed since) and `created` is false; concurrent repeats are settled by the unique index.
 */
export async function createSandboxPost(db: Db, accountId: string, post: NewSandboxPost): Promise<{ post: SandboxPost; created: boolean }> {
  const images = (post.media ?? []).map(({ bytes, ...described }) => ({ described: { ...described, ...(bytes ? { id: randomUUID() } : {}) }, bytes }));
  const values = {
    accountId,
    text: post.text,
    lang: post.lang ?? null,
    media: images.map((m) => m.described),
    replyToId: post.replyToId ?? null,
    idempotencyKey: post.idempotencyKey ?? null,
    createdAt: post.createdAt,
  };
  const keepImages = async (postId: string) => {
    const stored = images.flatMap((m, position) => (m.bytes && m.described.id ? [{ id: m.described.id, postId, position, mimeType: m.described.mimeType, altText: m.described.altText, bytes: Buffer.from(m.bytes) }] : []));
    if (stored.length) await db.insert(sandboxMedia).values(stored);
  };
  if (!values.idempotencyKey) {
    const [row] = await db.insert(sandboxPosts).values(values).returning();
    await keepImages(row.id);
    return { post: row, created: true };
  }
  const [row] = await db.insert(sandboxPosts).values(values).onConflictDoNothing().returning();
  if (row) {
    await keepImages(row.id);
    return { post: row, created: true };
  }
  const existing = await findSandboxPostByKey(db, accountId, values.idempotencyKey);
  if (!existing) throw new Error("Sandbox post neither created nor found by its idempotency key");
  return { post: existing, created: false };
}

export async function findSandboxPostByKey(db: Db, accountId: string, idempotencyKey: string): Promise<SandboxPost | null> {
  const [row] = await db
    .select()
    .from(sandboxPosts)
    .where(and(eq(sandboxPosts.accountId, accountId), eq(sandboxPosts.idempotencyKey, idempotencyKey)));
  return row ?? null;
}

export async function findSandboxPost(db: Db, postId: string): Promise<SandboxPost | null> {
  if (!isSandboxId(postId)) return null;
  const [row] = await db.select().from(sandboxPosts).where(eq(sandboxPosts.id, postId));
  return row ?? null;
}

/** A conversation between two accounts has one id, whoever writes first. */
export function conversationIdFor(accountA: string, accountB: string): string {
  return [accountA, accountB].sort().join("~");
}

/** The two participants a conversation id names, or null when it names none. */
export function participantsOf(conversationId: string): [string, string] | null {
  const parts = conversationId.split("~");
  return parts.length === 2 && parts.every(isSandboxId) ? [parts[0], parts[1]] : null;
}

export type SandboxDirectMessage = typeof sandboxDirectMessages.$inferSelect;

/** Stores a direct message; with an idempotency key, a repeat returns the first one. */
export async function sendSandboxDirectMessage(
  db: Db,
  message: { senderId: string; recipientId: string; text: string; idempotencyKey?: string | null; createdAt: Date },
): Promise<SandboxDirectMessage & { created: boolean }> {
  const values = {
    conversationId: conversationIdFor(message.senderId, message.recipientId),
    senderId: message.senderId,
    recipientId: message.recipientId,
    text: message.text,
    idempotencyKey: message.idempotencyKey ?? null,
    createdAt: message.createdAt,
  };
  const [row] = await db.insert(sandboxDirectMessages).values(values).onConflictDoNothing().returning();
  if (row) return { ...row, created: true };
  const [existing] = await db
    .select()
    .from(sandboxDirectMessages)
    .where(and(eq(sandboxDirectMessages.senderId, values.senderId), eq(sandboxDirectMessages.idempotencyKey, values.idempotencyKey!)));
  return { ...existing, created: false };
}

/** Records the account's reaction to a post; reacting the same way twice is one reaction (and returns false). */
export async function reactToSandboxPost(db: Db, reaction: { accountId: string; postId: string; reaction: string; createdAt: Date }): Promise<boolean> {
  const created = await db.insert(sandboxReactions).values(reaction).onConflictDoNothing().returning({ id: sandboxReactions.id });
  return created.length > 0;
}

export type SandboxFaultInjection =
  | { kind: "rate_limited"; retryAfterSeconds: number; count?: number }
  | { kind: Exclude<SandboxFaultKind, "rate_limited">; count?: number };

/** Makes the account's next calls fail (or misbehave) the given number of times; see SandboxFaultKind. */
export async function injectSandboxFault(db: Db, accountId: string, fault: SandboxFaultInjection, now: Date): Promise<void> {
  await db.insert(sandboxFaults).values({
    accountId,
    kind: fault.kind,
    remaining: fault.count ?? 1,
    retryAfterSeconds: fault.kind === "rate_limited" ? fault.retryAfterSeconds : null,
    createdAt: now,
  });
}

export type TrippedFault = { kind: SandboxFaultKind; retryAfterSeconds: number | null };

/**
 * Takes one use of the account's oldest pending fault among `kinds`, or returns null when none is pending. The
 * decrement is one statement, so two concurrent calls cannot both spend the last use.
 */
export async function tripSandboxFault(db: Db, accountId: string, kinds: readonly SandboxFaultKind[]): Promise<TrippedFault | null> {
  for (;;) {
    const [pending] = await db
      .select({ id: sandboxFaults.id })
      .from(sandboxFaults)
      .where(and(eq(sandboxFaults.accountId, accountId), gt(sandboxFaults.remaining, 0), inArray(sandboxFaults.kind, [...kinds])))
      .orderBy(asc(sandboxFaults.seq))
      .limit(1);
    if (!pending) return null;
    const [spent] = await db
      .update(sandboxFaults)
      .set({ remaining: sql`${sandboxFaults.remaining} - 1` })
      .where(and(eq(sandboxFaults.id, pending.id), gt(sandboxFaults.remaining, 0)))
      .returning({ kind: sandboxFaults.kind, retryAfterSeconds: sandboxFaults.retryAfterSeconds });
    if (spent) return spent;
    // Another call spent the last use between the two statements: look again.
  }
}

/** Live (not removed) posts of the account, newest first. */
export async function listSandboxPosts(db: Db, accountId: string, limit = 50): Promise<SandboxPost[]> {
  return db
    .select()
    .from(sandboxPosts)
    .where(and(eq(sandboxPosts.accountId, accountId), isNull(sandboxPosts.deletedAt)))
    .orderBy(sql`${sandboxPosts.seq} desc`)
    .limit(limit);
}
