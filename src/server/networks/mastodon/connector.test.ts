import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMastodonTestPeer, type MastodonTestPeer } from "../../../../test/peers/mastodon/peer";
import { describeConnectorContract, networkFailure, type ContractPeer } from "../contract";
import type { Connected, Connector } from "../types";
import { createMastodonConnector, MASTODON_SCOPES, normalizeInstanceUrl, type MastodonOutgoingPost } from "./connector";
import { retryAfterSeconds } from "./failures";
import { htmlToText, withoutLeadingMentions } from "./text";

const REDIRECT_URI = "http://127.0.0.1:9/channels/oauth/callback";
/** Short, so the timeout_after_accept case ends quickly. */
const TIMEOUT_MS = 2_000;

const uniqueUsername = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, "").slice(0, 10)}`;
const usernameOf = (brand: Connected) => brand.profile.handle.split("@")[0];

function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** Follows the authorize URL as a browser would (the test peer approves at once) and returns the callback's query. */
async function authorizeAt(authorizeUrl: string): Promise<URLSearchParams> {
  const response = await fetch(authorizeUrl, { redirect: "manual" });
  if (response.status !== 302) throw new Error(`the authorize page answered ${response.status}: ${await response.text()}`);
  return new URL(response.headers.get("location")!).searchParams;
}

/** The whole OAuth flow for an account of the peer, as the channels domain runs it. */
async function connectAs(connector: Connector, peer: MastodonTestPeer, username: string): Promise<Connected> {
  peer.signIn(username);
  const { verifier, challenge } = pkcePair();
  const state = randomUUID();
  const start = await connector.beginAuthorization!({ serviceUrl: peer.url, redirectUri: REDIRECT_URI, state, codeChallenge: challenge });
  const callback = await authorizeAt(start.authorizeUrl);
  expect(callback.get("state")).toBe(state);
  return connector.connect({ kind: "oauth2_callback", code: callback.get("code")!, codeVerifier: verifier, redirectUri: REDIRECT_URI, pending: start.pending });
}

async function mastodonPeer(): Promise<ContractPeer> {
  const peer = await startMastodonTestPeer();
  const connector = createMastodonConnector({ timeoutMs: TIMEOUT_MS });
  peer.addAccount({ username: "contract_fan", displayName: "Contract Fan" });
  const authorOf = (statusId: string) => peer.account(peer.status(statusId)!.accountId)!.username;
  return {
    connector,
    async connectBrand(again?: Connected) {
      if (again) return connectAs(connector, peer, usernameOf(again));
      const username = uniqueUsername("brand");
      peer.addAccount({ username, displayName: "Contract Brand" });
      return connectAs(connector, peer, username);
    },
    async readPost(networkPostId) {
      const status = peer.status(networkPostId);
      return status && !status.deletedAt ? { text: status.text, replyTo: status.inReplyToId } : null;
    },
    async replyAsAudience(networkPostId, text) {
      // As a Mastodon client does: a reply starts by mentioning the author (only a mention notifies them).
      const reply = peer.post("contract_fan", { text: `@${authorOf(networkPostId)} ${text}`, inReplyToId: networkPostId });
      return { networkPostId: reply.id };
    },
    async messageBrand(brand, text) {
      const message = peer.post("contract_fan", { text: `@${usernameOf(brand)} ${text}`, visibility: "direct" });
      const conversation = peer.conversationsOf(usernameOf(brand)).find((candidate) => candidate.lastStatusId === message.id)!;
      return { conversationId: conversation.id };
    },
    faults: {
      kinds: ["rate_limited", "auth_expired", "server_error", "timeout_after_accept", "duplicate_delivery"],
      inject: async (brand, fault) => peer.injectFault(usernameOf(brand), fault),
    },
    close: () => peer.close(),
  };
}

describe("the Mastodon connector", () => {
  describeConnectorContract("Mastodon", mastodonPeer);

  describe("against recorded Mastodon 4.3 answers", () => {
    let peer: MastodonTestPeer;
    let mastodon: Connector;
    const newBrand = async () => {
      const username = uniqueUsername("brand");
      peer.addAccount({ username, displayName: "Ember & Oak", followers: 1200 });
      return connectAs(mastodon, peer, username);
    };
    const publish = (brand: Connected, post: Omit<MastodonOutgoingPost, "idempotencyKey"> & { idempotencyKey?: string }) =>
      mastodon.publish!(brand.credentials, { idempotencyKey: randomUUID(), ...post } as MastodonOutgoingPost);
    const lastRequest = (method: string, path: string) => peer.requests.filter((request) => request.method === method && request.path === path).at(-1)!;

    beforeAll(async () => {
      peer = await startMastodonTestPeer();
      mastodon = createMastodonConnector({ timeoutMs: TIMEOUT_MS });
      peer.addAccount({ username: "fan", displayName: "Fan" });
      peer.addAccount({ username: "critic", displayName: "Critic" });
    });
    afterAll(() => peer.close());

    it("registers an app at the instance and sends the user to authorize with an S256 PKCE challenge", async () => {
      const { challenge } = pkcePair();
      const start = await mastodon.beginAuthorization!({ serviceUrl: `${peer.url}/@someone`, redirectUri: REDIRECT_URI, state: "s1", codeChallenge: challenge });
      const url = new URL(start.authorizeUrl);
      expect(url.origin + url.pathname).toBe(`${peer.url}/oauth/authorize`);
      expect(Object.fromEntries(url.searchParams)).toMatchObject({
        response_type: "code",
        client_id: start.pending.clientId,
        redirect_uri: REDIRECT_URI,
        scope: MASTODON_SCOPES.join(" "),
        state: "s1",
        code_challenge: challenge,
        code_challenge_method: "S256",
      });
      expect(start.pending).toMatchObject({ serviceUrl: peer.url, clientSecret: expect.any(String) });
      expect(lastRequest("POST", "/api/v1/apps").body).toMatchObject({ client_name: "Parapet", redirect_uris: REDIRECT_URI, scopes: MASTODON_SCOPES.join(" ") });
    });

    it("refuses a code exchanged with the wrong PKCE verifier, and connects with the right one to a token that does not expire", async () => {
      const username = uniqueUsername("brand");
      peer.addAccount({ username });
      peer.signIn(username);
      const { verifier, challenge } = pkcePair();
      const start = await mastodon.beginAuthorization!({ serviceUrl: peer.url, redirectUri: REDIRECT_URI, state: "s2", codeChallenge: challenge });
      const wrong = await networkFailure(
        mastodon.connect({ kind: "oauth2_callback", code: (await authorizeAt(start.authorizeUrl)).get("code")!, codeVerifier: pkcePair().verifier, redirectUri: REDIRECT_URI, pending: start.pending }),
      );
      expect(wrong).toMatchObject({ kind: "auth_expired", details: { status: 400, networkCode: "invalid_grant" } });
      const connected = await mastodon.connect({ kind: "oauth2_callback", code: (await authorizeAt(start.authorizeUrl)).get("code")!, codeVerifier: verifier, redirectUri: REDIRECT_URI, pending: start.pending });
      expect(connected.expiresAt).toBeNull();
      expect(connected.profile).toMatchObject({ handle: `${username}@${new URL(peer.url).host}`, followers: 0 });
      expect(lastRequest("POST", "/oauth/token").body).toMatchObject({ grant_type: "authorization_code", code_verifier: verifier, redirect_uri: REDIRECT_URI });
    });

    it("accepts an instance by its name or any address on it, and plain http only on loopback", () => {
      expect(normalizeInstanceUrl("mastodon.social")).toBe("https://mastodon.social");
      expect(normalizeInstanceUrl(" https://mastodon.social/@emberoak ")).toBe("https://mastodon.social");
      expect(normalizeInstanceUrl("http://127.0.0.1:4000/")).toBe("http://127.0.0.1:4000");
      expect(() => normalizeInstanceUrl("http://mastodon.social")).toThrow(/not the address/);
      expect(() => normalizeInstanceUrl("")).toThrow(/not the address/);
    });

    it("sends visibility, content warning, language, the reply's target, alt text and the Idempotency-Key", async () => {
      const brand = await newBrand();
      const question = peer.post("fan", { text: `@${usernameOf(brand)} Is the Hearth blend back?` });
      const idempotencyKey = randomUUID();
      const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
      const answer = await publish(brand, {
        text: "Yes, from Monday.",
        replyTo: question.id,
        idempotencyKey,
        media: [{ mimeType: "image/png", bytes: png, altText: "A tin of Hearth blend" }],
        mastodon: { visibility: "unlisted", spoilerText: "Restock news", language: "en" },
      });
      const sent = lastRequest("POST", "/api/v1/statuses");
      expect(sent.headers["idempotency-key"]).toBe(idempotencyKey);
      expect(sent.body).toMatchObject({ status: "Yes, from Monday.", in_reply_to_id: question.id, visibility: "unlisted", spoiler_text: "Restock news", language: "en" });
      expect(lastRequest("POST", "/api/v2/media").body).toMatchObject({ description: "A tin of Hearth blend" });
      expect(peer.status(answer.networkPostId)).toMatchObject({ visibility: "unlisted", spoilerText: "Restock news", sensitive: true, inReplyToId: question.id, mediaIds: [expect.any(String)] });
    });

    it("reconciles by the key while Mastodon remembers it (an hour), and by the text for statuses older than that", async () => {
      const brand = await newBrand();
      const recent = await publish(brand, { text: "Same words", idempotencyKey: "key-recent" });
      expect((await mastodon.findPublished!(brand.credentials, "key-recent", "Same words"))?.networkPostId).toBe(recent.networkPostId);
      // The probe is an empty status: refused, nothing created.
      expect(await mastodon.findPublished!(brand.credentials, "key-never-used", "Same words")).toBeNull();
      expect(lastRequest("POST", "/api/v1/statuses")).toMatchObject({ body: { status: "" }, headers: { "idempotency-key": "key-never-used" } });
      const old = peer.post(usernameOf(brand), { text: "Older words", createdAt: new Date(Date.now() - 2 * 60 * 60 * 1000) });
      expect((await mastodon.findPublished!(brand.credentials, "key-long-forgotten", "Older words"))?.networkPostId).toBe(old.id);
    });

    it("publishes public statuses by default", async () => {
      const brand = await newBrand();
      const post = await publish(brand, { text: "Open today" });
      expect(peer.status(post.networkPostId)?.visibility).toBe("public");
    });

    it("turns Mastodon's 422 into invalid_content with its message, counting a link as 23 characters", async () => {
      const brand = await newBrand();
      const refused = await networkFailure(publish(brand, { text: "x".repeat(501) }));
      expect(refused).toMatchObject({ kind: "invalid_content", details: { status: 422, networkCode: "Validation failed: Text character limit of 500 exceeded" } });
      const link = `https://example.com/${"long-path/".repeat(10)}`;
      const text = `${"y".repeat(476)} ${link}`;
      expect((await publish(brand, { text })).networkPostId).not.toBe("");
      expect(mastodon.limits).toMatchObject({ textLength: 500, linkLength: 23, media: { maxCount: 4 } });
    });

    it("a reply to a removed status is invalid_content (404), and removing twice is fine", async () => {
      const brand = await newBrand();
      const post = await publish(brand, { text: "Soon gone" });
      await mastodon.remove!(brand.credentials, post.networkPostId);
      await mastodon.remove!(brand.credentials, post.networkPostId);
      expect(await networkFailure(publish(brand, { text: "Answer", replyTo: post.networkPostId }))).toMatchObject({
        kind: "invalid_content",
        details: { status: 404, networkCode: "Record not found" },
      });
    });

    it("reads the wait from X-RateLimit-Reset (ISO 8601), and the instance sends its rate-limit headers on every answer", async () => {
      const brand = await newBrand();
      peer.injectFault(usernameOf(brand), { kind: "rate_limited", retryAfterSeconds: 300 });
      expect(await networkFailure(mastodon.verify(brand.credentials))).toMatchObject({ kind: "rate_limited", details: { status: 429, retryAfterSeconds: 300 } });
      const answer = await fetch(`${peer.url}/api/v1/accounts/verify_credentials`, { headers: { Authorization: `Bearer ${brand.credentials.accessToken}` } });
      expect(answer.headers.get("x-ratelimit-limit")).toBe("300");
      expect(Number(answer.headers.get("x-ratelimit-remaining"))).toBeLessThan(300);
      const now = Date.parse("2026-05-04T09:00:00Z");
      expect(retryAfterSeconds(new Headers({ "X-RateLimit-Reset": "2026-05-04T09:04:59.500000Z" }), now)).toBe(300);
      expect(retryAfterSeconds(new Headers({ "Retry-After": "17" }), now)).toBe(17);
      expect(retryAfterSeconds(new Headers(), now)).toBe(60);
    });

    it("an unknown token and a revoked one are auth_expired, with Mastodon's reason", async () => {
      const brand = await newBrand();
      expect(await networkFailure(mastodon.verify({ ...brand.credentials, accessToken: "not-a-token" }))).toMatchObject({
        kind: "auth_expired",
        details: { status: 401, networkCode: "token_invalid" },
      });
      await mastodon.revoke!(brand.credentials);
      expect(await networkFailure(mastodon.verify(brand.credentials))).toMatchObject({ kind: "auth_expired", details: { status: 401, networkCode: "token_revoked" } });
    });

    it("an instance that refuses the connection is transient, even for a publish (nothing was sent)", async () => {
      const brand = await newBrand();
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const unreachable = { ...brand.credentials, serviceUrl: `http://127.0.0.1:${port}` };
      expect(await networkFailure(mastodon.verify(unreachable))).toMatchObject({ kind: "transient", details: { networkCode: "ECONNREFUSED" } });
      expect(await networkFailure(publish({ ...brand, credentials: unreachable }, { text: "Hello?" }))).toMatchObject({ kind: "transient" });
    });

    it("maps notifications to inbox kinds: mention, reply without its leading @, favourite as a reaction, boost as a repost", async () => {
      const brand = await newBrand();
      const handle = usernameOf(brand);
      const own = await publish(brand, { text: "New autumn range is out" });
      const mention = peer.post("fan", { text: `Just bought a kettle from @${handle}!` });
      const reply = peer.post("critic", { text: `@${handle} Mine arrived broken`, inReplyToId: own.networkPostId });
      peer.favourite("fan", own.networkPostId);
      peer.reblog("critic", own.networkPostId);
      peer.post("fan", { text: "Not about the brand at all" });

      const { items } = await mastodon.fetchInbox!(brand.credentials, null);
      expect(items.map((item) => [item.kind, item.author.handle.split("@")[0]])).toEqual([
        ["mention", "fan"],
        ["reply", "critic"],
        ["reaction", "fan"],
        ["repost", "critic"],
      ]);
      expect(items[0]).toMatchObject({ networkItemId: mention.id, text: `Just bought a kettle from @${handle}!`, inReplyTo: null });
      expect(items[1]).toMatchObject({ networkItemId: reply.id, text: "Mine arrived broken", inReplyTo: own.networkPostId, url: `${peer.url}/@critic/${reply.id}` });
      expect(items[2]).toMatchObject({ reaction: "favourite", inReplyTo: own.networkPostId });
      expect(items[3]).toMatchObject({ reaction: null, inReplyTo: own.networkPostId });
    });

    it("takes private mentions from conversations (once each), gathers several sent between reads, and answers in the thread", async () => {
      const brand = await newBrand();
      const handle = usernameOf(brand);
      const first = peer.post("critic", { text: `@${handle} Order 1234 never came`, visibility: "direct" });
      const start = await mastodon.fetchInbox!(brand.credentials, null);
      const messages = start.items.filter((item) => item.kind === "direct_message");
      expect(start.items).toHaveLength(1);
      expect(messages[0]).toMatchObject({ networkItemId: first.id, text: "Order 1234 never came", author: { handle: expect.stringMatching(/^critic@/) } });
      const conversationId = messages[0].conversationId!;
      expect(peer.conversationsOf(handle).map((conversation) => conversation.id)).toContain(conversationId);

      const sent = await mastodon.sendDirectMessage!(brand.credentials, conversationId, "Sorry! Sending a new one today.", { idempotencyKey: randomUUID() });
      expect(peer.status(sent.networkItemId)).toMatchObject({ visibility: "direct", inReplyToId: first.id, text: "@critic Sorry! Sending a new one today." });
      expect(lastRequest("POST", "/api/v1/statuses").headers["idempotency-key"]).toEqual(expect.any(String));

      const again = peer.post("critic", { text: `@${handle} Thanks`, visibility: "direct", inReplyToId: sent.networkItemId });
      const more = peer.post("critic", { text: `@${handle} Tracking number?`, visibility: "direct", inReplyToId: again.id });
      const next = await mastodon.fetchInbox!(brand.credentials, start.cursor);
      expect(next.items.map((item) => [item.networkItemId, item.conversationId, item.text])).toEqual([
        [again.id, conversationId, "Thanks"],
        [more.id, conversationId, "Tracking number?"],
      ]);
      expect((await mastodon.fetchInbox!(brand.credentials, next.cursor)).items).toEqual([]);
    });

    it("after the streaming server drops the socket, reconnects and catches up what was published meanwhile", async () => {
      const brand = await newBrand();
      const controller = new AbortController();
      const stream = (await mastodon.openStream!(brand.credentials, { cursor: null, signal: controller.signal }))[Symbol.asyncIterator]();
      try {
        const before = await publish(brand, { text: "Before the drop" });
        expect((await stream.next()).value?.post.networkPostId).toBe(before.networkPostId);
        peer.dropStreams();
        const dropped = peer.requests.length;
        const during = await publish(brand, { text: "While the socket was down" });
        const next = await stream.next();
        expect(next.value).toMatchObject({ post: { networkPostId: during.networkPostId, text: "While the socket was down" }, cursor: during.networkPostId });
        // It came from the catch-up after reconnecting (the peer had no socket to send it on).
        expect(peer.requests.slice(dropped).some((request) => request.path === "/api/v1/timelines/public" && request.query.get("min_id") === before.networkPostId)).toBe(true);
        const after = await publish(brand, { text: "After the reconnection" });
        expect((await stream.next()).value?.post.networkPostId).toBe(after.networkPostId);
      } finally {
        controller.abort();
      }
    });

    it("looks up a profile with or without the @ and the instance's domain", async () => {
      const brand = await newBrand();
      const username = usernameOf(brand);
      for (const handle of [username, `@${username}`, brand.profile.handle]) {
        expect((await mastodon.lookupProfile!(brand.credentials, handle))?.networkAccountId).toBe(brand.profile.networkAccountId);
      }
      expect(await mastodon.lookupProfile!(brand.credentials, "someone@elsewhere.example")).toBeNull();
    });

    it("reads status HTML as text: paragraphs, line breaks, entities and full links", () => {
      const html =
        '<p>Tea &amp; cake<br />today</p><p>See <a href="https://example.com/menu"><span class="invisible">https://</span><span class="">example.com/menu</span><span class="invisible"></span></a> &#39;now&#39;</p>';
      expect(htmlToText(html)).toBe("Tea & cake\ntoday\n\nSee https://example.com/menu 'now'");
      expect(withoutLeadingMentions("@brand @other@x.example Hello @brand", [{ acct: "brand", username: "brand" }, { acct: "other@x.example", username: "other" }])).toBe("Hello @brand");
      expect(withoutLeadingMentions("@stranger hi", [{ acct: "brand", username: "brand" }])).toBe("@stranger hi");
    });
  });
});
