import { and, eq, gt, inArray, isNull, lt, ne, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../../db/client";
import { hashToken, newToken } from "../../crypto/secrets";
import {
  NetworkError,
  type AccountProfile,
  type Capabilities,
  type Connected,
  type Connector,
  type Credentials,
  type InboxItem,
  type Limits,
  type OutgoingPost,
  type Page,
  type PublicPost,
  type PublishedPost,
  type StreamedPost,
} from "../types";
import {
  createSandboxPost,
  findSandboxAccount,
  findSandboxAccountById,
  findSandboxPost,
  findSandboxPostByKey,
  participantsOf,
  sendSandboxDirectMessage,
  tripSandboxFault,
  type SandboxAccount,
  type SandboxPost,
} from "./network";
import { sandboxAccounts, sandboxDirectMessages, sandboxPosts, sandboxReactions, sandboxTokens, type SandboxFaultKind } from "./sandbox.schema";

export const SANDBOX_CAPABILITIES: Capabilities = {
  publish: true,
  remove: true,
  edit: false,
  reply: true,
  threads: true,
  directMessages: true,
  inbox: true,
  search: true,
  stream: true,
  profileLookup: true,
  refresh: true,
};

export const SANDBOX_LIMITS: Limits = {
  textLength: 500,
  media: { maxCount: 4, types: ["image/jpeg", "image/png", "image/gif", "image/webp"], maxBytes: 5_000_000, altTextLength: 1000 },
  linkLength: null,
};

/** How long a token the Sandbox issues stays valid. */
export const SANDBOX_TOKEN_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
const DIRECT_MESSAGE_LENGTH = 1000;
const INBOX_PAGE_SIZE = 50;
const SEARCH_PAGE_SIZE = 25;
/** How often an open stream looks for new posts. */
const STREAM_POLL_MS = 250;
const STREAM_BATCH = 100;

/** Faults any authenticated call can run into, before it does anything. */
const CALL_FAULTS: readonly SandboxFaultKind[] = ["rate_limited", "auth_expired", "server_error"];

export type SandboxConnectorOptions = {
  /** Where the Sandbox's read-only web view is served (e.g. "http://localhost:3000/sandbox"); without it, urls are null. */
  siteUrl?: string;
  /** How often an open stream looks for new posts (milliseconds). */
  streamPollMs?: number;
};

/**
 * The Sandbox network behind the connector contract. It reaches the network's tables directly (the network lives in
 * Parapet's database) but behaves like a remote one: tokens, limits, idempotency keys, cursors and injected faults.
 */
export function createSandboxConnector(db: Db, clock: () => Date, options: SandboxConnectorOptions = {}): Connector {
  const profileUrl = (handle: string) => (options.siteUrl ? `${options.siteUrl}/@${handle}` : null);
  // The post page does not need the handle (a post keeps its address); the signature matches other networks'.
  const postUrl = (_handle: string, postId: string) => (options.siteUrl ? `${options.siteUrl}/posts/${postId}` : null);

  const profileOf = (account: SandboxAccount): AccountProfile => ({
    networkAccountId: account.id,
    handle: account.handle,
    displayName: account.displayName,
    avatarUrl: null,
    url: profileUrl(account.handle),
    followers: account.followers,
    createdAt: account.createdAt.toISOString(),
    verified: account.verified,
  });

  const published = (account: SandboxAccount, post: SandboxPost): PublishedPost => ({
    networkPostId: post.id,
    url: postUrl(account.handle, post.id),
    publishedAt: post.createdAt.toISOString(),
  });

  async function issueToken(account: SandboxAccount): Promise<Connected> {
    const token = newToken("sbx_");
    const now = clock();
    const expiresAt = new Date(now.getTime() + SANDBOX_TOKEN_LIFETIME_MS);
    await db.insert(sandboxTokens).values({ accountId: account.id, tokenHash: hashToken(token), issuedAt: now, expiresAt });
    return { profile: profileOf(account), credentials: { accountId: account.id, handle: account.handle, token }, expiresAt: expiresAt.toISOString() };
  }

  /** The account the credentials act for, after the faults a call can trip; throws auth_expired for bad tokens. */
  async function authenticate(credentials: Credentials, faults: readonly SandboxFaultKind[] = CALL_FAULTS): Promise<SandboxAccount> {
    const token = credentials.token;
    if (typeof token !== "string") throw new NetworkError("auth_expired", "no Sandbox token in the credentials", { status: 401, networkCode: "no_token" });
    const [row] = await db
      .select({ token: sandboxTokens, account: sandboxAccounts })
      .from(sandboxTokens)
      .innerJoin(sandboxAccounts, eq(sandboxAccounts.id, sandboxTokens.accountId))
      .where(eq(sandboxTokens.tokenHash, hashToken(token)));
    if (!row) throw new NetworkError("auth_expired", "the Sandbox does not know this token", { status: 401, networkCode: "invalid_token" });
    if (row.token.revokedAt) throw new NetworkError("auth_expired", "the Sandbox token was revoked", { status: 401, networkCode: "token_revoked" });
    const now = clock();
    if (row.token.expiresAt <= now) throw new NetworkError("auth_expired", "the Sandbox token has expired", { status: 401, networkCode: "token_expired" });
    const fault = await tripSandboxFault(db, row.account.id, faults);
    if (fault?.kind === "rate_limited") {
      const retryAfterSeconds = fault.retryAfterSeconds ?? 60;
      throw new NetworkError("rate_limited", `Sandbox rate limit: retry after ${retryAfterSeconds} s`, { status: 429, retryAfterSeconds, networkCode: "rate_limited" });
    }
    if (fault?.kind === "auth_expired") {
      await db.update(sandboxTokens).set({ expiresAt: now }).where(eq(sandboxTokens.id, row.token.id));
      throw new NetworkError("auth_expired", "the Sandbox token has expired", { status: 401, networkCode: "token_expired" });
    }
    if (fault?.kind === "server_error") throw new NetworkError("transient", "Sandbox server error", { status: 503, networkCode: "server_error" });
    return row.account;
  }

  /** After a write was stored: an injected timeout loses the answer, so the caller cannot know it succeeded. */
  async function answerLost(account: SandboxAccount): Promise<void> {
    const fault = await tripSandboxFault(db, account.id, ["timeout_after_accept"]);
    if (fault) throw new NetworkError("outcome_unknown", "the Sandbox did not answer in time (the request may have been applied)", { networkCode: "timeout" });
  }

  function refuse(networkCode: string, message: string): never {
    throw new NetworkError("invalid_content", message, { status: 400, networkCode });
  }

  function checkPost(post: OutgoingPost): void {
    const media = post.media ?? [];
    if (!post.idempotencyKey) refuse("missing_idempotency_key", "a Sandbox post needs an idempotency key");
    if (post.text.trim() === "" && media.length === 0) refuse("empty_post", "a post needs text or media");
    if (countCharacters(post.text) > SANDBOX_LIMITS.textLength) refuse("text_too_long", `a Sandbox post has at most ${SANDBOX_LIMITS.textLength} characters`);
    if (media.length > SANDBOX_LIMITS.media.maxCount) refuse("too_many_media", `a Sandbox post has at most ${SANDBOX_LIMITS.media.maxCount} images`);
    for (const item of media) {
      if (!SANDBOX_LIMITS.media.types.includes(item.mimeType)) refuse("unsupported_media_type", `the Sandbox does not take ${item.mimeType}`);
      if (item.bytes.byteLength > SANDBOX_LIMITS.media.maxBytes) refuse("media_too_large", "an image is larger than the Sandbox takes");
    }
  }

  const author = (account: { id: string; handle: string; displayName: string }) => ({
    networkAccountId: account.id,
    handle: account.handle,
    displayName: account.displayName,
  });

  return {
    network: "sandbox",
    displayName: "Sandbox",
    capabilities: SANDBOX_CAPABILITIES,
    limits: SANDBOX_LIMITS,
    connectMethod: { kind: "sandbox" },

    async connect(input) {
      if (input.kind !== "sandbox") throw new NetworkError("auth_expired", "the Sandbox connects by handle", { networkCode: "wrong_connect_method" });
      const account = await findSandboxAccount(db, input.handle);
      if (!account) throw new NetworkError("auth_expired", `no Sandbox account @${input.handle}`, { status: 404, networkCode: "unknown_account" });
      if (account.kind !== "brand") throw new NetworkError("auth_expired", `@${account.handle} is not a brand account`, { status: 403, networkCode: "not_a_brand_account" });
      return issueToken(account);
    },

    async verify(credentials) {
      return profileOf(await authenticate(credentials));
    },

    async refresh(credentials) {
      const account = await authenticate(credentials);
      const connected = await issueToken(account);
      await db
        .update(sandboxTokens)
        .set({ revokedAt: clock() })
        .where(and(eq(sandboxTokens.tokenHash, hashToken(String(credentials.token))), isNull(sandboxTokens.revokedAt)));
      return connected;
    },

    async revoke(credentials) {
      if (typeof credentials.token !== "string") return;
      await db
        .update(sandboxTokens)
        .set({ revokedAt: clock() })
        .where(and(eq(sandboxTokens.tokenHash, hashToken(credentials.token)), isNull(sandboxTokens.revokedAt)));
    },

    async publish(credentials, post) {
      const account = await authenticate(credentials);
      checkPost(post);
      if (post.replyTo !== undefined) {
        const target = await findSandboxPost(db, post.replyTo);
        if (!target || target.deletedAt) refuse("reply_target_not_found", "the post to reply to does not exist");
      }
      const { post: stored } = await createSandboxPost(db, account.id, {
        text: post.text,
        lang: null,
        media: (post.media ?? []).map((item) => ({ mimeType: item.mimeType, altText: item.altText, size: item.bytes.byteLength, bytes: item.bytes })),
        replyToId: post.replyTo ?? null,
        idempotencyKey: post.idempotencyKey,
        createdAt: clock(),
      });
      await answerLost(account);
      return published(account, stored);
    },

    async findPublished(credentials, idempotencyKey) {
      const account = await authenticate(credentials);
      const post = await findSandboxPostByKey(db, account.id, idempotencyKey);
      return post ? published(account, post) : null;
    },

    async remove(credentials, networkPostId) {
      const account = await authenticate(credentials);
      const post = await findSandboxPost(db, networkPostId);
      if (!post || post.accountId !== account.id) refuse("not_found", "no such post of this account");
      if (!post.deletedAt) await db.update(sandboxPosts).set({ deletedAt: clock() }).where(and(eq(sandboxPosts.id, post.id), isNull(sandboxPosts.deletedAt)));
      await answerLost(account);
    },

    async sendDirectMessage(credentials, conversationId, text, sendOptions = {}) {
      const account = await authenticate(credentials);
      const participants = participantsOf(conversationId);
      if (!participants || !participants.includes(account.id)) refuse("unknown_conversation", "no such conversation of this account");
      const otherId = participants[0] === account.id ? participants[1] : participants[0];
      const other = await findSandboxAccountById(db, otherId);
      if (!other) refuse("unknown_conversation", "the other participant no longer exists");
      if (text.trim() === "") refuse("empty_message", "a message needs text");
      if (countCharacters(text) > DIRECT_MESSAGE_LENGTH) refuse("text_too_long", `a Sandbox message has at most ${DIRECT_MESSAGE_LENGTH} characters`);
      const message = await sendSandboxDirectMessage(db, {
        senderId: account.id,
        recipientId: other.id,
        text,
        idempotencyKey: sendOptions.idempotencyKey ?? null,
        createdAt: clock(),
      });
      await answerLost(account);
      return { networkItemId: message.id };
    },

    async fetchInbox(credentials, cursor) {
      const account = await authenticate(credentials);
      const after = decodeCursor(cursor);
      const items = await inboxAfter(db, account, after, INBOX_PAGE_SIZE, postUrl);
      if (items.length === 0) return { items: [], cursor };
      const page: Page<InboxItem> = { items: items.map((entry) => entry.item), cursor: encodeCursor(items.at(-1)!.seq) };
      if (await tripSandboxFault(db, account.id, ["duplicate_delivery"])) page.items.push({ ...page.items[0] });
      return page;
    },

    async search(credentials, query, cursor) {
      await authenticate(credentials);
      const words = query.trim();
      if (words === "") refuse("empty_query", "a search needs words");
      const before = cursor === null ? null : decodeCursor(cursor);
      const rows = await db
        .select({ post: sandboxPosts, account: sandboxAccounts })
        .from(sandboxPosts)
        .innerJoin(sandboxAccounts, eq(sandboxAccounts.id, sandboxPosts.accountId))
        .where(
          and(
            isNull(sandboxPosts.deletedAt),
            sql`${sandboxPosts.text} ilike ${"%" + escapeLike(words) + "%"}`,
            before === null ? undefined : lt(sandboxPosts.seq, before),
          ),
        )
        .orderBy(sql`${sandboxPosts.seq} desc`)
        .limit(SEARCH_PAGE_SIZE);
      const items: PublicPost[] = rows.map(({ post, account }) => ({
        networkPostId: post.id,
        author: author(account),
        text: post.text,
        lang: post.lang,
        createdAt: post.createdAt.toISOString(),
        url: postUrl(account.handle, post.id),
      }));
      return { items, cursor: rows.length === SEARCH_PAGE_SIZE ? encodeCursor(rows.at(-1)!.post.seq) : null };
    },

    async openStream(credentials, { cursor, signal }) {
      await authenticate(credentials);
      // Connected: from here on, every post after this position arrives (or after the cursor, when resuming).
      let position = cursor === null ? await latestPostPosition(db) : decodeCursor(cursor);
      const pollMs = options.streamPollMs ?? STREAM_POLL_MS;
      const toPublic = ({ post, account }: { post: SandboxPost; account: SandboxAccount }): StreamedPost => ({
        post: {
          networkPostId: post.id,
          author: author(account),
          text: post.text,
          lang: post.lang,
          createdAt: post.createdAt.toISOString(),
          url: postUrl(account.handle, post.id),
        },
        cursor: encodeCursor(post.seq),
      });
      return (async function* live(): AsyncGenerator<StreamedPost> {
        while (!signal.aborted) {
          const rows = await db
            .select({ post: sandboxPosts, account: sandboxAccounts })
            .from(sandboxPosts)
            .innerJoin(sandboxAccounts, eq(sandboxAccounts.id, sandboxPosts.accountId))
            .where(and(gt(sandboxPosts.seq, position), isNull(sandboxPosts.deletedAt)))
            .orderBy(sandboxPosts.seq)
            .limit(STREAM_BATCH);
          for (const row of rows) {
            if (signal.aborted) return;
            position = row.post.seq;
            yield toPublic(row);
          }
          if (rows.length < STREAM_BATCH) await pause(pollMs, signal);
        }
      })();
    },

    async lookupProfile(credentials, handle) {
      await authenticate(credentials);
      const account = await findSandboxAccount(db, handle);
      return account ? profileOf(account) : null;
    },
  };

  /** Everything addressed to the account after position `after`, oldest first: mentions, replies, DMs, reactions. */
  async function inboxAfter(
    db: Db,
    account: SandboxAccount,
    after: number,
    limit: number,
    urlOf: (handle: string, postId: string) => string | null,
  ): Promise<Array<{ seq: number; item: InboxItem }>> {
    const parent = alias(sandboxPosts, "parent");
    const mentionPattern = `(^|[^a-z0-9_])@${account.handle}([^a-z0-9_]|$)`;
    const posts = await db
      .select({ post: sandboxPosts, author: sandboxAccounts, parentAccountId: parent.accountId })
      .from(sandboxPosts)
      .innerJoin(sandboxAccounts, eq(sandboxAccounts.id, sandboxPosts.accountId))
      .leftJoin(parent, eq(parent.id, sandboxPosts.replyToId))
      .where(
        and(
          gt(sandboxPosts.seq, after),
          ne(sandboxPosts.accountId, account.id),
          isNull(sandboxPosts.deletedAt),
          or(eq(parent.accountId, account.id), sql`${sandboxPosts.text} ~* ${mentionPattern}`),
        ),
      )
      .orderBy(sandboxPosts.seq)
      .limit(limit);
    const messages = await db
      .select({ message: sandboxDirectMessages, author: sandboxAccounts })
      .from(sandboxDirectMessages)
      .innerJoin(sandboxAccounts, eq(sandboxAccounts.id, sandboxDirectMessages.senderId))
      .where(and(gt(sandboxDirectMessages.seq, after), eq(sandboxDirectMessages.recipientId, account.id)))
      .orderBy(sandboxDirectMessages.seq)
      .limit(limit);
    const brandPosts = db.select({ id: sandboxPosts.id }).from(sandboxPosts).where(eq(sandboxPosts.accountId, account.id));
    const reactions = await db
      .select({ reaction: sandboxReactions, author: sandboxAccounts })
      .from(sandboxReactions)
      .innerJoin(sandboxAccounts, eq(sandboxAccounts.id, sandboxReactions.accountId))
      .where(and(gt(sandboxReactions.seq, after), ne(sandboxReactions.accountId, account.id), inArray(sandboxReactions.postId, brandPosts)))
      .orderBy(sandboxReactions.seq)
      .limit(limit);

    const entries: Array<{ seq: number; item: InboxItem }> = [
      ...posts.map(({ post, author: by, parentAccountId }) => ({
        seq: post.seq,
        item: {
          networkItemId: post.id,
          kind: parentAccountId === account.id ? ("reply" as const) : ("mention" as const),
          author: author(by),
          text: post.text,
          inReplyTo: parentAccountId === account.id ? post.replyToId : null,
          conversationId: null,
          reaction: null,
          createdAt: post.createdAt.toISOString(),
          url: urlOf(by.handle, post.id),
        },
      })),
      ...messages.map(({ message, author: by }) => ({
        seq: message.seq,
        item: {
          networkItemId: message.id,
          kind: "direct_message" as const,
          author: author(by),
          text: message.text,
          inReplyTo: null,
          conversationId: message.conversationId,
          reaction: null,
          createdAt: message.createdAt.toISOString(),
          url: null,
        },
      })),
      ...reactions.map(({ reaction, author: by }) => ({
        seq: reaction.seq,
        item: {
          networkItemId: reaction.id,
          kind: "reaction" as const,
          author: author(by),
          text: "",
          inReplyTo: reaction.postId,
          conversationId: null,
          reaction: reaction.reaction,
          createdAt: reaction.createdAt.toISOString(),
          url: urlOf(account.handle, reaction.postId),
        },
      })),
    ];
    return entries.sort((a, b) => a.seq - b.seq).slice(0, limit);
  }
}

/** Characters as a reader counts them (grapheme clusters): "👍🏽" is one. */
export function countCharacters(text: string): number {
  let count = 0;
  for (const _ of new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)) count++;
  return count;
}

function encodeCursor(seq: number): string {
  return Buffer.from(`sbx1:${seq}`).toString("base64url");
}

function decodeCursor(cursor: string | null): number {
  if (cursor === null) return 0;
  const match = /^sbx1:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) throw new NetworkError("invalid_content", "not a Sandbox cursor", { status: 400, networkCode: "bad_cursor" });
  return Number(match[1]);
}

/** The newest post's position on the activity sequence (0 when there is none): where a new stream starts. */
async function latestPostPosition(db: Db): Promise<number> {
  const [row] = await db.select({ seq: sql<string | number | null>`max(${sandboxPosts.seq})` }).from(sandboxPosts);
  return Number(row?.seq ?? 0);
}

/** Waits `ms`, or less when the signal aborts first. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
