import type { Agent, AppBskyActorDefs, AppBskyFeedDefs, BlobRef } from "@atproto/api";
import {
  NetworkError,
  type AccountProfile,
  type Capabilities,
  type Connected,
  type Connector,
  type Credentials,
  type Limits,
  type OutgoingPost,
  type PublicPost,
  type PublishedPost,
} from "../types";
import { classifyChatFailure, classifyFailure, type CallKind } from "./failures";
import { openFirehose, openJetstream } from "./stream";
import { readInbox } from "./inbox";
import { parseRecordUri, recordKeyFor } from "./record-key";
import { atproto, loadAtproto } from "./sdk";

export const BLUESKY_CAPABILITIES: Capabilities = {
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

export const BLUESKY_LIMITS: Limits = {
  textLength: 300,
  media: { maxCount: 4, types: ["image/jpeg", "image/png", "image/webp", "image/gif"], maxBytes: 1_000_000, altTextLength: 2000 },
  linkLength: null,
};

export const BLUESKY_DEFAULT_SERVICE = "https://bsky.social";
/** Bluesky's chat service, reached through the account's PDS (`atproto-proxy`). */
export const BLUESKY_CHAT_SERVICE = "did:web:api.bsky.chat#bsky_chat";
const POST_COLLECTION = "app.bsky.feed.post";
const DIRECT_MESSAGE_LENGTH = 1000;
const SEARCH_PAGE_SIZE = 25;
const DEFAULT_TIMEOUT_MS = 20_000;
/** How far the chat service's clock may be from ours when a retried message is looked for by its time. */
const CLOCK_SKEW_MS = 2 * 60_000;
/** How long a direct message's idempotency key is remembered (a retry later than that may deliver twice). */
const DIRECT_MESSAGE_ATTEMPTS_KEPT_MS = 24 * 60 * 60_000;
/** How many pages (of 100 messages) a retry reads back for its earlier delivery. */
const DIRECT_MESSAGE_LOOKBACK_PAGES = 5;

export type BlueskyConnectorOptions = {
  /** The chat service DIDs are proxied to (`did#service`); default Bluesky's. Tests point it at the chat test peer. */
  chatService?: string;
  /** Where openStream reads posts: a `subscribeRepos` WebSocket URL (a relay); default the account's PDS. */
  firehoseUrl?: string;
  /** Read posts from a Jetstream instead (`wss://jetstream2.us-east.bsky.network/subscribe`): JSON, lighter than the firehose. */
  jetstreamUrl?: string;
  /** The web app post and profile links point to; null for no links. Default https://bsky.app. */
  webUrl?: string | null;
  /** How long one call may take before it counts as unanswered. */
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
};

/** What the connector keeps for one account: the session of an app-password login. */
type Session = { did: string; handle: string; accessJwt: string; refreshJwt: string; service: string; pds: string };

type SessionAnswer = { did: string; handle: string; accessJwt: string; refreshJwt: string; didDoc?: unknown };

/**
 * Bluesky (AT Protocol) behind the connector contract, through `@atproto/api`. Every call is made with the stored
 * session's token and never refreshes it behind the caller's back (a refresh rotates the tokens, and only the
 * caller can store the new ones): an expired access token is `auth_expired`, and `refresh` gets new ones.
 */
export function createBlueskyConnector(options: BlueskyConnectorOptions = {}): Connector {
  const chatService = options.chatService ?? BLUESKY_CHAT_SERVICE;
  const webUrl = options.webUrl === undefined ? "https://bsky.app" : options.webUrl;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const baseFetch = options.fetch ?? globalThis.fetch;

  /** fetch with a deadline: an unanswered call fails instead of hanging (and is classified by its kind). */
  const timedFetch: typeof globalThis.fetch = (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    return baseFetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline });
  };

  const agentAt = (service: string, token?: string, proxy?: string) =>
    new (atproto().Agent)({ service, fetch: timedFetch, headers: { authorization: token ? `Bearer ${token}` : null, "atproto-proxy": proxy ?? null } });
  const agentFor = (session: Session) => agentAt(session.pds, session.accessJwt);
  const chatAgentFor = (session: Session) => agentAt(session.pds, session.accessJwt, chatService);

  const profileUrl = (did: string) => (webUrl ? `${webUrl}/profile/${did}` : null);
  const postUrl = (uri: string) => {
    const parts = parseRecordUri(uri);
    return webUrl && parts ? `${webUrl}/profile/${parts.repo}/post/${parts.rkey}` : null;
  };

  /** Direct messages sent with an idempotency key: when the first try began, and the message once the chat answered. */
  const directMessageAttempts = new Map<string, { startedAt: number; messageId: string | null }>();
  const forgetOldAttempts = () => {
    const before = Date.now() - DIRECT_MESSAGE_ATTEMPTS_KEPT_MS;
    for (const [key, attempt] of directMessageAttempts) if (attempt.startedAt < before) directMessageAttempts.delete(key);
  };

  /**
   * Our message with exactly this text in the conversation, sent at or after `since` (ms), newest first; null when
   * there is none. Reads back until messages older than `since` (at most DIRECT_MESSAGE_LOOKBACK_PAGES pages).
   */
  async function findOwnMessage(chat: Agent, did: string, convoId: string, text: string, since: number): Promise<string | null> {
    let cursor: string | undefined;
    for (let page = 0; page < DIRECT_MESSAGE_LOOKBACK_PAGES; page++) {
      let data;
      try {
        ({ data } = await chat.chat.bsky.convo.getMessages({ convoId, limit: 100, cursor }));
      } catch (error) {
        throw classifyChatFailure(error, "read");
      }
      for (const message of data.messages) {
        const sent = message as { $type?: string; id: string; text?: string; sender?: { did?: string }; sentAt?: string };
        if (sent.$type !== "chat.bsky.convo.defs#messageView") continue; // deleted ones
        if (sent.sender?.did === did && sent.text === text && Date.parse(sent.sentAt ?? "") >= since) return sent.id;
      }
      const oldest = data.messages.at(-1) as { sentAt?: string } | undefined;
      if (!data.cursor || !oldest || Date.parse(oldest.sentAt ?? "") < since) return null;
      cursor = data.cursor;
    }
    return null;
  }

  /** Runs one network call; anything it throws becomes a classified NetworkError. */
  async function call<T>(kind: CallKind, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw classifyFailure(error, kind);
    }
  }

  function profileOf(view: AppBskyActorDefs.ProfileViewDetailed): AccountProfile {
    return {
      networkAccountId: view.did,
      handle: view.handle,
      displayName: view.displayName || view.handle,
      avatarUrl: view.avatar ?? null,
      url: profileUrl(view.did),
      followers: view.followersCount ?? null,
      createdAt: view.createdAt ?? null,
      verified: view.verification ? view.verification.verifiedStatus === "valid" : null,
    };
  }

  async function currentProfile(session: Session): Promise<AccountProfile> {
    try {
      const { data } = await agentFor(session).app.bsky.actor.getProfile({ actor: session.did });
      return profileOf(data);
    } catch (error) {
      const failure = classifyFailure(error, "read");
      // The session works but the AppView has not indexed the account yet (it is minutes old): what the session says.
      if (failure.kind !== "invalid_content") throw failure;
      return { networkAccountId: session.did, handle: session.handle, displayName: session.handle, avatarUrl: null, url: profileUrl(session.did), followers: null, createdAt: null, verified: null };
    }
  }

  /** Credentials from a fresh session answer; they last as long as the access token (refresh renews it). */
  async function connected(service: string, answer: SessionAnswer): Promise<Connected> {
    const session: Session = { did: answer.did, handle: answer.handle, accessJwt: answer.accessJwt, refreshJwt: answer.refreshJwt, service, pds: pdsOf(answer.didDoc) ?? service };
    return { profile: await currentProfile(session), credentials: { ...session }, expiresAt: tokenExpiry(session.accessJwt) };
  }

  function checkPost(post: OutgoingPost): void {
    const media = post.media ?? [];
    const refuse = (networkCode: string, message: string): never => {
      throw new NetworkError("invalid_content", message, { status: 400, networkCode });
    };
    if (!post.idempotencyKey) refuse("missing_idempotency_key", "a post needs an idempotency key");
    if (post.text.trim() === "" && media.length === 0) refuse("empty_post", "a post needs text or images");
    if (new (atproto().RichText)({ text: post.text }).graphemeLength > BLUESKY_LIMITS.textLength) refuse("text_too_long", `a Bluesky post has at most ${BLUESKY_LIMITS.textLength} characters`);
    if (media.length > BLUESKY_LIMITS.media.maxCount) refuse("too_many_media", `a Bluesky post has at most ${BLUESKY_LIMITS.media.maxCount} images`);
    for (const item of media) {
      if (!BLUESKY_LIMITS.media.types.includes(item.mimeType)) refuse("unsupported_media_type", `Bluesky does not take ${item.mimeType} images`);
      if (item.bytes.byteLength > BLUESKY_LIMITS.media.maxBytes) refuse("media_too_large", "an image is larger than Bluesky takes (1 MB)");
    }
  }

  /** The reply reference of a post answering `parentUri`: the parent, and the root of its thread. */
  async function replyTo(agent: Agent, parentUri: string) {
    const parts = parseRecordUri(parentUri);
    if (!parts || parts.collection !== POST_COLLECTION) throw new NetworkError("invalid_content", "the post to reply to is not a Bluesky post", { networkCode: "reply_target_not_found" });
    const parent = await findRecord(agent, parts);
    if (!parent) throw new NetworkError("invalid_content", "the post to reply to does not exist", { status: 400, networkCode: "reply_target_not_found" });
    const parentRef = { uri: parent.uri, cid: parent.cid };
    const root = (parent.value as { reply?: { root?: { uri: string; cid: string } } }).reply?.root;
    return { root: root ?? parentRef, parent: parentRef };
  }

  /** A record, or null when the repository has none under that key. */
  async function findRecord(agent: Agent, parts: { repo: string; collection: string; rkey: string }) {
    try {
      const { data } = await agent.com.atproto.repo.getRecord(parts);
      return data.cid ? { uri: data.uri, cid: data.cid, value: data.value } : null;
    } catch (error) {
      const failure = classifyFailure(error, "read");
      if (failure.kind === "invalid_content" && failure.details.networkCode === "RecordNotFound") return null;
      throw failure;
    }
  }

  async function uploadImages(agent: Agent, post: OutgoingPost) {
    const images: { image: BlobRef; alt: string }[] = [];
    for (const item of post.media ?? []) {
      // Counted as a read: blobs are addressed by their content, so uploading one again after a lost answer is harmless.
      const { data } = await call("read", () => agent.com.atproto.repo.uploadBlob(item.bytes, { encoding: item.mimeType }));
      images.push({ image: data.blob, alt: item.altText });
    }
    return images.length > 0 ? { $type: "app.bsky.embed.images", images } : undefined;
  }

  const publishedOf = (uri: string, value: unknown): PublishedPost => ({
    networkPostId: uri,
    url: postUrl(uri),
    publishedAt: String((value as { createdAt?: unknown }).createdAt ?? new Date().toISOString()),
  });

  function publicPostOf(view: AppBskyFeedDefs.PostView): PublicPost {
    const record = view.record as { text?: unknown; langs?: unknown; createdAt?: unknown };
    return {
      networkPostId: view.uri,
      author: { networkAccountId: view.author.did, handle: view.author.handle, displayName: view.author.displayName || view.author.handle },
      text: typeof record.text === "string" ? record.text : "",
      lang: Array.isArray(record.langs) && typeof record.langs[0] === "string" ? record.langs[0] : null,
      createdAt: typeof record.createdAt === "string" ? record.createdAt : view.indexedAt,
      url: postUrl(view.uri),
    };
  }

  return withSdkLoaded({
    network: "bluesky",
    displayName: "Bluesky",
    capabilities: BLUESKY_CAPABILITIES,
    limits: BLUESKY_LIMITS,
    connectMethod: {
      kind: "app_password",
      identifierLabel: "Handle or email",
      passwordLabel: "App password",
      serviceUrl: { required: false, defaultUrl: BLUESKY_DEFAULT_SERVICE },
    },

    async connect(input) {
      if (input.kind !== "app_password") throw new NetworkError("auth_expired", "Bluesky connects with an app password", { networkCode: "wrong_connect_method" });
      const service = normalizeServiceUrl(input.serviceUrl || BLUESKY_DEFAULT_SERVICE);
      const identifier = input.identifier.trim().replace(/^@/, "");
      const { data } = await call("read", () => agentAt(service).com.atproto.server.createSession({ identifier, password: input.password }));
      return connected(service, data);
    },

    async verify(credentials) {
      const session = sessionOf(credentials);
      await call("read", () => agentFor(session).com.atproto.server.getSession());
      return currentProfile(session);
    },

    async refresh(credentials) {
      const session = sessionOf(credentials);
      const { data } = await call("write", () => agentAt(session.service, session.refreshJwt).com.atproto.server.refreshSession());
      return connected(session.service, data);
    },

    async revoke(credentials) {
      const session = sessionOf(credentials);
      try {
        await agentAt(session.service, session.refreshJwt).com.atproto.server.deleteSession();
      } catch (error) {
        const failure = classifyFailure(error, "write");
        // A session Bluesky no longer knows is already revoked: that is what disconnecting wanted.
        if (failure.kind !== "auth_expired") throw failure;
      }
    },

    async publish(credentials, post) {
      const session = sessionOf(credentials);
      checkPost(post);
      const agent = agentFor(session);
      const key = { repo: session.did, collection: POST_COLLECTION, rkey: recordKeyFor(post.idempotencyKey) };
      // A repeat of this publish finds the first one under the same key (and uploads nothing again).
      const earlier = await findRecord(agent, key);
      if (earlier) return publishedOf(earlier.uri, earlier.value);

      const richText = new (atproto().RichText)({ text: post.text });
      await call("read", () => richText.detectFacets(agent)); // resolves @handles to DIDs
      const record = {
        $type: POST_COLLECTION,
        text: richText.text,
        ...(richText.facets?.length ? { facets: richText.facets } : {}),
        createdAt: new Date().toISOString(),
        ...(post.replyTo ? { reply: await call("read", () => replyTo(agent, post.replyTo!)) } : {}),
        ...(post.media?.length ? { embed: await uploadImages(agent, post) } : {}),
      };
      try {
        // swapRecord null: written only if nothing is under the key yet, so two racing repeats make one post.
        const { data } = await agent.com.atproto.repo.putRecord({ ...key, record, swapRecord: null, validate: true });
        return publishedOf(data.uri, record);
      } catch (error) {
        const failure = classifyFailure(error, "write");
        if (failure.details.networkCode !== "InvalidSwap") throw failure;
        const winner = await call("read", () => findRecord(agent, key));
        if (!winner) throw failure;
        return publishedOf(winner.uri, winner.value);
      }
    },

    async findPublished(credentials, idempotencyKey) {
      const session = sessionOf(credentials);
      const found = await call("read", () => findRecord(agentFor(session), { repo: session.did, collection: POST_COLLECTION, rkey: recordKeyFor(idempotencyKey) }));
      return found ? publishedOf(found.uri, found.value) : null;
    },

    async remove(credentials, networkPostId) {
      const session = sessionOf(credentials);
      const parts = parseRecordUri(networkPostId);
      if (!parts || parts.repo !== session.did || parts.collection !== POST_COLLECTION) {
        throw new NetworkError("invalid_content", "only the account's own posts can be removed", { networkCode: "not_own_post" });
      }
      await call("write", () => agentFor(session).com.atproto.repo.deleteRecord(parts));
    },

    async sendDirectMessage(credentials, conversationId, text, sendOptions = {}) {
      // Bluesky's chat has no idempotency key and keeps nothing of ours on a message but its text. A send with a key
      // remembers when its first try began; a retry of that key (after outcome_unknown) first reads the conversation
      // for our message with this text sent since then, and answers with it instead of sending it again.
      const session = sessionOf(credentials);
      if (text.trim() === "") throw new NetworkError("invalid_content", "a message needs text", { networkCode: "empty_message" });
      if (new (atproto().RichText)({ text }).graphemeLength > DIRECT_MESSAGE_LENGTH) {
        throw new NetworkError("invalid_content", `a Bluesky message has at most ${DIRECT_MESSAGE_LENGTH} characters`, { networkCode: "text_too_long" });
      }
      const chat = chatAgentFor(session);
      const attemptKey = sendOptions.idempotencyKey ? JSON.stringify([session.did, conversationId, sendOptions.idempotencyKey]) : null;
      forgetOldAttempts();
      const remembered = attemptKey ? directMessageAttempts.get(attemptKey) : undefined;
      if (remembered?.messageId) return { networkItemId: remembered.messageId };
      const firstTriedAt = remembered?.startedAt ?? (sendOptions.firstTriedAt ? new Date(sendOptions.firstTriedAt).getTime() : null);
      if (attemptKey && firstTriedAt !== null && Number.isFinite(firstTriedAt)) {
        const earlier = await findOwnMessage(chat, session.did, conversationId, text, firstTriedAt - CLOCK_SKEW_MS);
        if (earlier) {
          directMessageAttempts.set(attemptKey, { startedAt: firstTriedAt, messageId: earlier });
          return { networkItemId: earlier };
        }
      }
      const attempt = attemptKey ? { startedAt: firstTriedAt ?? Date.now(), messageId: null as string | null } : null;
      if (attemptKey && attempt) directMessageAttempts.set(attemptKey, attempt);
      try {
        const { data } = await chat.chat.bsky.convo.sendMessage({ convoId: conversationId, message: { text } });
        if (attempt) attempt.messageId = data.id;
        return { networkItemId: data.id };
      } catch (error) {
        throw classifyChatFailure(error, "write");
      }
    },

    async fetchInbox(credentials, cursor) {
      const session = sessionOf(credentials);
      return call("read", () => readInbox({ did: session.did, agent: agentFor(session), chat: chatAgentFor(session), postUrl }, cursor));
    },

    async search(credentials, query, cursor) {
      const session = sessionOf(credentials);
      // Bluesky's search ignores case; lowercasing keeps that on AppViews whose search matches as written.
      const { data } = await call("read", () =>
        agentFor(session).app.bsky.feed.searchPosts({ q: query.toLowerCase(), limit: SEARCH_PAGE_SIZE, cursor: cursor ?? undefined, sort: "latest" }),
      );
      return { items: data.posts.map(publicPostOf), cursor: data.cursor ?? null };
    },

    async lookupProfile(credentials, handle) {
      const session = sessionOf(credentials);
      const actor = handle.trim().replace(/^@/, "").toLowerCase();
      if (!isHandle(actor)) return null;
      try {
        const { data } = await agentFor(session).app.bsky.actor.getProfile({ actor });
        return profileOf(data);
      } catch (error) {
        const failure = classifyFailure(error, "read");
        // An unknown, unresolvable, deactivated or taken-down handle: nobody to show.
        if (failure.kind === "invalid_content") return null;
        throw failure;
      }
    },

    async openStream(credentials, { cursor, signal }) {
      const session = sessionOf(credentials);
      if (options.jetstreamUrl) return openJetstream(options.jetstreamUrl, { cursor, signal, postUrl });
      const url = options.firehoseUrl ?? `${session.pds.replace(/^http/, "ws")}/xrpc/com.atproto.sync.subscribeRepos`;
      return openFirehose(url, { cursor, signal, postUrl });
    },
  });
}

/** The connector with each of its calls (all async) waiting for @atproto/api first: it is loaded on first use (sdk.ts). */
function withSdkLoaded(connector: Connector): Connector {
  const wrapped: Record<string, unknown> = { ...connector };
  for (const [name, method] of Object.entries(connector)) {
    if (typeof method !== "function") continue;
    wrapped[name] = async (...args: unknown[]) => {
      await loadAtproto();
      return (method as (...a: unknown[]) => Promise<unknown>)(...args);
    };
  }
  return wrapped as Connector;
}

/** The session in stored credentials; credentials of another shape cannot work (reconnect). */
function sessionOf(credentials: Credentials): Session {
  const { did, handle, accessJwt, refreshJwt, service, pds } = credentials;
  if ([did, handle, accessJwt, refreshJwt, service, pds].some((value) => typeof value !== "string" || value === "")) {
    throw new NetworkError("auth_expired", "the credentials hold no Bluesky session", { networkCode: "no_session" });
  }
  return { did, handle, accessJwt, refreshJwt, service, pds } as Session;
}

/** The account's own PDS, from its DID document (bsky.social is an entryway in front of many PDSes). */
function pdsOf(didDoc: unknown): string | null {
  const services = (didDoc as { service?: { id?: string; type?: string; serviceEndpoint?: unknown }[] } | undefined)?.service ?? [];
  const pds = services.find((service) => service.id?.endsWith("#atproto_pds") && service.type === "AtprotoPersonalDataServer");
  return typeof pds?.serviceEndpoint === "string" ? normalizeServiceUrl(pds.serviceEndpoint) : null;
}

function normalizeServiceUrl(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, "");
  return /^https?:\/\//.test(trimmed) ? trimmed : `https://${trimmed}`;
}

/** When a JWT expires (its `exp`), or null when it does not say. */
function tokenExpiry(jwt: string): string | null {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as { exp?: unknown };
    return typeof payload.exp === "number" ? new Date(payload.exp * 1000).toISOString() : null;
  } catch {
    // Not a JWT we can read: the connector cannot tell the expiry; the next call will.
    return null;
  }
}

/** A syntactically valid handle (a domain name); anything else cannot name an account. */
function isHandle(value: string): boolean {
  return /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/.test(value) && value.length <= 253;
}
