import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase, type DatabaseKind } from "../../../../test/support/databases";
import { hashToken } from "../../crypto/secrets";
import type { Database } from "../../db/client";
import { describeConnectorContract, networkFailure, type ContractPeer } from "../contract";
import type { Connected, Connector } from "../types";
import { createSandboxConnector, SANDBOX_TOKEN_LIFETIME_MS } from "./connector";
import {
  conversationIdFor,
  createSandboxPost,
  ensureSandboxAccount,
  findSandboxPost,
  injectSandboxFault,
  reactToSandboxPost,
  sendSandboxDirectMessage,
  type SandboxAccount,
} from "./network";
import { sandboxDirectMessages, sandboxPosts, sandboxTokens } from "./sandbox.schema";

const DAY = 24 * 60 * 60 * 1000;

/** A clock the tests move by hand. */
function movableClock(start = new Date("2026-05-04T09:00:00Z")) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

const uniqueHandle = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, "").slice(0, 10)}`;

async function sandboxPeer(kind: DatabaseKind): Promise<ContractPeer> {
  const database = await freshDatabase(kind);
  const clock = movableClock();
  const connector = createSandboxConnector(database.db, clock.now);
  const fan = await ensureSandboxAccount(database.db, { handle: "contract_fan", displayName: "Contract Fan", kind: "audience", createdAt: clock.now() });
  return {
    connector,
    async connectBrand(again?: Connected) {
      if (again) return connector.connect({ kind: "sandbox", handle: again.profile.handle });
      const brand = await ensureSandboxAccount(database.db, { handle: uniqueHandle("brand"), displayName: "Contract Brand", kind: "brand", createdAt: clock.now() });
      return connector.connect({ kind: "sandbox", handle: brand.handle });
    },
    async readPost(networkPostId) {
      const post = await findSandboxPost(database.db, networkPostId);
      return post && !post.deletedAt ? { text: post.text, replyTo: post.replyToId } : null;
    },
    async replyAsAudience(networkPostId, text) {
      const { post } = await createSandboxPost(database.db, fan.id, { text, replyToId: networkPostId, createdAt: clock.now() });
      return { networkPostId: post.id };
    },
    async messageBrand(brand, text) {
      const message = await sendSandboxDirectMessage(database.db, { senderId: fan.id, recipientId: brand.profile.networkAccountId, text, createdAt: clock.now() });
      return { conversationId: message.conversationId };
    },
    faults: {
      kinds: ["rate_limited", "auth_expired", "server_error", "timeout_after_accept", "duplicate_delivery"],
      inject: (brand, fault) => injectSandboxFault(database.db, brand.profile.networkAccountId, fault, clock.now()),
    },
    close: () => database.close(),
  };
}

describeEachDatabase("the Sandbox network", (kind) => {
  describeConnectorContract("Sandbox", () => sandboxPeer(kind));

  describe("beyond the contract", () => {
    let database: Database;
    let clock: ReturnType<typeof movableClock>;
    let sandbox: Connector;
    let fan: SandboxAccount;
    let critic: SandboxAccount;

    const newBrand = async (handle = uniqueHandle("brand")) => {
      await ensureSandboxAccount(database.db, { handle, displayName: "Brand", kind: "brand", createdAt: clock.now() });
      return sandbox.connect({ kind: "sandbox", handle });
    };
    const publish = (brand: Connected, text: string, extra: { replyTo?: string } = {}) =>
      sandbox.publish!(brand.credentials, { text, idempotencyKey: randomUUID(), ...extra });
    const post = async (by: SandboxAccount, text: string, replyToId?: string) =>
      (await createSandboxPost(database.db, by.id, { text, replyToId, createdAt: clock.now() })).post;
    const inbox = async (brand: Connected) => (await sandbox.fetchInbox!(brand.credentials, null)).items;

    beforeAll(async () => {
      database = await freshDatabase(kind);
      clock = movableClock();
      sandbox = createSandboxConnector(database.db, () => clock.now(), { siteUrl: "http://localhost:3000/sandbox" });
      fan = await ensureSandboxAccount(database.db, { handle: "fan", displayName: "Fan", kind: "audience", createdAt: clock.now() });
      critic = await ensureSandboxAccount(database.db, { handle: "critic", displayName: "Critic", kind: "audience", createdAt: clock.now() });
    });
    afterAll(() => database.close());

    it("connects only brand accounts, by handle with or without the @", async () => {
      const handle = uniqueHandle("Brand");
      await ensureSandboxAccount(database.db, { handle, displayName: "Brand", kind: "brand", createdAt: clock.now() });
      expect((await sandbox.connect({ kind: "sandbox", handle: `@${handle.toUpperCase()}` })).profile.handle).toBe(handle.toLowerCase());
      const refusedAudience = await networkFailure(sandbox.connect({ kind: "sandbox", handle: "fan" }));
      expect(refusedAudience).toMatchObject({ kind: "auth_expired", details: { networkCode: "not_a_brand_account" } });
      const refusedUnknown = await networkFailure(sandbox.connect({ kind: "sandbox", handle: "no_such_account" }));
      expect(refusedUnknown).toMatchObject({ kind: "auth_expired", details: { networkCode: "unknown_account" } });
    });

    it("keeps only the hash of the tokens it issues", async () => {
      const brand = await newBrand();
      const rows = await database.db.select().from(sandboxTokens).where(eq(sandboxTokens.accountId, brand.profile.networkAccountId));
      expect(rows.map((row) => row.tokenHash)).toEqual([hashToken(String(brand.credentials.token))]);
      expect(JSON.stringify(rows)).not.toContain(String(brand.credentials.token));
    });

    it("a token expires after 30 days unless refreshed, and refreshing retires the old one", async () => {
      const brand = await newBrand();
      expect(Date.parse(brand.expiresAt!)).toBe(clock.now().getTime() + SANDBOX_TOKEN_LIFETIME_MS);
      clock.advance(29 * DAY);
      const refreshed = await sandbox.refresh!(brand.credentials);
      expect(await networkFailure(sandbox.verify(brand.credentials))).toMatchObject({ kind: "auth_expired", details: { networkCode: "token_revoked" } });
      clock.advance(29 * DAY);
      await sandbox.verify(refreshed.credentials);
      clock.advance(2 * DAY);
      expect(await networkFailure(sandbox.verify(refreshed.credentials))).toMatchObject({ kind: "auth_expired", details: { networkCode: "token_expired" } });
      expect((await networkFailure(sandbox.refresh!(refreshed.credentials))).kind).toBe("auth_expired");
    });

    it("gathers mentions, replies, direct messages and reactions addressed to the brand, oldest first", async () => {
      const brand = await newBrand();
      const handle = brand.profile.handle;
      const own = await publish(brand, "New autumn range is out");
      const mention = await post(fan, `Just bought a kettle from @${handle.toUpperCase()}!`);
      const reply = await post(critic, "Mine arrived broken", own.networkPostId);
      const message = await sendSandboxDirectMessage(database.db, { senderId: critic.id, recipientId: brand.profile.networkAccountId, text: "Order 1234?", createdAt: clock.now() });
      await reactToSandboxPost(database.db, { accountId: fan.id, postId: own.networkPostId, reaction: "❤️", createdAt: clock.now() });

      const items = await inbox(brand);
      expect(items.map((item) => [item.kind, item.author.handle])).toEqual([
        ["mention", "fan"],
        ["reply", "critic"],
        ["direct_message", "critic"],
        ["reaction", "fan"],
      ]);
      expect(items[0]).toMatchObject({ networkItemId: mention.id, inReplyTo: null, url: `http://localhost:3000/sandbox/posts/${mention.id}` });
      expect(items[1]).toMatchObject({ networkItemId: reply.id, inReplyTo: own.networkPostId });
      expect(items[2]).toMatchObject({ networkItemId: message.id, conversationId: conversationIdFor(critic.id, brand.profile.networkAccountId) });
      expect(items[3]).toMatchObject({ reaction: "❤️", inReplyTo: own.networkPostId });
    });

    it("leaves out the brand's own posts, removed posts and mentions of look-alike handles", async () => {
      const brand = await newBrand();
      const handle = brand.profile.handle;
      await publish(brand, `I am @${handle}`);
      await post(fan, `Follow @${handle}_giveaway for free stuff, or mail ${handle}@example.com`);
      const removed = await post(fan, `@${handle} you are the worst`);
      await database.db.update(sandboxPosts).set({ deletedAt: clock.now() }).where(eq(sandboxPosts.id, removed.id));
      expect(await inbox(brand)).toEqual([]);
    });

    it("a rate limit injected for two calls refuses two calls, then lets calls through", async () => {
      const brand = await newBrand();
      await injectSandboxFault(database.db, brand.profile.networkAccountId, { kind: "rate_limited", retryAfterSeconds: 30, count: 2 }, clock.now());
      expect((await networkFailure(sandbox.verify(brand.credentials))).kind).toBe("rate_limited");
      expect((await networkFailure(sandbox.verify(brand.credentials))).kind).toBe("rate_limited");
      expect((await sandbox.verify(brand.credentials)).handle).toBe(brand.profile.handle);
    });

    it("faults of one account leave other accounts alone", async () => {
      const struck = await newBrand();
      const spared = await newBrand();
      await injectSandboxFault(database.db, struck.profile.networkAccountId, { kind: "server_error" }, clock.now());
      await sandbox.verify(spared.credentials);
      expect((await networkFailure(sandbox.verify(struck.credentials))).kind).toBe("transient");
    });

    it("concurrent publishes with one idempotency key store one post", async () => {
      const brand = await newBrand();
      const idempotencyKey = randomUUID();
      const results = await Promise.all(Array.from({ length: 5 }, () => sandbox.publish!(brand.credentials, { text: "Just once", idempotencyKey })));
      expect(new Set(results.map((result) => result.networkPostId)).size).toBe(1);
      const stored = await database.db.select().from(sandboxPosts).where(eq(sandboxPosts.accountId, brand.profile.networkAccountId));
      expect(stored).toHaveLength(1);
    });

    it("counts characters as readers see them, so 500 emoji with skin tones fit", async () => {
      const brand = await newBrand();
      await publish(brand, "👍🏽".repeat(500));
      expect((await networkFailure(publish(brand, "👍🏽".repeat(501)))).kind).toBe("invalid_content");
    });

    it("refuses replies to removed or unknown posts, and removing another account's post", async () => {
      const brand = await newBrand();
      const gone = await publish(brand, "Soon gone");
      await sandbox.remove!(brand.credentials, gone.networkPostId);
      await sandbox.remove!(brand.credentials, gone.networkPostId);
      expect(await networkFailure(publish(brand, "Hello?", { replyTo: gone.networkPostId }))).toMatchObject({ kind: "invalid_content", details: { networkCode: "reply_target_not_found" } });
      expect((await networkFailure(publish(brand, "Hello?", { replyTo: "not-an-id" }))).kind).toBe("invalid_content");
      const theirs = await post(fan, "My own post");
      expect(await networkFailure(sandbox.remove!(brand.credentials, theirs.id))).toMatchObject({ kind: "invalid_content", details: { networkCode: "not_found" } });
    });

    it("answers only conversations the brand is part of", async () => {
      const brand = await newBrand();
      const elsewhere = conversationIdFor(fan.id, critic.id);
      expect((await networkFailure(sandbox.sendDirectMessage!(brand.credentials, elsewhere, "Hi"))).kind).toBe("invalid_content");
      expect((await networkFailure(sandbox.sendDirectMessage!(brand.credentials, "garbage", "Hi"))).kind).toBe("invalid_content");
      const conversation = conversationIdFor(fan.id, brand.profile.networkAccountId);
      const sent = await sandbox.sendDirectMessage!(brand.credentials, conversation, "Hi, how can we help?");
      expect(sent.networkItemId).not.toBe("");
    });

    it("a message whose answer was lost is sent once when retried with its idempotency key", async () => {
      const brand = await newBrand();
      const conversation = conversationIdFor(fan.id, brand.profile.networkAccountId);
      await injectSandboxFault(database.db, brand.profile.networkAccountId, { kind: "timeout_after_accept" }, clock.now());
      const send = () => sandbox.sendDirectMessage!(brand.credentials, conversation, "Your refund is on its way", { idempotencyKey: "refund-42" });
      expect((await networkFailure(send())).kind).toBe("outcome_unknown");
      const retried = await send();
      const sent = await database.db.select().from(sandboxDirectMessages).where(eq(sandboxDirectMessages.senderId, brand.profile.networkAccountId));
      expect(sent.map((message) => message.id)).toEqual([retried.networkItemId]);
    });

    it("searches newest first and pages to older posts with its cursor", async () => {
      const brand = await newBrand();
      const word = uniqueHandle("kettle");
      for (let n = 0; n < 30; n++) await post(fan, `${word} number ${n}`);
      const first = await sandbox.search!(brand.credentials, word, null);
      expect(first.items).toHaveLength(25);
      expect(first.items[0].text).toBe(`${word} number 29`);
      const second = await sandbox.search!(brand.credentials, word, first.cursor);
      expect(second.items.map((item) => item.text)).toEqual([4, 3, 2, 1, 0].map((n) => `${word} number ${n}`));
      expect(second.cursor).toBeNull();
    });

    it("treats a search for % or _ as the characters themselves", async () => {
      const brand = await newBrand();
      await post(fan, `100% sure ${uniqueHandle("x")}`);
      const found = await sandbox.search!(brand.credentials, "100%", null);
      expect(found.items.every((item) => item.text.includes("100%"))).toBe(true);
      expect(found.items.length).toBeGreaterThan(0);
    });

    it("a duplicate delivery repeats an item within its page only: the next page from its cursor does not bring it again", async () => {
      const brand = await newBrand();
      const own = await publish(brand, "Busy day");
      const replies: Array<{ id: string }> = [];
      for (let n = 0; n < 55; n++) replies.push(await post(fan, `Reply ${n}`, own.networkPostId));
      await injectSandboxFault(database.db, brand.profile.networkAccountId, { kind: "duplicate_delivery" }, clock.now());
      const first = await sandbox.fetchInbox!(brand.credentials, null);
      const firstIds = first.items.map((item) => item.networkItemId);
      expect(firstIds.filter((id) => id === replies[0].id)).toHaveLength(2);
      expect(new Set(firstIds).size).toBe(50);
      const second = await sandbox.fetchInbox!(brand.credentials, first.cursor);
      expect(second.items.map((item) => item.networkItemId)).toEqual(replies.slice(50).map((reply) => reply.id));
      expect((await sandbox.fetchInbox!(brand.credentials, second.cursor)).items).toEqual([]);
    });

    it("streams live posts of every account in order, leaves out removed ones, and ends when aborted", async () => {
      const brand = await newBrand();
      const controller = new AbortController();
      const stream = await sandbox.openStream!(brand.credentials, { cursor: null, signal: controller.signal });
      const kept = await post(fan, "Streamed one");
      const removed = await post(critic, "Streamed, then removed");
      await database.db.update(sandboxPosts).set({ deletedAt: clock.now() }).where(eq(sandboxPosts.id, removed.id));
      const last = await publish(brand, "Streamed two");
      const seen: string[] = [];
      for await (const item of stream) {
        seen.push(item.post.networkPostId);
        expect(item.post.url).toBe(`http://localhost:3000/sandbox/posts/${item.post.networkPostId}`);
        if (item.post.networkPostId === last.networkPostId) controller.abort();
      }
      expect(seen).toEqual([kept.id, last.networkPostId]);
    });

    it("refuses to open a stream with credentials that no longer work", async () => {
      const brand = await newBrand();
      await sandbox.revoke!(brand.credentials);
      expect((await networkFailure(sandbox.openStream!(brand.credentials, { cursor: null, signal: new AbortController().signal }))).kind).toBe("auth_expired");
    });

    it("refuses a cursor it did not make", async () => {
      const brand = await newBrand();
      expect((await networkFailure(sandbox.fetchInbox!(brand.credentials, "bm9wZQ"))).kind).toBe("invalid_content");
    });
  });
});
