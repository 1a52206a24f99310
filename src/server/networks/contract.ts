import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NetworkError, type Connected, type Connector, type InboxItem, type NetworkFailureKind, type StreamedPost } from "./types";

/**
 * The connector contract suite: what every connector must do, run against that connector's peer (the Sandbox's
 * tables, a local Bluesky server, recorded Mastodon responses, …). A connector's test file calls
 * `describeConnectorContract(name, setup)`; cases the connector cannot do are skipped by its `capabilities`, and
 * fault cases by what the peer can inject — never by the network's name.
 */

/** A fault the peer makes the network produce on the brand account's next call. */
export type ContractFault =
  | { kind: "rate_limited"; retryAfterSeconds: number }
  | { kind: "auth_expired" }
  | { kind: "server_error" }
  | { kind: "timeout_after_accept" }
  | { kind: "duplicate_delivery" };

export type ContractFaultKind = ContractFault["kind"];

/** The network side of the contract tests: the connector, and a way to act on and look at the network directly. */
export type ContractPeer = {
  connector: Connector;
  /**
   * Connects a brand account for one test: a fresh one where the peer can make one, else always the same. Given an
   * earlier connection, connects that same account again (what a user does after auth_expired).
   */
  connectBrand(again?: Connected): Promise<Connected>;
  /** The network's own view of a post (what its website shows); null when it is not there or was removed. */
  readPost(networkPostId: string): Promise<{ text: string; replyTo: string | null } | null>;
  /** Another account answers the post publicly, as a follower would; returns the answer's id. */
  replyAsAudience(networkPostId: string, text: string): Promise<{ networkPostId: string }>;
  /** Another account writes to the brand privately (needed for the direct message cases). */
  messageBrand?(brand: Connected, text: string): Promise<{ conversationId: string }>;
  /** Fault injection, where the peer can; `kinds` says which faults. */
  faults?: { kinds: readonly ContractFaultKind[]; inject(brand: Connected, fault: ContractFault): Promise<void> };
  close(): Promise<void>;
};

/** Awaits the call and returns the NetworkError it failed with; fails the test when it succeeded or threw anything else. */
export async function networkFailure(call: Promise<unknown>): Promise<NetworkError> {
  const outcome = await call.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome)) throw new Error(`expected a NetworkError, the call succeeded with ${JSON.stringify(outcome.value)}`);
  if (!(outcome.error instanceof NetworkError)) throw outcome.error;
  return outcome.error;
}

async function expectFailure(call: Promise<unknown>, kind: NetworkFailureKind): Promise<NetworkError> {
  const error = await networkFailure(call);
  expect(error.kind, error.message).toBe(kind);
  return error;
}

/** Reads the inbox from `cursor` until a page comes back empty; returns every item and where to continue. */
async function readInboxToEnd(connector: Connector, brand: Connected, cursor: string | null): Promise<{ items: InboxItem[]; cursor: string | null }> {
  const items: InboxItem[] = [];
  for (let pages = 0; pages < 100; pages++) {
    const page = await connector.fetchInbox!(brand.credentials, cursor);
    if (page.items.length === 0) return { items, cursor };
    items.push(...page.items);
    cursor = page.cursor;
  }
  throw new Error("the inbox did not end after 100 pages");
}

/** Reads `stream` until `wanted` matches an item (failing after `timeoutMs`); returns every item read on the way. */
async function readStreamUntil(stream: AsyncIterable<StreamedPost>, wanted: (item: StreamedPost) => boolean, timeoutMs = 20_000): Promise<StreamedPost[]> {
  const seen: StreamedPost[] = [];
  const iterator = stream[Symbol.asyncIterator]();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the stream did not deliver the post within ${timeoutMs} ms`)), Math.max(left, 0));
    });
    const next = await Promise.race([iterator.next(), timeout]).finally(() => clearTimeout(timer));
    if (next.done) throw new Error("the stream ended before it delivered the post");
    seen.push(next.value);
    if (wanted(next.value)) return seen;
  }
}

const marker = () => `contract-${randomUUID().slice(0, 8)}`;
const key = () => `contract-${randomUUID()}`;
/** A valid 1×1 PNG. */
const PNG = Uint8Array.from(
  Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64"),
);

export function describeConnectorContract(name: string, setup: () => Promise<ContractPeer>): void {
  describe(`${name} connector contract`, () => {
    let peer: ContractPeer;
    let connector: Connector;
    beforeAll(async () => {
      peer = await setup();
      connector = peer.connector;
    });
    afterAll(() => peer?.close());

    const can = (capability: keyof Connector["capabilities"]) => connector.capabilities[capability];
    const canInject = (kind: ContractFaultKind) => peer.faults?.kinds.includes(kind) ?? false;

    it("connects an account and verifies its credentials to the same profile", async () => {
      const brand = await peer.connectBrand();
      expect(brand.profile.networkAccountId).not.toBe("");
      expect(brand.profile.handle).not.toBe("");
      const profile = await connector.verify(brand.credentials);
      expect(profile.networkAccountId).toBe(brand.profile.networkAccountId);
      expect(profile.handle).toBe(brand.profile.handle);
    });

    it("publishes a post that the network then shows", async ({ skip }) => {
      skip(!can("publish"), "cannot publish");
      const brand = await peer.connectBrand();
      const text = `Hello from the contract suite ${marker()}`;
      const post = await connector.publish!(brand.credentials, { text, idempotencyKey: key() });
      expect(post.networkPostId).not.toBe("");
      expect(Number.isNaN(Date.parse(post.publishedAt))).toBe(false);
      expect((await peer.readPost(post.networkPostId))?.text).toBe(text);
    });

    it("finds a published post by searching for its words", async ({ skip }) => {
      skip(!can("publish") || !can("search"), "cannot publish and search");
      const brand = await peer.connectBrand();
      const word = marker();
      const post = await connector.publish!(brand.credentials, { text: `Searchable ${word}`, idempotencyKey: key() });
      const found = await connector.search!(brand.credentials, word.toUpperCase(), null);
      expect(found.items.map((item) => item.networkPostId)).toEqual([post.networkPostId]);
      expect(found.items[0].author.networkAccountId).toBe(brand.profile.networkAccountId);
    });

    it("publishing again with the same idempotency key returns the same post and makes no second one", async ({ skip }) => {
      skip(!can("publish"), "cannot publish");
      const brand = await peer.connectBrand();
      const word = marker();
      const idempotencyKey = key();
      const first = await connector.publish!(brand.credentials, { text: `Once only ${word}`, idempotencyKey });
      const again = await connector.publish!(brand.credentials, { text: `Once only ${word}`, idempotencyKey });
      expect(again.networkPostId).toBe(first.networkPostId);
      if (can("search")) expect((await connector.search!(brand.credentials, word, null)).items).toHaveLength(1);
    });

    it("finds a published post by its idempotency key, and nothing for a key never used", async ({ skip }) => {
      skip(!can("publish") || !connector.findPublished, "cannot look up by idempotency key");
      const brand = await peer.connectBrand();
      const idempotencyKey = key();
      const text = `Reconcile me ${marker()}`;
      const post = await connector.publish!(brand.credentials, { text, idempotencyKey });
      expect((await connector.findPublished!(brand.credentials, idempotencyKey, text))?.networkPostId).toBe(post.networkPostId);
      expect(await connector.findPublished!(brand.credentials, key(), text)).toBeNull();
    });

    it("removes a live post", async ({ skip }) => {
      skip(!can("publish") || !can("remove"), "cannot publish and remove");
      const brand = await peer.connectBrand();
      const word = marker();
      const post = await connector.publish!(brand.credentials, { text: `Take me down ${word}`, idempotencyKey: key() });
      await connector.remove!(brand.credentials, post.networkPostId);
      expect(await peer.readPost(post.networkPostId)).toBeNull();
      if (can("search")) expect((await connector.search!(brand.credentials, word, null)).items).toEqual([]);
    });

    it("publishes a reply to another account's post", async ({ skip }) => {
      skip(!can("publish") || !can("reply"), "cannot reply");
      const brand = await peer.connectBrand();
      const post = await connector.publish!(brand.credentials, { text: `Ask us anything ${marker()}`, idempotencyKey: key() });
      const question = await peer.replyAsAudience(post.networkPostId, "When do you open?");
      const answer = await connector.publish!(brand.credentials, { text: "At nine.", replyTo: question.networkPostId, idempotencyKey: key() });
      expect(await peer.readPost(answer.networkPostId)).toEqual({ text: "At nine.", replyTo: question.networkPostId });
    });

    it("refuses text over the length limit as invalid content, and takes text at the limit", async ({ skip }) => {
      skip(!can("publish"), "cannot publish");
      const brand = await peer.connectBrand();
      const tooLong = "a".repeat(connector.limits.textLength + 1);
      await expectFailure(connector.publish!(brand.credentials, { text: tooLong, idempotencyKey: key() }), "invalid_content");
      const atLimit = await connector.publish!(brand.credentials, { text: tooLong.slice(1), idempotencyKey: key() });
      expect((await peer.readPost(atLimit.networkPostId))?.text).toBe(tooLong.slice(1));
    });

    it("refuses more images than the limit as invalid content", async ({ skip }) => {
      skip(!can("publish"), "cannot publish");
      const brand = await peer.connectBrand();
      const media = Array.from({ length: connector.limits.media.maxCount + 1 }, () => ({ mimeType: "image/png", bytes: PNG, altText: "A dot" }));
      await expectFailure(connector.publish!(brand.credentials, { text: "Too many pictures", media, idempotencyKey: key() }), "invalid_content");
    });

    it("shows a reply to the brand's post in its inbox, and a cursor never returns an item twice", async ({ skip }) => {
      skip(!can("publish") || !can("inbox"), "cannot publish and read an inbox");
      const brand = await peer.connectBrand();
      const post = await connector.publish!(brand.credentials, { text: `Tell us what you think ${marker()}`, idempotencyKey: key() });
      const first = await peer.replyAsAudience(post.networkPostId, "Love it");
      const start = await readInboxToEnd(connector, brand, null);
      const reply = start.items.find((item) => item.networkItemId === first.networkPostId);
      expect(reply).toMatchObject({ kind: "reply", text: "Love it", inReplyTo: post.networkPostId });

      const second = await peer.replyAsAudience(post.networkPostId, "Me too");
      const next = await readInboxToEnd(connector, brand, start.cursor);
      expect(next.items.map((item) => item.networkItemId)).toEqual([second.networkPostId]);
      expect((await readInboxToEnd(connector, brand, next.cursor)).items).toEqual([]);
    });

    it("shows a direct message in the inbox and answers it in the same conversation", async ({ skip }) => {
      skip(!can("directMessages") || !can("inbox") || !peer.messageBrand, "cannot exchange direct messages");
      const brand = await peer.connectBrand();
      const { conversationId } = await peer.messageBrand!(brand, "My order never arrived");
      const inbox = await readInboxToEnd(connector, brand, null);
      expect(inbox.items.find((item) => item.kind === "direct_message")).toMatchObject({ text: "My order never arrived", conversationId });
      const sent = await connector.sendDirectMessage!(brand.credentials, conversationId, "Sorry! Sending a new one today.");
      expect(sent.networkItemId).not.toBe("");
    });

    it("looks up a profile by handle, and finds nobody for a handle that does not exist", async ({ skip }) => {
      skip(!can("profileLookup"), "cannot look up profiles");
      const brand = await peer.connectBrand();
      expect((await connector.lookupProfile!(brand.credentials, brand.profile.handle))?.networkAccountId).toBe(brand.profile.networkAccountId);
      expect(await connector.lookupProfile!(brand.credentials, `nobody_${randomUUID().slice(0, 8)}`)).toBeNull();
    });

    it("streams posts published after it opened, and resumes after a cursor without repeating or losing one", async ({ skip }) => {
      skip(!can("stream") || !connector.openStream || !can("publish"), "cannot stream and publish");
      const brand = await peer.connectBrand();
      const first = new AbortController();
      const live = await connector.openStream!(brand.credentials, { cursor: null, signal: first.signal });
      const a = await connector.publish!(brand.credentials, { text: `Streamed first ${marker()}`, idempotencyKey: key() });
      const b = await connector.publish!(brand.credentials, { text: `Streamed second ${marker()}`, idempotencyKey: key() });
      const untilA = await readStreamUntil(live, (item) => item.post.networkPostId === a.networkPostId);
      first.abort();
      expect(untilA.at(-1)!.post.author.networkAccountId).toBe(brand.profile.networkAccountId);

      const second = new AbortController();
      const resumed = await connector.openStream!(brand.credentials, { cursor: untilA.at(-1)!.cursor, signal: second.signal });
      const untilB = await readStreamUntil(resumed, (item) => item.post.networkPostId === b.networkPostId);
      second.abort();
      expect(untilB.map((item) => item.post.networkPostId)).not.toContain(a.networkPostId);
    });

    it("refreshes credentials into new ones that work", async ({ skip }) => {
      skip(!can("refresh") || !connector.refresh, "cannot refresh");
      const brand = await peer.connectBrand();
      const refreshed = await connector.refresh!(brand.credentials);
      expect(refreshed.credentials).not.toEqual(brand.credentials);
      expect((await connector.verify(refreshed.credentials)).networkAccountId).toBe(brand.profile.networkAccountId);
    });

    it("revoked credentials fail as auth_expired", async ({ skip }) => {
      skip(!connector.revoke, "cannot revoke");
      const brand = await peer.connectBrand();
      await connector.revoke!(brand.credentials);
      await expectFailure(connector.verify(brand.credentials), "auth_expired");
    });

    describe("failures", () => {
      it("a rate limit is rate_limited with the time to wait, and nothing was published", async ({ skip }) => {
        skip(!canInject("rate_limited") || !can("publish"), "peer cannot inject a rate limit");
        const brand = await peer.connectBrand();
        await peer.faults!.inject(brand, { kind: "rate_limited", retryAfterSeconds: 42 });
        const idempotencyKey = key();
        const error = await expectFailure(connector.publish!(brand.credentials, { text: "Too soon", idempotencyKey }), "rate_limited");
        expect(error.details.retryAfterSeconds).toBe(42);
        if (connector.findPublished) expect(await connector.findPublished(brand.credentials, idempotencyKey, "Too soon")).toBeNull();
      });

      it("expired authorisation is auth_expired until the account is connected again", async ({ skip }) => {
        skip(!canInject("auth_expired"), "peer cannot expire authorisation");
        const brand = await peer.connectBrand();
        await peer.faults!.inject(brand, { kind: "auth_expired" });
        await expectFailure(connector.verify(brand.credentials), "auth_expired");
        await expectFailure(connector.verify(brand.credentials), "auth_expired");
        const again = await peer.connectBrand(brand);
        expect((await connector.verify(again.credentials)).networkAccountId).toBe(brand.profile.networkAccountId);
      });

      it("a server error is transient, and nothing was published", async ({ skip }) => {
        skip(!canInject("server_error") || !can("publish"), "peer cannot inject a server error");
        const brand = await peer.connectBrand();
        await peer.faults!.inject(brand, { kind: "server_error" });
        const idempotencyKey = key();
        await expectFailure(connector.publish!(brand.credentials, { text: "Into the void", idempotencyKey }), "transient");
        if (connector.findPublished) expect(await connector.findPublished(brand.credentials, idempotencyKey, "Into the void")).toBeNull();
        const retried = await connector.publish!(brand.credentials, { text: "Into the void", idempotencyKey });
        expect((await peer.readPost(retried.networkPostId))?.text).toBe("Into the void");
      });

      it("a timeout after the network accepted a post is outcome_unknown, and reconciling finds the one post", async ({ skip }) => {
        skip(!canInject("timeout_after_accept") || !can("publish") || !connector.findPublished, "peer cannot time out after accepting");
        const brand = await peer.connectBrand();
        await peer.faults!.inject(brand, { kind: "timeout_after_accept" });
        const idempotencyKey = key();
        const text = `Did it go out? ${marker()}`;
        await expectFailure(connector.publish!(brand.credentials, { text, idempotencyKey }), "outcome_unknown");
        const found = await connector.findPublished!(brand.credentials, idempotencyKey, text);
        expect(found).not.toBeNull();
        expect((await peer.readPost(found!.networkPostId))?.text).toBe(text);
        const retried = await connector.publish!(brand.credentials, { text, idempotencyKey });
        expect(retried.networkPostId).toBe(found!.networkPostId);
      });

      it("a duplicate delivery repeats an inbox item under the same id, so callers can drop it", async ({ skip }) => {
        skip(!canInject("duplicate_delivery") || !can("publish") || !can("inbox"), "peer cannot deliver twice");
        const brand = await peer.connectBrand();
        const post = await connector.publish!(brand.credentials, { text: `Anyone there? ${marker()}`, idempotencyKey: key() });
        const reply = await peer.replyAsAudience(post.networkPostId, "Here!");
        await peer.faults!.inject(brand, { kind: "duplicate_delivery" });
        const ids = (await readInboxToEnd(connector, brand, null)).items.map((item) => item.networkItemId);
        expect(ids.filter((id) => id === reply.networkPostId)).toHaveLength(2);
      });
    });
  });
}
