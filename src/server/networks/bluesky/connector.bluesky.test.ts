import { randomUUID } from "node:crypto";
import { Agent } from "@atproto/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeConnectorContract, networkFailure, type ContractPeer } from "../contract";
import type { Connected, Connector, StreamedPost } from "../types";
import { createBlueskyConnector } from "./connector";
import { eq } from "drizzle-orm";
import { unsafeSystemCtx } from "../../context";
import { createApp } from "../../http/app";
import { channels } from "../../domains/channels/channels.schema";
import { openCredentials } from "../../domains/channels/channel-records";
import { createTestServices } from "../../../../test/support/services";
import { buildWorkspace, signedInClient } from "../../../../test/support/factories";
import { blueskyRequired, ensurePeerInstalled, missingPostgres, startPeer, type BlueskyTestPeer, type PeerAccount } from "./test-peer";

/**
 * The Bluesky connector against the real Bluesky server software (PLC, PDS, AppView from @atproto/dev-env) started
 * on loopback by the test peer in test-peers/bluesky, with the chat test peer behind the PDS's proxy.
 */

// Installing the peer takes minutes the first time. Without a registry (or PostgreSQL) it cannot run: outside CI the
// suite is then skipped with a notice; in CI it fails.
const cannotRun = missingPostgres() ?? ensurePeerInstalled();
if (cannotRun && blueskyRequired()) throw new Error(cannotRun);
if (cannotRun) console.warn(`[bluesky] SKIPPED: the Bluesky test peer cannot run here (${cannotRun}). See docs/testing.md.`);

/** A valid 1×1 PNG. */
const PNG = Uint8Array.from(Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64"));
const key = () => `bluesky-${randomUUID()}`;

/**
 * The connector, waiting after each of its writes until the AppView has indexed it. Bluesky's AppView indexes
 * asynchronously (so does the real one, within seconds); reads that follow a write — search, notifications — see
 * it only then. The connector itself is unchanged.
 */
function settledAfterWrites(connector: Connector, peer: BlueskyTestPeer): Connector {
  const settle =
    <A extends unknown[], R>(operation: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await operation(...args);
      } finally {
        await peer.processAll();
      }
    };
  return {
    ...connector,
    publish: settle(connector.publish!),
    remove: settle(connector.remove!),
    sendDirectMessage: settle(connector.sendDirectMessage!),
  };
}

/** Reads a post record straight from the PDS (what any Bluesky client would show). */
async function readRecord(peer: BlueskyTestPeer, uri: string): Promise<Record<string, unknown> | null> {
  const [, , repo, collection, rkey] = uri.split("/");
  try {
    const { data } = await new Agent(peer.pds).com.atproto.repo.getRecord({ repo, collection, rkey });
    return data.value as Record<string, unknown>;
  } catch (error) {
    if ((error as { error?: string }).error === "RecordNotFound") return null;
    throw error;
  }
}

/** Reads `stream` until the post `networkPostId` arrives (failing after 20 s); returns what came on the way. */
async function readUntil(stream: AsyncIterable<StreamedPost>, networkPostId: string): Promise<StreamedPost[]> {
  const seen: StreamedPost[] = [];
  const iterator = stream[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${networkPostId} did not arrive within 20 s`)), 20_000);
  });
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), timeout]);
      if (next.done) throw new Error(`the stream ended before ${networkPostId} arrived`);
      seen.push(next.value);
      if (next.value.post.networkPostId === networkPostId) return seen;
    }
  } finally {
    clearTimeout(timer);
  }
}

describe.skipIf(cannotRun !== null)("the Bluesky network (local test peer)", () => {
  let peer: BlueskyTestPeer;
  let connector: Connector;
  let fan: PeerAccount;
  const appPasswords = new Map<string, string>();

  const connectBrand = async (again?: Connected): Promise<Connected> => {
    const handle = again?.profile.handle ?? (await newBrandAccount()).handle;
    return connector.connect({ kind: "app_password", identifier: handle, password: appPasswords.get(handle)!, serviceUrl: peer.pds });
  };
  const newBrandAccount = async () => {
    const account = await peer.createAccount({ prefix: "brand", displayName: "Contract Brand" });
    appPasswords.set(account.handle, account.appPassword);
    return account;
  };

  beforeAll(async () => {
    peer = await startPeer();
    connector = settledAfterWrites(createBlueskyConnector({ chatService: peer.chatService, timeoutMs: 10_000 }), peer);
    fan = await peer.createAccount({ prefix: "fan", displayName: "Fan" });
  }, 180_000);
  afterAll(() => peer?.stop());

  // Left out of the contract: `revoke`. Bluesky's access tokens are signed tokens the PDS does not look up, so a
  // revoked session's access token keeps working until it expires (≤ 2 hours); the case "revoked credentials fail
  // as auth_expired" cannot hold. What revoking does do is tested below.
  describeConnectorContract("Bluesky", async (): Promise<ContractPeer> => {
    const { revoke: _left, ...withoutRevoke } = connector;
    return {
      connector: withoutRevoke,
      connectBrand,
      async readPost(uri) {
        const record = await readRecord(peer, uri);
        if (!record) return null;
        const reply = record.reply as { parent?: { uri?: string } } | undefined;
        return { text: String(record.text), replyTo: reply?.parent?.uri ?? null };
      },
      replyAsAudience: async (uri, text) => ({ networkPostId: (await peer.post(fan.did, text, { replyTo: uri })).uri }),
      async messageBrand(brand, text) {
        const { convoId } = await peer.message(fan.did, brand.profile.networkAccountId, text);
        return { conversationId: convoId };
      },
      close: async () => {},
    };
  });

  describe("through Parapet", () => {
    it("an admin connects a Bluesky account as a channel; with the channel's sealed credentials Parapet publishes, reads the answer and replies", async () => {
      const services = await createTestServices("pglite");
      services.clock.set(new Date()); // the real Bluesky servers issue tokens that expire in real time
      try {
        // This server's Bluesky connector, pointed at the local chat test peer.
        services.networks.register(settledAfterWrites(createBlueskyConnector({ chatService: peer.chatService, timeoutMs: 10_000 }), peer));
        const app = createApp(services);
        const { people, workspace } = await buildWorkspace(services);
        const admin = await signedInClient(app, people.admin);
        const account = await newBrandAccount();

        const connected = await admin.post("/api/v1/channels", { network: "bluesky", kind: "app_password", identifier: account.handle, password: account.appPassword, serviceUrl: peer.pds });
        expect(connected.status, connected.text).toBe(200);
        expect(connected.body).toMatchObject({ network: "bluesky", handle: account.handle, serviceUrl: peer.pds, status: "active", health: { tokenValid: true } });
        expect(JSON.stringify(connected.body)).not.toContain(account.appPassword);
        const checked = await admin.post(`/api/v1/channels/${connected.body.id}/verify`);
        expect(checked.body.outcome).toEqual({ ok: true });

        // Publishing and the inbox arrive as Parapet modules later; they will act exactly like this: the channel's
        // sealed credentials, opened on the server, handed to its network's connector.
        const ctx = unsafeSystemCtx(services, "test", workspace.id);
        const [row] = await services.database.db.select().from(channels).where(eq(channels.id, connected.body.id));
        const credentials = openCredentials(ctx, row);
        const bluesky = services.networks.connectorFor("bluesky");
        const post = await bluesky.publish!(credentials, { text: "Our winter blend is out ☕", idempotencyKey: key() });
        const question = await peer.post(fan.did, "Is it decaf too?", { replyTo: post.networkPostId });
        await peer.processAll();
        const inbox = await bluesky.fetchInbox!(credentials, null);
        expect(inbox.items.find((item) => item.networkItemId === question.uri)).toMatchObject({ kind: "reply", text: "Is it decaf too?", inReplyTo: post.networkPostId });
        const answer = await bluesky.publish!(credentials, { text: "Not yet: in spring!", replyTo: question.uri, idempotencyKey: key() });
        const record = (await readRecord(peer, answer.networkPostId))!;
        expect((record.reply as { parent: { uri: string } }).parent.uri).toBe(question.uri);
      } finally {
        await services.close();
      }
    }, 120_000);
  });

  describe("beyond the contract", () => {
    it("marks mentions, links and hashtags as facets at the right UTF-8 byte ranges, in Persian too", async () => {
      const brand = await connectBrand();
      const text = `سلام @${fan.handle}! منوی تازه: https://example.com/منو #قهوه و #tea`;
      const post = await connector.publish!(brand.credentials, { text, idempotencyKey: key() });
      const record = (await readRecord(peer, post.networkPostId))!;
      const bytes = Buffer.from(String(record.text), "utf8");
      const facets = (record.facets as { index: { byteStart: number; byteEnd: number }; features: Record<string, string>[] }[]).map((facet) => ({
        covers: bytes.subarray(facet.index.byteStart, facet.index.byteEnd).toString("utf8"),
        feature: facet.features[0],
      }));
      expect(facets).toEqual([
        { covers: `@${fan.handle}`, feature: { $type: "app.bsky.richtext.facet#mention", did: fan.did } },
        { covers: "https://example.com/منو", feature: { $type: "app.bsky.richtext.facet#link", uri: "https://example.com/منو" } },
        { covers: "#قهوه", feature: { $type: "app.bsky.richtext.facet#tag", tag: "قهوه" } },
        { covers: "#tea", feature: { $type: "app.bsky.richtext.facet#tag", tag: "tea" } },
      ]);
    });

    it("publishes images with their alt text, and the PDS serves the same bytes", async () => {
      const brand = await connectBrand();
      const media = [
        { mimeType: "image/png", bytes: PNG, altText: "A red dot" },
        { mimeType: "image/png", bytes: PNG, altText: "Another dot" },
      ];
      const post = await connector.publish!(brand.credentials, { text: "Two dots", media, idempotencyKey: key() });
      const embed = (await readRecord(peer, post.networkPostId))!.embed as { $type: string; images: { alt: string; image: { ref: object; mimeType: string } }[] };
      expect(embed.$type).toBe("app.bsky.embed.images");
      expect(embed.images.map((image) => [image.alt, image.image.mimeType])).toEqual([
        ["A red dot", "image/png"],
        ["Another dot", "image/png"],
      ]);
      const blob = await fetch(`${peer.pds}/xrpc/com.atproto.sync.getBlob?did=${brand.profile.networkAccountId}&cid=${String(embed.images[0].image.ref)}`);
      expect(blob.status, await blob.clone().text()).toBe(200);
      expect(Buffer.from(await blob.arrayBuffer())).toEqual(Buffer.from(PNG));
    });

    it("refuses an image over 1 MB and a type Bluesky does not take, before sending anything", async () => {
      const brand = await connectBrand();
      const big = { mimeType: "image/png", bytes: new Uint8Array(1_000_001), altText: "Too big" };
      const svg = { mimeType: "image/svg+xml", bytes: PNG, altText: "Vector" };
      expect((await networkFailure(connector.publish!(brand.credentials, { text: "Big", media: [big], idempotencyKey: key() }))).details.networkCode).toBe("media_too_large");
      expect((await networkFailure(connector.publish!(brand.credentials, { text: "Svg", media: [svg], idempotencyKey: key() }))).details.networkCode).toBe("unsupported_media_type");
    });

    it("counts the length limit in graphemes: 300 emoji with modifiers fit", async () => {
      const brand = await connectBrand();
      const text = "👍🏽".repeat(300);
      const post = await connector.publish!(brand.credentials, { text, idempotencyKey: key() });
      expect((await readRecord(peer, post.networkPostId))?.text).toBe(text);
    });

    it("answers in the thread: a reply to a reply keeps the thread's root", async () => {
      const brand = await connectBrand();
      const root = await connector.publish!(brand.credentials, { text: "Opening day!", idempotencyKey: key() });
      const question = await peer.post(fan.did, "What time?", { replyTo: root.networkPostId });
      const answer = await connector.publish!(brand.credentials, { text: "Nine.", replyTo: question.uri, idempotencyKey: key() });
      expect((await readRecord(peer, answer.networkPostId))?.reply).toMatchObject({ root: { uri: root.networkPostId }, parent: { uri: question.uri } });
      const gone = `at://${fan.did}/app.bsky.feed.post/3jzfcijpj2z2a`;
      const failure = await networkFailure(connector.publish!(brand.credentials, { text: "Hello?", replyTo: gone, idempotencyKey: key() }));
      expect(failure).toMatchObject({ kind: "invalid_content", details: { networkCode: "reply_target_not_found" } });
    });

    it("turns each kind of notification into the right inbox item, oldest first, with direct messages", async () => {
      const brand = await connectBrand();
      const own = await connector.publish!(brand.credentials, { text: "New autumn range", idempotencyKey: key() });
      const mention = await peer.post(fan.did, `Just bought a kettle from @${brand.profile.handle}`);
      const reply = await peer.post(fan.did, "Mine arrived broken", { replyTo: own.networkPostId });
      const quote = await peer.post(fan.did, "Look at this", { quote: own.networkPostId });
      const like = await peer.like(fan.did, own.networkPostId);
      const repost = await peer.repost(fan.did, own.networkPostId);
      const message = await peer.message(fan.did, brand.profile.networkAccountId, "Where is order 1234?");

      const { items } = await connector.fetchInbox!(brand.credentials, null);
      expect(items.map((item) => [item.kind, item.networkItemId, item.inReplyTo, item.text])).toEqual([
        ["mention", mention.uri, null, `Just bought a kettle from @${brand.profile.handle}`],
        ["reply", reply.uri, own.networkPostId, "Mine arrived broken"],
        ["quote", quote.uri, own.networkPostId, "Look at this"],
        ["reaction", like.uri, own.networkPostId, ""],
        ["repost", repost.uri, own.networkPostId, ""],
        ["direct_message", message.messageId, null, "Where is order 1234?"],
      ]);
      expect(items.every((item) => item.author.networkAccountId === fan.did && item.author.handle === fan.handle && item.author.displayName === "Fan")).toBe(true);
      expect(items.find((item) => item.kind === "reaction")?.reaction).toBe("like");
      expect(items.at(-1)?.conversationId).toBe(message.convoId);
    });

    it("a message whose answer was lost after the chat stored it is delivered once when retried with its key", async () => {
      const brand = await connectBrand();
      const { convoId } = await peer.message(fan.did, brand.profile.networkAccountId, "Where is my parcel?");
      // Between the chat service and us: "lose" lets the chat store the message and answer, then drops the answer (a
      // timeout after sending); "refuse" fails before the request leaves (nothing stored).
      let fault: "lose" | "refuse" | null = null;
      const sends: string[] = [];
      const between: typeof fetch = async (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        if (!url.includes("chat.bsky.convo.sendMessage")) return fetch(input, init);
        const now = fault;
        fault = null;
        if (now === "refuse") throw Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });
        const response = await fetch(input, init);
        sends.push(url);
        if (now === "lose") {
          await response.arrayBuffer(); // the chat service stored it and answered; the answer never reaches us
          throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
        }
        return response;
      };
      const lossy = createBlueskyConnector({ chatService: peer.chatService, timeoutMs: 10_000, fetch: between });
      const messagesOf = async () => {
        const chat = new Agent({ service: peer.pds, headers: { authorization: `Bearer ${brand.credentials.accessJwt}`, "atproto-proxy": peer.chatService } });
        const { data } = await chat.chat.bsky.convo.getMessages({ convoId, limit: 100 });
        return (data.messages as Array<{ id: string; text: string; sender: { did: string } }>).reverse().map((m) => m.text);
      };

      fault = "lose";
      const lost = await networkFailure(lossy.sendDirectMessage!(brand.credentials, convoId, "We sent it again today.", { idempotencyKey: "reply-1" }));
      expect(lost).toMatchObject({ kind: "outcome_unknown", details: { networkCode: "timeout" } });
      expect(await messagesOf()).toEqual(["Where is my parcel?", "We sent it again today."]);
      const retried = await lossy.sendDirectMessage!(brand.credentials, convoId, "We sent it again today.", { idempotencyKey: "reply-1" });
      const again = await lossy.sendDirectMessage!(brand.credentials, convoId, "We sent it again today.", { idempotencyKey: "reply-1" });
      expect(again.networkItemId).toBe(retried.networkItemId);
      expect(sends).toHaveLength(1); // found, not sent again
      expect(await messagesOf()).toEqual(["Where is my parcel?", "We sent it again today."]);

      // Another process (no memory of the first try) retrying with the time of the first try finds it too.
      fault = "lose";
      const firstTriedAt = new Date().toISOString();
      await networkFailure(lossy.sendDirectMessage!(brand.credentials, convoId, "Tracking: EO-1234", { idempotencyKey: "reply-2" }));
      const elsewhere = createBlueskyConnector({ chatService: peer.chatService, timeoutMs: 10_000 });
      await elsewhere.sendDirectMessage!(brand.credentials, convoId, "Tracking: EO-1234", { idempotencyKey: "reply-2", firstTriedAt });
      expect(await messagesOf()).toEqual(["Where is my parcel?", "We sent it again today.", "Tracking: EO-1234"]);

      // A send that never left: the retry finds nothing and sends it, once.
      fault = "refuse";
      expect(await networkFailure(lossy.sendDirectMessage!(brand.credentials, convoId, "Sorry for the wait!", { idempotencyKey: "reply-3" }))).toMatchObject({ kind: "transient" });
      await lossy.sendDirectMessage!(brand.credentials, convoId, "Sorry for the wait!", { idempotencyKey: "reply-3" });
      // The same text under another key is another message: sent.
      await lossy.sendDirectMessage!(brand.credentials, convoId, "We sent it again today.", { idempotencyKey: "reply-4" });
      expect(await messagesOf()).toEqual(["Where is my parcel?", "We sent it again today.", "Tracking: EO-1234", "Sorry for the wait!", "We sent it again today."]);
    });

    it("reading the inbox with an app password that does not allow direct messages says so", async () => {
      const account = await newBrandAccount();
      const { password } = await peer.createAppPassword(account.did, { privileged: false });
      const brand = await connector.connect({ kind: "app_password", identifier: account.handle, password, serviceUrl: peer.pds });
      const failure = await networkFailure(connector.fetchInbox!(brand.credentials, null));
      expect(failure).toMatchObject({ kind: "auth_expired", details: { networkCode: "direct_messages_not_allowed" } });
    });

    it("refreshes into a new session that works, and tells when its access token expires", async () => {
      const brand = await connectBrand();
      const refreshed = await connector.refresh!(brand.credentials);
      expect(refreshed.credentials.refreshJwt).not.toBe(brand.credentials.refreshJwt);
      expect(Date.parse(refreshed.expiresAt!)).toBeGreaterThan(Date.now());
      expect((await connector.verify(refreshed.credentials)).networkAccountId).toBe(brand.profile.networkAccountId);
      await connector.publish!(refreshed.credentials, { text: "Still here", idempotencyKey: key() });
    });

    it("revoking ends the session: it can no longer be refreshed", async () => {
      const brand = await connectBrand();
      await connector.revoke!(brand.credentials);
      expect((await networkFailure(connector.refresh!(brand.credentials))).kind).toBe("auth_expired");
      await connector.revoke!(brand.credentials); // revoking again is not an error
    });

    it("refuses a wrong app password and a forged token as auth_expired", async () => {
      const brand = await connectBrand();
      const wrong = await networkFailure(connector.connect({ kind: "app_password", identifier: brand.profile.handle, password: "aaaa-bbbb-cccc-dddd", serviceUrl: peer.pds }));
      expect(wrong.kind).toBe("auth_expired");
      const forged = { ...brand.credentials, accessJwt: `${String(brand.credentials.accessJwt).slice(0, -4)}AAAA` };
      expect((await networkFailure(connector.verify(forged))).kind).toBe("auth_expired");
    });

    it("streams posts from a Jetstream when one is configured, and resumes after a cursor", async () => {
      const jetstream = createBlueskyConnector({ chatService: peer.chatService, jetstreamUrl: peer.jetstream });
      const brand = await connectBrand();
      const first = new AbortController();
      const live = await jetstream.openStream!(brand.credentials, { cursor: null, signal: first.signal });
      const a = await connector.publish!(brand.credentials, { text: `Jetstream first ${randomUUID()}`, idempotencyKey: key() });
      const b = await connector.publish!(brand.credentials, { text: `Jetstream second ${randomUUID()}`, idempotencyKey: key() });
      const untilA = await readUntil(live, a.networkPostId);
      first.abort();
      expect(untilA.at(-1)!.post).toMatchObject({ author: { networkAccountId: brand.profile.networkAccountId }, text: expect.stringMatching(/^Jetstream first/) });

      const second = new AbortController();
      const resumed = await jetstream.openStream!(brand.credentials, { cursor: untilA.at(-1)!.cursor, signal: second.signal });
      const untilB = await readUntil(resumed, b.networkPostId);
      second.abort();
      expect(untilB.map((item) => item.post.networkPostId)).toEqual([b.networkPostId]);
    });

    it("finds nobody for a handle nobody has", async () => {
      const brand = await connectBrand();
      expect(await connector.lookupProfile!(brand.credentials, `nobody-${randomUUID().slice(0, 8)}.test`)).toBeNull();
      expect((await connector.lookupProfile!(brand.credentials, `@${fan.handle}`))?.displayName).toBe("Fan");
    });
  });
});
