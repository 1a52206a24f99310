/**
 * The connector contract: everything Parapet publishes, reads or answers goes through a connector. Generic code
 * asks `capabilities` and `limits`, never a network's name. `networks/` speaks the network's language and this
 * contract's; it knows nothing of posts in review, approvals or crises.
 */

import type { MediaLimits } from "../../contracts/media-rules";

export type NetworkId = string; // "sandbox", "bluesky", "mastodon", …

export type Capabilities = {
  publish: boolean;
  remove: boolean;
  edit: boolean;
  reply: boolean;
  threads: boolean;
  directMessages: boolean;
  inbox: boolean;
  search: boolean;
  stream: boolean;
  profileLookup: boolean;
  /** A network that gives no refresh token (app passwords, long-lived tokens) reports false. */
  refresh: boolean;
};

export type Limits = {
  /** Maximum characters in a post, counted as the network counts (graphemes on Bluesky). */
  textLength: number;
  /** Images per post, their types, bytes per image, characters of alt text: checked by src/contracts/media-rules.ts. */
  media: MediaLimits;
  /** Characters a link counts for, where the network shortens links (null: counted as written). */
  linkLength: number | null;
};

/**
 * Where the account lives, for networks of many servers: a Mastodon instance (required), a Bluesky PDS (optional:
 * the default is the network's main service). Absent: the network is one service.
 */
export type ServiceUrlField = { required: boolean; defaultUrl: string | null };

/** How the account is connected. */
export type ConnectMethod =
  | { kind: "oauth2_pkce"; scopes: string[]; serviceUrl?: ServiceUrlField }
  | { kind: "app_password"; identifierLabel: string; passwordLabel: string; serviceUrl?: ServiceUrlField }
  | { kind: "sandbox" };

/** What a connector needs to act for one account: opaque to Parapet, stored sealed (AES-256-GCM). */
export type Credentials = { [key: string]: string | number | boolean | null };

/** The account as the network knows it. */
export type AccountProfile = {
  networkAccountId: string;
  handle: string;
  displayName: string;
  avatarUrl: string | null;
  url: string | null;
  /** Followers etc., where the network tells; used by impostor checks. */
  followers: number | null;
  createdAt: string | null;
  verified: boolean | null;
};

export type Connected = {
  profile: AccountProfile;
  credentials: Credentials;
  /** When the access expires without a refresh (null: does not expire). */
  expiresAt: string | null;
};

export type MediaItem = { mimeType: string; bytes: Uint8Array; altText: string };

export type OutgoingPost = {
  text: string;
  media?: MediaItem[];
  /** The network's id of the post this answers. */
  replyTo?: string;
  /** Stable for one logical publish of one post to one channel: lets the network (or reconciliation) spot a repeat. */
  idempotencyKey: string;
};

export type PublishedPost = { networkPostId: string; url: string | null; publishedAt: string };

export type InboxItemKind = "direct_message" | "comment" | "reply" | "mention" | "quote" | "reaction" | "repost";

export type InboxItem = {
  networkItemId: string;
  kind: InboxItemKind;
  author: { networkAccountId: string; handle: string; displayName: string };
  text: string;
  /** The brand's post it reacts to, if any. */
  inReplyTo: string | null;
  /** The DM conversation it belongs to, if any. */
  conversationId: string | null;
  reaction: string | null;
  createdAt: string;
  url: string | null;
};

export type PublicPost = {
  networkPostId: string;
  author: { networkAccountId: string; handle: string; displayName: string };
  text: string;
  lang: string | null;
  createdAt: string;
  url: string | null;
};

/** A post from the network's live stream, with the cursor to store once it is handled (resume after it). */
export type StreamedPost = { post: PublicPost; cursor: string };

/** A page of items and where to continue; the cursor is opaque and stored by the caller. */
export type Page<T> = { items: T[]; cursor: string | null };

/**
 * Every failure a connector reports, classified so callers know what to do next.
 * - rate_limited: retry after `retryAfterSeconds`
 * - auth_expired: the account must be reconnected; never retry as is
 * - invalid_content: the network refused the content; never retry
 * - transient: retry with backoff
 * - outcome_unknown: the call may have succeeded (timeout after sending, crash mid-call): reconcile first
 */
export type NetworkFailureKind = "rate_limited" | "auth_expired" | "invalid_content" | "transient" | "outcome_unknown";

export class NetworkError extends Error {
  constructor(
    readonly kind: NetworkFailureKind,
    message: string,
    readonly details: { retryAfterSeconds?: number; status?: number; networkCode?: string } = {},
  ) {
    super(message);
  }
}

/** Where to send the user to authorise Parapet at the network, and what the connector needs back at the callback. */
export type AuthorizationStart = {
  authorizeUrl: string;
  /** Opaque to Parapet (say, the OAuth client registered at a Mastodon instance); stored sealed until the callback. */
  pending: Credentials;
};

export type ConnectInput =
  | { kind: "app_password"; identifier: string; password: string; serviceUrl?: string }
  | {
      kind: "oauth2_callback";
      code: string;
      codeVerifier: string;
      redirectUri: string;
      serviceUrl?: string;
      /** What `beginAuthorization` returned as `pending`, given back unchanged. */
      pending: Credentials;
    }
  | { kind: "sandbox"; handle: string };

/**
 * One network behind one contract. Operations a network cannot do are absent, and its `capabilities` say so;
 * every operation throws NetworkError for a failure the network reported or that the call ran into.
 */
export type Connector = {
  network: NetworkId;
  displayName: string;
  capabilities: Capabilities;
  limits: Limits;
  connectMethod: ConnectMethod;

  /**
   * OAuth 2 with PKCE (connect method `oauth2_pkce`): registers Parapet as a client where the network needs that
   * (per Mastodon instance) and builds the authorisation URL. `connect` then takes the callback's code.
   */
  beginAuthorization?(input: { serviceUrl?: string; redirectUri: string; state: string; codeChallenge: string }): Promise<AuthorizationStart>;
  connect(input: ConnectInput): Promise<Connected>;
  /** Checks the credentials still work and returns the current profile. */
  verify(credentials: Credentials): Promise<AccountProfile>;
  /** New credentials before the old ones expire (capability `refresh`). */
  refresh?(credentials: Credentials): Promise<Connected>;
  /** Revokes the credentials at the network where it can (disconnect). */
  revoke?(credentials: Credentials): Promise<void>;

  publish?(credentials: Credentials, post: OutgoingPost): Promise<PublishedPost>;
  /** Looks for a post published with this idempotency key (reconciling an outcome_unknown publish). */
  findPublished?(credentials: Credentials, idempotencyKey: string, text: string): Promise<PublishedPost | null>;
  remove?(credentials: Credentials, networkPostId: string): Promise<void>;
  /**
   * Sends a message in a conversation. With `idempotencyKey`, a repeat sends it once: the way to retry a message whose
   * send ended outcome_unknown. The Sandbox and Mastodon honour the key at the network; Bluesky's chat has none, so its
   * connector looks for the earlier delivery (our message with this text since the key's first try) before sending
   * again. It remembers the first try for a day; a retry from another process passes `firstTriedAt` (ISO time).
   */
  sendDirectMessage?(credentials: Credentials, conversationId: string, text: string, options?: { idempotencyKey?: string; firstTriedAt?: string }): Promise<{ networkItemId: string }>;
  fetchInbox?(credentials: Credentials, cursor: string | null): Promise<Page<InboxItem>>;
  search?(credentials: Credentials, query: string, cursor: string | null): Promise<Page<PublicPost>>;
  lookupProfile?(credentials: Credentials, handle: string): Promise<AccountProfile | null>;
  /**
   * Opens the network's live stream of public posts (capability `stream`), for listening. Resolves once the stream
   * is connected, so anything published afterwards arrives; with a `cursor`, it resumes right after that item (no
   * loss, no repeat, as far back as the network keeps). Ends when `signal` aborts.
   */
  openStream?(credentials: Credentials, options: { cursor: string | null; signal: AbortSignal }): Promise<AsyncIterable<StreamedPost>>;
};
