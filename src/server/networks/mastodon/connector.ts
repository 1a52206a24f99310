import { createOAuthAPIClient, createRestAPIClient, type mastodon } from "masto";
import {
  NetworkError,
  type AccountProfile,
  type Connected,
  type Connector,
  type Credentials,
  type InboxItem,
  type OutgoingPost,
  type Page,
  type PublicPost,
  type PublishedPost,
} from "../types";
import { call } from "./failures";
import { openPublicStream } from "./stream";
import { comparableText, htmlToText, withoutLeadingMentions } from "./text";

/**
 * Mastodon (any instance): OAuth 2 with PKCE against the instance the user names, statuses, the notifications and
 * conversations inbox, search and the public streaming timeline, through the `masto` client. Written against the
 * API of Mastodon 4.3 (docs.joinmastodon.org) and tested on recorded 4.3 answers (test/peers/mastodon).
 */

export type MastodonConnectorOptions = {
  /** How long one HTTP call may take before it counts as timed out (a write then ends outcome_unknown). */
  timeoutMs?: number;
  /** The client name registered at each instance (shown to the user on the authorize page and on posts). */
  clientName?: string;
  /** Parapet's public address, registered as the app's website. */
  website?: string;
};

/** Extra status fields a caller may set on a Mastodon publish (absent: a public status without content warning). */
export type MastodonPostOptions = {
  visibility?: "public" | "unlisted" | "private" | "direct";
  /** A content warning: the text shows behind it. */
  spoilerText?: string;
  sensitive?: boolean;
  /** ISO 639-1 language of the text. */
  language?: string;
};
export type MastodonOutgoingPost = OutgoingPost & { mastodon?: MastodonPostOptions };

/** Least privilege: what the connector reads and writes, as Mastodon's granular scopes (4.x). */
export const MASTODON_SCOPES = ["read:accounts", "read:statuses", "read:notifications", "read:search", "write:statuses", "write:media"];

/** Mastodon's defaults; an instance may allow more (its /api/v2/instance says), never less in practice. */
export const MASTODON_LIMITS = {
  textLength: 500,
  media: { maxCount: 4, types: ["image/jpeg", "image/png", "image/gif", "image/webp"], maxBytes: 16 * 1024 * 1024, altTextLength: 1500 },
  linkLength: 23,
};

const PAGE = 40;
const SEARCH_PAGE = 20;
const RECONCILE_PAGES = 3;
const CONVERSATION_PAGES = 5;
/** How long Mastodon remembers an Idempotency-Key (PostStatusService: one hour in Redis). */
const IDEMPOTENCY_KEY_LIFETIME_MS = 60 * 60 * 1000;

type MastodonCredentials = { serviceUrl: string; accessToken: string; clientId: string; clientSecret: string; accountId: string };

function credentialsOf(credentials: Credentials): MastodonCredentials {
  const { serviceUrl, accessToken, clientId, clientSecret, accountId } = credentials;
  if (typeof serviceUrl !== "string" || typeof accessToken !== "string" || typeof clientId !== "string" || typeof clientSecret !== "string") {
    throw new NetworkError("auth_expired", "These are not Mastodon credentials; connect the account again", { networkCode: "credentials_malformed" });
  }
  return { serviceUrl, accessToken, clientId, clientSecret, accountId: typeof accountId === "string" ? accountId : "" };
}

/**
 * The instance's origin from what a user typed ("mastodon.social", "https://mastodon.social/@brand"). Plain http is
 * accepted only for loopback addresses (a local test peer): tokens never travel unencrypted to a real instance.
 */
export function normalizeInstanceUrl(input: string | undefined): string {
  const typed = (input ?? "").trim();
  const invalid = () => new NetworkError("invalid_content", `"${typed}" is not the address of a Mastodon instance`, { networkCode: "invalid_service_url" });
  if (!typed) throw invalid();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(typed) ? typed : `https://${typed}`);
  } catch {
    throw invalid();
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) throw invalid();
  return url.origin;
}

const handleOf = (account: mastodon.v1.Account, instanceHost: string) => (account.acct.includes("@") ? account.acct : `${account.acct}@${instanceHost}`);

function profileOf(account: mastodon.v1.Account, instanceHost: string): AccountProfile {
  return {
    networkAccountId: account.id,
    handle: handleOf(account, instanceHost),
    displayName: account.displayName || account.username,
    avatarUrl: account.avatar || null,
    url: account.url || null,
    followers: account.followersCount ?? null,
    createdAt: account.createdAt || null,
    // Mastodon has no verified badge; a verified profile link (fields[].verifiedAt) is the closest, and not the same.
    verified: null,
  };
}

const authorOf = (account: mastodon.v1.Account, instanceHost: string) => ({
  networkAccountId: account.id,
  handle: handleOf(account, instanceHost),
  displayName: account.displayName || account.username,
});

const newer = (a: string, b: string) => BigInt(a) > BigInt(b);

/** The inbox cursor: the newest notification id and the newest conversation last-status id read so far. */
type InboxCursor = { notifications: string; conversations: string };
const encodeCursor = (cursor: InboxCursor) => Buffer.from(JSON.stringify([cursor.notifications, cursor.conversations])).toString("base64url");
function decodeCursor(cursor: string | null): InboxCursor {
  if (!cursor) return { notifications: "0", conversations: "0" };
  try {
    const [notifications, conversations] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [string, string];
    if (/^\d+$/.test(notifications) && /^\d+$/.test(conversations)) return { notifications, conversations };
  } catch {
    // fall through: not one of ours
  }
  throw new NetworkError("invalid_content", "This inbox cursor does not come from the Mastodon connector", { networkCode: "invalid_cursor" });
}

/** Creates the Mastodon connector. It talks to an instance only when a channel uses it. */
export function createMastodonConnector(options: MastodonConnectorOptions = {}): Connector {
  const timeout = options.timeoutMs ?? 30_000;
  const clientName = options.clientName ?? "Parapet";
  /** Registered OAuth clients by instance and redirect URI (Mastodon's client secrets do not expire). */
  const registeredApps = new Map<string, Promise<{ clientId: string; clientSecret: string }>>();

  const rest = (serviceUrl: string, accessToken?: string) => createRestAPIClient({ url: serviceUrl, accessToken, timeout });
  const client = (credentials: Credentials) => {
    const mastodonCredentials = credentialsOf(credentials);
    return { api: rest(mastodonCredentials.serviceUrl, mastodonCredentials.accessToken), ...mastodonCredentials, host: new URL(mastodonCredentials.serviceUrl).host };
  };

  const toPublicPost = (status: mastodon.v1.Status, host: string): PublicPost => ({
    networkPostId: status.id,
    author: authorOf(status.account, host),
    text: htmlToText(status.content),
    lang: status.language ?? null,
    createdAt: status.createdAt,
    url: status.url ?? status.uri ?? null,
  });
  const published = (status: mastodon.v1.Status): PublishedPost => ({ networkPostId: status.id, url: status.url ?? null, publishedAt: status.createdAt });

  async function verifyCredentials(serviceUrl: string, accessToken: string): Promise<AccountProfile> {
    const account = await call("read", () => rest(serviceUrl, accessToken).v1.accounts.verifyCredentials());
    return profileOf(account, new URL(serviceUrl).host);
  }

  async function uploadMedia(api: mastodon.rest.Client, item: NonNullable<OutgoingPost["media"]>[number]): Promise<string> {
    const attachment = await call("write", () =>
      api.v2.media.create({ file: new Blob([new Uint8Array(item.bytes)], { type: item.mimeType }), description: item.altText || undefined, skipPolling: true }),
    );
    // Large files are processed after the answer (202, url null); a status may attach them only once processed.
    let processed = attachment;
    for (let tries = 0; !processed.url && tries < 60; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      processed = await call("read", () => api.v1.media.$select(attachment.id).fetch());
    }
    return attachment.id;
  }

  async function findConversation(api: mastodon.rest.Client, conversationId: string): Promise<mastodon.v1.Conversation | null> {
    let maxId: string | undefined;
    for (let pages = 0; pages < CONVERSATION_PAGES; pages++) {
      const page = await call("read", () => api.v1.conversations.list({ limit: PAGE, maxId }));
      const found = page.find((conversation) => conversation.id === conversationId);
      if (found) return found;
      if (page.length < PAGE) return null;
      maxId = page.at(-1)!.lastStatus?.id;
      if (!maxId) return null;
    }
    return null;
  }

  const connector: Connector = {
    network: "mastodon",
    displayName: "Mastodon",
    capabilities: {
      publish: true,
      remove: true,
      edit: false,
      reply: true,
      threads: false,
      directMessages: true,
      inbox: true,
      search: true,
      stream: true,
      profileLookup: true,
      refresh: false,
    },
    limits: MASTODON_LIMITS,
    connectMethod: { kind: "oauth2_pkce", scopes: MASTODON_SCOPES, serviceUrl: { required: true, defaultUrl: null } },

    async beginAuthorization({ serviceUrl, redirectUri, state, codeChallenge }) {
      const instance = normalizeInstanceUrl(serviceUrl);
      const cacheKey = `${instance} ${redirectUri}`;
      let registration = registeredApps.get(cacheKey);
      if (!registration) {
        registration = call("write", () =>
          rest(instance).v1.apps.create({ clientName, redirectUris: redirectUri, scopes: MASTODON_SCOPES.join(" "), website: options.website }),
        ).then((app) => {
          if (!app.clientId || !app.clientSecret) throw new NetworkError("transient", "The instance registered no OAuth client", { networkCode: "app_registration_failed" });
          return { clientId: app.clientId, clientSecret: app.clientSecret };
        });
        registeredApps.set(cacheKey, registration);
        registration.catch(() => registeredApps.delete(cacheKey));
      }
      const { clientId, clientSecret } = await registration;
      const authorizeUrl = new URL("/oauth/authorize", instance);
      authorizeUrl.search = new URLSearchParams({
        response_type: "code",
        client_id: clientId,
        redirect_uri: redirectUri,
        scope: MASTODON_SCOPES.join(" "),
        state,
        code_challenge: codeChallenge,
        code_challenge_method: "S256",
      }).toString();
      return { authorizeUrl: authorizeUrl.toString(), pending: { clientId, clientSecret, serviceUrl: instance } };
    },

    async connect(input) {
      if (input.kind !== "oauth2_callback") {
        throw new NetworkError("auth_expired", "Mastodon accounts connect through OAuth", { networkCode: "unsupported_connect_method" });
      }
      const { clientId, clientSecret, serviceUrl } = input.pending;
      if (typeof clientId !== "string" || typeof clientSecret !== "string" || typeof serviceUrl !== "string") {
        throw new NetworkError("auth_expired", "The authorisation was not started by the Mastodon connector; start again", { networkCode: "pending_malformed" });
      }
      const instance = normalizeInstanceUrl(serviceUrl);
      const oauth = createOAuthAPIClient({ url: instance, timeout });
      // masto has no field for PKCE's verifier; its serializer sends it as code_verifier.
      const token = await call("read", () =>
        oauth.token.create({
          grantType: "authorization_code",
          clientId,
          clientSecret,
          redirectUri: input.redirectUri,
          code: input.code,
          codeVerifier: input.codeVerifier,
          scope: MASTODON_SCOPES.join(" "),
        } as Parameters<typeof oauth.token.create>[0]),
      );
      const profile = await verifyCredentials(instance, token.accessToken);
      return {
        profile,
        credentials: { serviceUrl: instance, accessToken: token.accessToken, clientId, clientSecret, accountId: profile.networkAccountId },
        // Mastodon's access tokens do not expire; they last until revoked.
        expiresAt: null,
      } satisfies Connected;
    },

    async verify(credentials) {
      const { serviceUrl, accessToken } = credentialsOf(credentials);
      return verifyCredentials(serviceUrl, accessToken);
    },

    async revoke(credentials) {
      const { serviceUrl, accessToken, clientId, clientSecret } = credentialsOf(credentials);
      await call("write", () => createOAuthAPIClient({ url: serviceUrl, timeout }).revoke({ clientId, clientSecret, token: accessToken }));
    },

    async publish(credentials, post: MastodonOutgoingPost) {
      const { api } = client(credentials);
      const media = post.media ?? [];
      if (media.length > MASTODON_LIMITS.media.maxCount) {
        throw new NetworkError("invalid_content", `Mastodon takes at most ${MASTODON_LIMITS.media.maxCount} images`, { networkCode: "too_many_media" });
      }
      const mediaIds: string[] = [];
      for (const item of media) mediaIds.push(await uploadMedia(api, item));
      const extra = post.mastodon ?? {};
      const status = await call("write", () =>
        api.v1.statuses.create(
          {
            status: post.text,
            mediaIds: mediaIds.length > 0 ? mediaIds : undefined,
            inReplyToId: post.replyTo,
            visibility: extra.visibility ?? "public",
            spoilerText: extra.spoilerText,
            sensitive: extra.sensitive,
            language: extra.language,
          },
          // Mastodon answers a repeat with the same key (for an hour) with the first status.
          { requestInit: { headers: { "Idempotency-Key": post.idempotencyKey } } },
        ),
      );
      return published(status);
    },

    /**
     * Mastodon offers no lookup by idempotency key, but it checks the key before anything else: a POST of an empty
     * status with the key answers the status already published with it (for an hour), and refuses the empty text
     * (422, nothing created) when the key is unknown. Keys older than that hour are gone, so a status published more
     * than an hour ago is matched by its text instead (the newest such one among the account's recent statuses).
     */
    async findPublished(credentials, idempotencyKey, text) {
      const { api, accountId } = client(credentials);
      try {
        const status = await call("read", () =>
          api.v1.statuses.create({ status: "" }, { requestInit: { headers: { "Idempotency-Key": idempotencyKey } } }),
        );
        return published(status);
      } catch (error) {
        if (!(error instanceof NetworkError && error.details.status === 422)) throw error;
      }
      const keysForgottenBefore = Date.now() - IDEMPOTENCY_KEY_LIFETIME_MS;
      const wanted = comparableText(text);
      let maxId: string | undefined;
      for (let pages = 0; pages < RECONCILE_PAGES; pages++) {
        const statuses = await call("read", () => api.v1.accounts.$select(accountId).statuses.list({ limit: PAGE, maxId, excludeReblogs: true }));
        const found = statuses.find((status) => Date.parse(status.createdAt) < keysForgottenBefore && comparableText(htmlToText(status.content)) === wanted);
        if (found) return published(found);
        if (statuses.length < PAGE) return null;
        maxId = statuses.at(-1)!.id;
      }
      return null;
    },

    async remove(credentials, networkPostId) {
      const { api } = client(credentials);
      try {
        await call("write", () => api.v1.statuses.$select(networkPostId).remove());
      } catch (error) {
        // Already gone (404 "Record not found"): what remove wanted.
        if (error instanceof NetworkError && error.details.status === 404) return;
        throw error;
      }
    },

    async sendDirectMessage(credentials, conversationId, text, sendOptions) {
      const { api, host } = client(credentials);
      const conversation = await findConversation(api, conversationId);
      if (!conversation) throw new NetworkError("invalid_content", "Mastodon has no such conversation for this account", { networkCode: "conversation_not_found" });
      const addressed = conversation.accounts.map((account) => `@${handleOf(account, host).replace(`@${host}`, "")}`);
      const status = await call("write", () =>
        api.v1.statuses.create(
          { status: `${addressed.join(" ")} ${text}`, visibility: "direct", inReplyToId: conversation.lastStatus?.id },
          sendOptions?.idempotencyKey ? { requestInit: { headers: { "Idempotency-Key": sendOptions.idempotencyKey } } } : undefined,
        ),
      );
      return { networkItemId: status.id };
    },

    /**
     * Notifications (mentions, replies, favourites, boosts) and conversations (private mentions) after the cursor,
     * merged oldest first. Private mentions come from conversations only: Mastodon 4.3 may filter them out of the
     * notifications of an account that does not follow the sender, while the conversation is always kept.
     */
    async fetchInbox(credentials, cursor) {
      const { api, host, accountId } = client(credentials);
      const from = decodeCursor(cursor);
      const [notifications, conversations] = await Promise.all([
        call("read", () => api.v1.notifications.list({ minId: from.notifications, limit: PAGE, types: ["mention", "favourite", "reblog"] })),
        call("read", () => api.v1.conversations.list({ minId: from.conversations, limit: PAGE })),
      ]);
      const items: InboxItem[] = [];
      const next = { ...from };
      // Mastodon lists newest first; the inbox reads oldest first.
      for (const notification of [...notifications].reverse()) {
        if (newer(notification.id, next.notifications)) next.notifications = notification.id;
        const status = notification.status;
        if (!status) continue;
        const author = authorOf(notification.account, host);
        if (notification.type === "mention") {
          if (status.visibility === "direct") continue;
          const reply = status.inReplyToAccountId === accountId && !!status.inReplyToId;
          const text = htmlToText(status.content);
          items.push({
            networkItemId: status.id,
            kind: reply ? "reply" : "mention",
            author,
            text: reply ? withoutLeadingMentions(text, status.mentions) : text,
            inReplyTo: reply ? status.inReplyToId! : null,
            conversationId: null,
            reaction: null,
            createdAt: status.createdAt,
            url: status.url ?? null,
          });
        } else if (notification.type === "favourite" || notification.type === "reblog") {
          items.push({
            networkItemId: `${notification.type}:${notification.id}`,
            kind: notification.type === "favourite" ? "reaction" : "repost",
            author,
            text: "",
            inReplyTo: status.id,
            conversationId: null,
            reaction: notification.type === "favourite" ? "favourite" : null,
            createdAt: notification.createdAt,
            url: notification.account.url ?? null,
          });
        }
      }
      for (const conversation of [...conversations].reverse()) {
        const last = conversation.lastStatus;
        if (!last) continue;
        if (newer(last.id, next.conversations)) next.conversations = last.id;
        // Earlier messages of the thread that arrived since the cursor (the conversation shows only its last one).
        const thread =
          from.conversations === "0"
            ? [last]
            : [...(await call("read", () => api.v1.statuses.$select(last.id).context.fetch())).ancestors.filter((status) => newer(status.id, from.conversations)), last];
        for (const status of thread) {
          if (status.account.id === accountId || status.visibility !== "direct") continue;
          items.push({
            networkItemId: status.id,
            kind: "direct_message",
            author: authorOf(status.account, host),
            text: withoutLeadingMentions(htmlToText(status.content), status.mentions),
            inReplyTo: null,
            conversationId: conversation.id,
            reaction: null,
            createdAt: status.createdAt,
            url: status.url ?? null,
          });
        }
      }
      items.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt)); // stable: ties keep Mastodon's order
      return { items, cursor: encodeCursor(next) } satisfies Page<InboxItem>;
    },

    async search(credentials, query, cursor) {
      const { api, host } = client(credentials);
      const offset = cursor ? Number(cursor) : 0;
      if (!Number.isInteger(offset) || offset < 0) throw new NetworkError("invalid_content", "This search cursor does not come from the Mastodon connector", { networkCode: "invalid_cursor" });
      const found = await call("read", () => api.v2.search.list({ q: query, type: "statuses", limit: SEARCH_PAGE, offset, resolve: false }));
      return { items: found.statuses.map((status) => toPublicPost(status, host)), cursor: found.statuses.length === SEARCH_PAGE ? String(offset + SEARCH_PAGE) : null };
    },

    async lookupProfile(credentials, handle) {
      const { api, host } = client(credentials);
      const acct = handle.trim().replace(/^@/, "");
      try {
        return profileOf(await call("read", () => api.v1.accounts.lookup({ acct })), host);
      } catch (error) {
        if (error instanceof NetworkError && error.details.status === 404) return null;
        throw error;
      }
    },

    async openStream(credentials, streamOptions) {
      const { api, host, serviceUrl, accessToken } = client(credentials);
      const instance = await call("read", () => api.v2.instance.fetch()).catch(() => null);
      return openPublicStream(
        {
          streamingUrl: instance?.configuration.urls.streaming || serviceUrl,
          accessToken,
          // masto waits a second before its first connection attempt.
          connectTimeoutMs: timeout + 1_000,
          newestId: async () => (await call("read", () => api.v1.timelines.public.list({ limit: 1 })))[0]?.id ?? null,
          pageAfter: async (afterId) => (await call("read", () => api.v1.timelines.public.list({ minId: afterId, limit: PAGE }))).slice().reverse(),
          toPost: (status) => toPublicPost(status, host),
        },
        streamOptions,
      );
    },
  };
  return connector;
}
