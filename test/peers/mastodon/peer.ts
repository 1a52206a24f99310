import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo, Socket } from "node:net";
import { recordedEntity, recordedError, type RecordedError } from "./recordings";

/**
 * A TEST PEER for the Mastodon connector — not a Mastodon. A real HTTP and WebSocket server on 127.0.0.1 that
 * replays recorded answers of Mastodon 4.3 (`recordings/`, each naming the serializer, controller or document it
 * follows), with just enough state to stay consistent: a posted status shows in reads and searches, a deleted one
 * answers 404, a mention makes a notification, a direct status makes a conversation. It registers OAuth apps,
 * approves every authorisation at once as the signed-in account (`signIn`), checks PKCE (S256) at /oauth/token,
 * and can inject the faults the connector contract asks for.
 */

export type MastodonTestFault =
  | { kind: "rate_limited"; retryAfterSeconds: number }
  | { kind: "auth_expired" }
  | { kind: "server_error" }
  | { kind: "timeout_after_accept" }
  | { kind: "duplicate_delivery" };

export type PeerAccount = { id: string; username: string; displayName: string; note: string; followers: number; createdAt: Date };

export type PeerStatus = {
  id: string;
  accountId: string;
  text: string;
  spoilerText: string;
  sensitive: boolean;
  visibility: "public" | "unlisted" | "private" | "direct";
  language: string | null;
  inReplyToId: string | null;
  inReplyToAccountId: string | null;
  mediaIds: string[];
  mentionIds: string[];
  threadId: string;
  applicationName: string | null;
  createdAt: Date;
  deletedAt: Date | null;
};

/** A request the peer received, for tests that check what the connector sent. */
export type RecordedRequest = { method: string; path: string; query: URLSearchParams; headers: Record<string, string>; body: Record<string, unknown> };

export type MastodonTestPeer = {
  /** The instance's URL (http://127.0.0.1:<port>). */
  url: string;
  /** Creates a local account (username: letters, digits, `_`). */
  addAccount(input: { username: string; displayName?: string; note?: string; followers?: number }): PeerAccount;
  /** The account the authorize page approves as (the user "signed in" to the instance in the browser). */
  signIn(username: string): void;
  /** Posts as an account, exactly as POST /api/v1/statuses stores it (for the audience's side of a test). */
  post(username: string, input: { text: string; inReplyToId?: string; visibility?: PeerStatus["visibility"]; spoilerText?: string; createdAt?: Date }): PeerStatus;
  favourite(username: string, statusId: string): void;
  reblog(username: string, statusId: string): void;
  /** The stored status (deleted ones too, with `deletedAt`). */
  status(id: string): PeerStatus | null;
  account(id: string): PeerAccount | null;
  /** The account's AccountConversation ids, newest activity first. */
  conversationsOf(username: string): { id: string; lastStatusId: string }[];
  /** Makes the account's next matching call fail (see docs/networks.md, Mastodon). */
  injectFault(username: string, fault: MastodonTestFault): void;
  /** Closes every streaming connection from the server side (as a restarting streaming server does). */
  dropStreams(): void;
  /** Every request received, oldest first. */
  requests: RecordedRequest[];
  close(): Promise<void>;
};

type App = { id: string; name: string; clientId: string; clientSecret: string; redirectUris: string[]; scopes: string[] };
type Grant = { code: string; clientId: string; redirectUri: string; accountId: string; scopes: string[]; challenge: string | null; used: boolean };
type Token = { token: string; clientId: string; accountId: string; scopes: string[]; revoked: boolean; createdAt: Date; requests: { window: number; count: number } };
type Media = { id: string; accountId: string; description: string | null; mimeType: string; size: number; statusId: string | null };
type Notification = { id: string; recipientId: string; type: "mention" | "favourite" | "reblog"; fromAccountId: string; statusId: string; createdAt: Date };
type AccountConversation = { id: string; accountId: string; threadId: string; participantIds: string[]; lastStatusId: string; unread: boolean };

/** Thrown inside a handler to answer with a recorded error. */
class Answer extends Error {
  constructor(readonly recorded: RecordedError) {
    super(JSON.stringify(recorded.body));
  }
}

const MAX_CHARS = 500;
const URL_LENGTH = 23;
const MAX_MEDIA = 4;
const RATE_LIMIT = 300;
const RATE_PERIOD_MS = 5 * 60 * 1000;
const IDEMPOTENCY_MS = 60 * 60 * 1000;
const URL_PATTERN = /https?:\/\/[^\s<>"]+/g;
const MENTION_PATTERN = /(^|[^\w/@])@([a-z0-9_]+)(?:@([a-z0-9.:-]+))?/gi;

// `ws` comes with masto; loaded through require so no type package is needed.
type WsSocket = { send(data: string): void; close(): void; terminate(): void; on(event: "message", listener: (data: Buffer) => void): void; on(event: "close", listener: () => void): void };
type WsServer = {
  handleUpgrade(request: IncomingMessage, socket: Socket, head: Buffer, done: (socket: WsSocket) => void): void;
  close(): void;
};
const { WebSocketServer } = createRequire(import.meta.url)("ws") as { WebSocketServer: new (options: { noServer: true }) => WsServer };

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
const graphemes = (text: string) => [...new Intl.Segmenter("en", { granularity: "grapheme" }).segment(text)].length;
const isoMidnight = (date: Date) => `${date.toISOString().slice(0, 10)}T00:00:00.000Z`;

/** Starts the Mastodon test peer on a free loopback port. */
export async function startMastodonTestPeer(): Promise<MastodonTestPeer> {
  const accounts = new Map<string, PeerAccount>();
  const statuses = new Map<string, PeerStatus>();
  const apps = new Map<string, App>();
  const grants = new Map<string, Grant>();
  const tokens = new Map<string, Token>();
  const media = new Map<string, Media>();
  const notifications: Notification[] = [];
  const conversations: AccountConversation[] = [];
  const idempotency = new Map<string, { statusId: string; at: number }>();
  const faults = new Map<string, MastodonTestFault[]>();
  const requests: RecordedRequest[] = [];
  const streams = new Set<{ socket: WsSocket; subscriptions: Set<string> }>();
  const hanging = new Set<ServerResponse>();
  let signedIn: string | null = null;
  let origin = "";

  let lastSnowflake = 0n;
  /** Mastodon's ids: milliseconds since the epoch shifted left 16 bits, plus a sequence (always increasing here). */
  const snowflake = () => {
    const candidate = BigInt(Date.now()) << 16n;
    lastSnowflake = candidate > lastSnowflake ? candidate : lastSnowflake + 1n;
    return lastSnowflake.toString();
  };
  /** The id of a status written in the past (its id carries that time, as Mastodon's do). */
  const snowflakeAt = (time: Date) => {
    let id: bigint;
    do id = (BigInt(time.getTime()) << 16n) + BigInt(Math.floor(Math.random() * 65536));
    while (statuses.has(id.toString()));
    return id.toString();
  };
  let sequence = 100;
  const serial = () => String(++sequence);
  const byId = (a: { id: string }, b: { id: string }) => (BigInt(b.id) > BigInt(a.id) ? 1 : BigInt(b.id) < BigInt(a.id) ? -1 : 0);

  const accountNamed = (username: string) => {
    const account = [...accounts.values()].find((candidate) => candidate.username.toLowerCase() === username.replace(/^@/, "").toLowerCase());
    if (!account) throw new Error(`the Mastodon test peer has no account "${username}"`);
    return account;
  };
  const localAccount = (username: string, domain?: string) => {
    if (domain && domain !== new URL(origin).host) return undefined;
    return [...accounts.values()].find((candidate) => candidate.username.toLowerCase() === username.toLowerCase());
  };

  // ─── entities ──────────────────────────────────────────────────────────────────────────────────────────────

  const accountEntity = (account: PeerAccount) => {
    const own = [...statuses.values()].filter((status) => status.accountId === account.id && !status.deletedAt);
    const last = own.sort(byId)[0];
    return {
      ...recordedEntity("account", {
        id: account.id,
        username: account.username,
        display_name: account.displayName,
        created_at: isoMidnight(account.createdAt),
        note: account.note ? `<p>${escapeHtml(account.note)}</p>` : "",
        origin,
      }),
      followers_count: account.followers,
      statuses_count: own.length,
      last_status_at: last ? last.createdAt.toISOString().slice(0, 10) : null,
    };
  };

  /** Mastodon's TextFormatter, simplified: paragraphs, line breaks, links and mentions of known accounts. */
  const renderContent = (text: string) => {
    const inline = (line: string) => {
      let html = "";
      let at = 0;
      const tokens: { index: number; length: number; html: string }[] = [];
      for (const match of line.matchAll(URL_PATTERN)) {
        const url = match[0];
        const [, scheme, rest] = /^(https?:\/\/)(.*)$/.exec(url)!;
        tokens.push({
          index: match.index!,
          length: url.length,
          html: `<a href="${escapeHtml(url)}" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">${scheme}</span><span class="">${escapeHtml(rest)}</span><span class="invisible"></span></a>`,
        });
      }
      for (const match of line.matchAll(MENTION_PATTERN)) {
        const account = localAccount(match[2], match[3]);
        if (!account) continue;
        const start = match.index! + match[1].length;
        if (tokens.some((token) => start >= token.index && start < token.index + token.length)) continue;
        tokens.push({
          index: start,
          length: match[0].length - match[1].length,
          html: `<span class="h-card" translate="no"><a href="${origin}/@${account.username}" class="u-url mention">@<span>${account.username}</span></a></span>`,
        });
      }
      for (const token of tokens.sort((a, b) => a.index - b.index)) {
        html += escapeHtml(line.slice(at, token.index)) + token.html;
        at = token.index + token.length;
      }
      return html + escapeHtml(line.slice(at));
    };
    return text
      .trim()
      .split(/\n{2,}/)
      .map((paragraph) => `<p>${paragraph.split("\n").map(inline).join("<br />")}</p>`)
      .join("");
  };

  const mediaEntity = (item: Media) => ({ ...recordedEntity("media-attachment", { id: item.id, origin }), description: item.description });

  const statusEntity = (status: PeerStatus, viewerId: string | null, extra: Record<string, unknown> = {}) => {
    const author = accounts.get(status.accountId)!;
    return {
      ...recordedEntity("status", {
        id: status.id,
        created_at: status.createdAt.toISOString(),
        origin,
        username: author.username,
        content: renderContent(status.text),
        application: status.applicationName ?? "Web",
        account: accountEntity(author),
      }),
      in_reply_to_id: status.inReplyToId,
      in_reply_to_account_id: status.inReplyToAccountId,
      sensitive: status.sensitive,
      spoiler_text: status.spoilerText,
      visibility: status.visibility,
      language: status.language,
      replies_count: [...statuses.values()].filter((other) => other.inReplyToId === status.id && !other.deletedAt).length,
      pinned: viewerId === status.accountId ? false : undefined,
      media_attachments: status.mediaIds.map((id) => mediaEntity(media.get(id)!)),
      mentions: status.mentionIds.map((id) => {
        const account = accounts.get(id)!;
        return { id, username: account.username, url: `${origin}/@${account.username}`, acct: account.username };
      }),
      // Mastodon shows the posting application only to the author.
      ...(viewerId === status.accountId ? {} : { application: undefined }),
      ...extra,
    };
  };

  const canSee = (status: PeerStatus, viewerId: string | null) =>
    !status.deletedAt &&
    (status.visibility === "public" ||
      status.visibility === "unlisted" ||
      status.accountId === viewerId ||
      (viewerId !== null && status.mentionIds.includes(viewerId)));

  const findStatus = (id: string, viewerId: string | null) => {
    const status = statuses.get(id);
    if (!status || !canSee(status, viewerId)) throw new Answer(recordedError("record_not_found"));
    return status;
  };

  // ─── network operations (the API and the test helpers use the same ones) ──────────────────────────────────

  /** Counts as Mastodon 4.3's StatusLengthValidator: graphemes, links as 23 characters, remote mentions by their username. */
  const countedLength = (text: string) =>
    graphemes(text.replace(URL_PATTERN, "x".repeat(URL_LENGTH)).replace(MENTION_PATTERN, (_, before: string, username: string) => `${before}@${username}`));

  const createStatus = (
    author: PeerAccount,
    input: {
      text: string;
      spoilerText?: string;
      sensitive?: boolean;
      visibility?: PeerStatus["visibility"];
      language?: string | null;
      inReplyToId?: string | null;
      mediaIds?: string[];
      applicationName?: string | null;
      createdAt?: Date;
    },
  ): PeerStatus => {
    const text = input.text ?? "";
    const spoilerText = input.spoilerText ?? "";
    const mediaIds = input.mediaIds ?? [];
    if (mediaIds.length > MAX_MEDIA) throw new Answer(recordedError("too_many_media"));
    const attached = mediaIds.map((id) => media.get(id)).filter((item): item is Media => !!item && item.accountId === author.id && item.statusId === null);
    if (text.trim() === "" && attached.length === 0) throw new Answer(recordedError("text_blank"));
    // The content warning counts as written (links in it are not shortened), the text as countable_text.
    if (graphemes(spoilerText) + countedLength(text) > MAX_CHARS) throw new Answer(recordedError("text_too_long"));
    const parent = input.inReplyToId ? findStatus(input.inReplyToId, author.id) : null;
    const mentionIds = [...new Set([...text.matchAll(MENTION_PATTERN)].map((match) => localAccount(match[2], match[3])?.id).filter((id): id is string => !!id))];
    const status: PeerStatus = {
      id: input.createdAt ? snowflakeAt(input.createdAt) : snowflake(),
      accountId: author.id,
      text,
      spoilerText,
      sensitive: input.sensitive ?? spoilerText !== "",
      visibility: input.visibility ?? "public",
      language: input.language ?? "en",
      inReplyToId: parent?.id ?? null,
      inReplyToAccountId: parent?.accountId ?? null,
      mediaIds: attached.map((item) => item.id),
      mentionIds: mentionIds.filter((id) => id !== author.id),
      threadId: parent?.threadId ?? serial(),
      applicationName: input.applicationName ?? null,
      createdAt: input.createdAt ?? new Date(),
      deletedAt: null,
    };
    for (const item of attached) item.statusId = status.id;
    statuses.set(status.id, status);
    for (const recipientId of status.mentionIds) {
      notifications.push({ id: serial(), recipientId, type: "mention", fromAccountId: author.id, statusId: status.id, createdAt: status.createdAt });
    }
    if (status.visibility === "direct") recordConversation(status);
    if (status.visibility === "public" && !input.createdAt) broadcast("update", () => JSON.stringify(statusEntity(status, null)));
    return status;
  };

  /** Each participant's AccountConversation (per thread and set of participants), as Mastodon keeps them. */
  const recordConversation = (status: PeerStatus) => {
    const everyone = [status.accountId, ...status.mentionIds];
    for (const accountId of everyone) {
      const participantIds = everyone.filter((id) => id !== accountId).sort();
      let conversation = conversations.find(
        (candidate) => candidate.accountId === accountId && candidate.threadId === status.threadId && candidate.participantIds.join() === participantIds.join(),
      );
      if (!conversation) {
        conversation = { id: serial(), accountId, threadId: status.threadId, participantIds, lastStatusId: status.id, unread: false };
        conversations.push(conversation);
      }
      conversation.lastStatusId = status.id;
      conversation.unread = accountId !== status.accountId;
    }
  };

  const notifyAbout = (type: "favourite" | "reblog", from: PeerAccount, statusId: string) => {
    const status = findStatus(statusId, from.id);
    if (status.accountId !== from.id) notifications.push({ id: serial(), recipientId: status.accountId, type, fromAccountId: from.id, statusId, createdAt: new Date() });
  };

  const broadcast = (event: "update" | "delete", payload: () => string) => {
    // Mastodon delivers through Redis after the request; the peer does it on the next turn of the event loop.
    setImmediate(() => {
      for (const stream of streams) {
        if (stream.subscriptions.has("public")) stream.socket.send(JSON.stringify({ stream: ["public"], event, payload: payload() }));
      }
    });
  };

  // ─── HTTP ──────────────────────────────────────────────────────────────────────────────────────────────────

  const send = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "X-Test-Peer": "mastodon-4.3-recordings", ...headers });
    response.end(JSON.stringify(body));
  };

  async function readBody(request: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const type = request.headers["content-type"] ?? "";
    if (raw.length === 0) return {};
    if (type.includes("application/json")) return JSON.parse(raw.toString("utf8")) as Record<string, unknown>;
    const form = await new Request(url, { method: "POST", headers: { "content-type": type }, body: raw }).formData();
    const body: Record<string, unknown> = {};
    for (const [name, value] of form.entries()) {
      if (name.endsWith("[]")) ((body[name.slice(0, -2)] ??= []) as unknown[]).push(value);
      else body[name] = value;
    }
    return body;
  }

  const queryList = (query: URLSearchParams, name: string) => [...query.getAll(`${name}[]`), ...query.getAll(name)];

  /** Mastodon's id pagination: newest first; with min_id, the page just after it. Adds the Link header. */
  const paginate = <T>(items: T[], key: (item: T) => string, query: URLSearchParams, path: string, defaultLimit: number, maxLimit: number) => {
    const limit = Math.min(Number(query.get("limit") ?? defaultLimit) || defaultLimit, maxLimit);
    const maxId = query.get("max_id");
    const sinceId = query.get("since_id");
    const minId = query.get("min_id");
    let selected = items
      .filter((item) => (maxId ? BigInt(key(item)) < BigInt(maxId) : true))
      .filter((item) => (sinceId ? BigInt(key(item)) > BigInt(sinceId) : true))
      .filter((item) => (minId ? BigInt(key(item)) > BigInt(minId) : true))
      .sort((a, b) => byId({ id: key(a) }, { id: key(b) }));
    selected = minId ? selected.slice(-limit) : selected.slice(0, limit);
    const headers: Record<string, string> = {};
    if (selected.length > 0) {
      const link = (name: string, value: string) => {
        const next = new URLSearchParams(query);
        for (const drop of ["max_id", "since_id", "min_id"]) next.delete(drop);
        next.set(name, value);
        return `<${origin}${path}?${next}>`;
      };
      headers.Link = `${link("max_id", key(selected.at(-1)!))}; rel="next", ${link("min_id", key(selected[0]))}; rel="prev"`;
    }
    return { page: selected, headers };
  };

  const authenticate = (request: IncomingMessage, scope: string): Token => {
    const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? "")?.[1];
    const token = bearer ? tokens.get(bearer) : undefined;
    if (!token) throw new Answer(recordedError("token_invalid"));
    if (token.revoked) throw new Answer(recordedError("token_revoked"));
    const [family] = scope.split(":");
    if (!token.scopes.includes(scope) && !token.scopes.includes(family)) throw new Answer(recordedError("outside_scopes"));
    return token;
  };

  /** X-RateLimit-* on every authenticated answer, as Mastodon 4.3's rack-attack sends them (ISO 8601 reset). */
  const rateHeaders = (token: Token) => {
    const window = Math.floor(Date.now() / RATE_PERIOD_MS);
    if (token.requests.window !== window) token.requests = { window, count: 0 };
    token.requests.count++;
    return {
      "X-RateLimit-Limit": String(RATE_LIMIT),
      "X-RateLimit-Remaining": String(Math.max(RATE_LIMIT - token.requests.count, 0)),
      "X-RateLimit-Reset": new Date((window + 1) * RATE_PERIOD_MS).toISOString(),
    };
  };

  /** Takes the account's next fault when it applies to this call. */
  const takeFault = (accountId: string, applies: (fault: MastodonTestFault) => boolean) => {
    const queue = faults.get(accountId) ?? [];
    if (queue.length === 0 || !applies(queue[0])) return null;
    return queue.shift()!;
  };

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? "/", origin);
    const path = url.pathname;
    const method = request.method ?? "GET";
    const query = url.searchParams;
    const body = method === "GET" ? {} : await readBody(request, url);
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
    requests.push({ method, path, query, headers, body });

    // ─── OAuth (Doorkeeper) ───
    if (method === "POST" && path === "/api/v1/apps") {
      const redirectUris = (Array.isArray(body.redirect_uris) ? body.redirect_uris : String(body.redirect_uris ?? "").split(/\s+/)).map(String).filter(Boolean);
      if (redirectUris.length === 0 || redirectUris.some((uri) => !URL.canParse(uri))) throw new Answer(recordedError("invalid_redirect_uri"));
      const app: App = {
        id: serial(),
        name: String(body.client_name ?? ""),
        clientId: randomBytes(32).toString("base64url"),
        clientSecret: randomBytes(32).toString("base64url"),
        redirectUris,
        scopes: String(body.scopes ?? "read").split(/\s+/).filter(Boolean),
      };
      apps.set(app.clientId, app);
      return send(
        response,
        200,
        recordedEntity("application", {
          id: app.id,
          name: app.name,
          scopes: app.scopes,
          redirect_uris: app.redirectUris,
          redirect_uri: app.redirectUris.join("\n"),
          client_id: app.clientId,
          client_secret: app.clientSecret,
        }),
      );
    }
    if (method === "GET" && path === "/oauth/authorize") {
      const app = apps.get(query.get("client_id") ?? "");
      const redirectUri = query.get("redirect_uri") ?? "";
      const scopes = (query.get("scope") ?? "read").split(/[\s+]+/).filter(Boolean);
      const challenge = query.get("code_challenge");
      const problem = !app
        ? "unknown client"
        : !app.redirectUris.includes(redirectUri)
          ? "redirect_uri not registered"
          : query.get("response_type") !== "code"
            ? "response_type must be code"
            : scopes.some((scope) => !app.scopes.includes(scope) && !app.scopes.includes(scope.split(":")[0]))
              ? "scope not registered"
              : challenge && query.get("code_challenge_method") !== "S256"
                ? "only S256 code challenges"
                : !signedIn
                  ? "nobody is signed in at the test peer (signIn)"
                  : null;
      if (problem) {
        response.writeHead(400, { "Content-Type": "text/plain; charset=utf-8" });
        return response.end(`Mastodon test peer: authorization refused: ${problem}`);
      }
      const grant: Grant = { code: randomBytes(32).toString("base64url"), clientId: app!.clientId, redirectUri, accountId: signedIn!, scopes, challenge, used: false };
      grants.set(grant.code, grant);
      const back = new URL(redirectUri);
      back.searchParams.set("code", grant.code);
      if (query.has("state")) back.searchParams.set("state", query.get("state")!);
      response.writeHead(302, { Location: back.toString() });
      return response.end();
    }
    if (method === "POST" && path === "/oauth/token") {
      const app = apps.get(String(body.client_id ?? ""));
      if (!app || app.clientSecret !== body.client_secret) {
        const error = recordedError("invalid_client");
        return send(response, error.status, error.body);
      }
      const grant = grants.get(String(body.code ?? ""));
      const verifier = String(body.code_verifier ?? "");
      const verified = !grant?.challenge || createHash("sha256").update(verifier).digest("base64url") === grant.challenge;
      if (body.grant_type !== "authorization_code" || !grant || grant.used || grant.clientId !== app.clientId || grant.redirectUri !== body.redirect_uri || !verified) {
        const error = recordedError("invalid_grant");
        return send(response, error.status, error.body);
      }
      grant.used = true;
      const token: Token = { token: randomBytes(32).toString("base64url"), clientId: app.clientId, accountId: grant.accountId, scopes: grant.scopes, revoked: false, createdAt: new Date(), requests: { window: 0, count: 0 } };
      tokens.set(token.token, token);
      return send(response, 200, {
        ...recordedEntity("token", { access_token: token.token, scope: token.scopes.join(" ") }),
        created_at: Math.floor(token.createdAt.getTime() / 1000),
      });
    }
    if (method === "POST" && path === "/oauth/revoke") {
      const app = apps.get(String(body.client_id ?? ""));
      if (!app || app.clientSecret !== body.client_secret) {
        const error = recordedError("invalid_client");
        return send(response, error.status, error.body);
      }
      const token = tokens.get(String(body.token ?? ""));
      if (token && token.clientId === app.clientId) token.revoked = true;
      return send(response, 200, {});
    }

    if (method === "GET" && path === "/api/v2/instance") {
      return send(response, 200, recordedEntity("instance", { domain: new URL(origin).host, streaming: origin.replace(/^http/, "ws") }));
    }

    // ─── the REST API ───
    const route = apiRoute(method, path);
    if (!route) {
      const error = recordedError("record_not_found");
      return send(response, error.status, error.body);
    }
    const token = authenticate(request, route.scope);
    const viewer = accounts.get(token.accountId)!;
    const write = method !== "GET";
    const fault = takeFault(viewer.id, (candidate) =>
      candidate.kind === "timeout_after_accept" ? write && /^\/api\/v1\/statuses/.test(path) : candidate.kind !== "duplicate_delivery" || path === "/api/v1/notifications",
    );
    if (fault?.kind === "rate_limited") {
      const error = recordedError("rate_limited", { reset_iso8601: new Date(Date.now() + fault.retryAfterSeconds * 1000).toISOString() });
      return send(response, error.status, error.body, error.headers);
    }
    if (fault?.kind === "auth_expired") {
      for (const other of tokens.values()) if (other.accountId === viewer.id) other.revoked = true;
      const error = recordedError("token_revoked");
      return send(response, error.status, error.body);
    }
    if (fault?.kind === "server_error") {
      const error = recordedError("unavailable");
      return send(response, error.status, error.body);
    }
    const rate = rateHeaders(token);
    const answer = await route.run({ viewer, token, body, query, headers, fault });
    if (fault?.kind === "timeout_after_accept") {
      // Accepted and stored; the answer never comes (until the client gives up or the peer closes).
      hanging.add(response);
      response.on("close", () => hanging.delete(response));
      return;
    }
    return send(response, answer.status ?? 200, answer.body, { ...rate, ...answer.headers });
  }

  type RouteContext = { viewer: PeerAccount; token: Token; body: Record<string, unknown>; query: URLSearchParams; headers: Record<string, string>; fault: MastodonTestFault | null };
  type RouteAnswer = { status?: number; body: unknown; headers?: Record<string, string> };
  type Route = { scope: string; run(context: RouteContext): Promise<RouteAnswer> | RouteAnswer };

  function apiRoute(method: string, path: string): Route | null {
    let match: RegExpExecArray | null;
    if (method === "GET" && path === "/api/v1/accounts/verify_credentials") {
      return {
        scope: "read:accounts",
        run: ({ viewer }) => ({ body: { ...accountEntity(viewer), ...recordedEntity("credential-account-source", {}) } }),
      };
    }
    if (method === "GET" && path === "/api/v1/accounts/lookup") {
      return {
        scope: "read:accounts",
        run: ({ query }) => {
          const [username, domain] = (query.get("acct") ?? "").replace(/^@/, "").split("@");
          const account = localAccount(username, domain);
          if (!account) throw new Answer(recordedError("record_not_found"));
          return { body: accountEntity(account) };
        },
      };
    }
    if (method === "GET" && (match = /^\/api\/v1\/accounts\/(\d+)\/statuses$/.exec(path))) {
      const accountId = match[1];
      return {
        scope: "read:statuses",
        run: ({ viewer, query }) => {
          if (!accounts.has(accountId)) throw new Answer(recordedError("record_not_found"));
          const visible = [...statuses.values()].filter((status) => status.accountId === accountId && canSee(status, viewer.id));
          const { page, headers } = paginate(visible, (status) => status.id, query, path, 20, 40);
          return { body: page.map((status) => statusEntity(status, viewer.id)), headers };
        },
      };
    }
    if (method === "POST" && path === "/api/v1/statuses") {
      return {
        scope: "write:statuses",
        run: ({ viewer, token, body, headers }) => {
          const key = headers["idempotency-key"];
          const remembered = key ? idempotency.get(`${viewer.id}:${key}`) : undefined;
          // Checked before anything else (PostStatusService): a known key answers its status, if it still exists.
          const duplicate = remembered && Date.now() - remembered.at < IDEMPOTENCY_MS ? statuses.get(remembered.statusId) : undefined;
          if (duplicate && !duplicate.deletedAt) return { body: statusEntity(duplicate, viewer.id) };
          const status = createStatus(viewer, {
            text: String(body.status ?? ""),
            spoilerText: body.spoiler_text === undefined ? undefined : String(body.spoiler_text),
            sensitive: body.sensitive === undefined ? undefined : body.sensitive === true || body.sensitive === "true",
            visibility: (body.visibility as PeerStatus["visibility"] | undefined) ?? undefined,
            language: body.language === undefined ? undefined : String(body.language),
            inReplyToId: body.in_reply_to_id ? String(body.in_reply_to_id) : null,
            mediaIds: Array.isArray(body.media_ids) ? body.media_ids.map(String) : [],
            applicationName: apps.get(token.clientId)?.name ?? null,
          });
          if (key) idempotency.set(`${viewer.id}:${key}`, { statusId: status.id, at: Date.now() });
          return { body: statusEntity(status, viewer.id) };
        },
      };
    }
    if ((match = /^\/api\/v1\/statuses\/(\d+)$/.exec(path)) && (method === "GET" || method === "DELETE")) {
      const id = match[1];
      return {
        scope: method === "GET" ? "read:statuses" : "write:statuses",
        run: ({ viewer }) => {
          const status = findStatus(id, viewer.id);
          if (method === "GET") return { body: statusEntity(status, viewer.id) };
          if (status.accountId !== viewer.id) throw new Answer(recordedError("not_allowed"));
          status.deletedAt = new Date();
          broadcast("delete", () => status.id);
          return { body: statusEntity(status, viewer.id, { text: status.text }) };
        },
      };
    }
    if (method === "GET" && (match = /^\/api\/v1\/statuses\/(\d+)\/context$/.exec(path))) {
      const id = match[1];
      return {
        scope: "read:statuses",
        run: ({ viewer }) => {
          const status = findStatus(id, viewer.id);
          const ancestors: PeerStatus[] = [];
          for (let parent = status.inReplyToId ? statuses.get(status.inReplyToId) : undefined; parent; parent = parent.inReplyToId ? statuses.get(parent.inReplyToId) : undefined) {
            if (canSee(parent, viewer.id)) ancestors.unshift(parent);
          }
          const descendants: PeerStatus[] = [];
          const walk = (parentId: string) => {
            for (const child of [...statuses.values()].filter((other) => other.inReplyToId === parentId).sort((a, b) => -byId(a, b))) {
              if (canSee(child, viewer.id)) descendants.push(child);
              walk(child.id);
            }
          };
          walk(status.id);
          return { body: { ancestors: ancestors.map((item) => statusEntity(item, viewer.id)), descendants: descendants.map((item) => statusEntity(item, viewer.id)) } };
        },
      };
    }
    if (method === "POST" && path === "/api/v2/media") {
      return {
        scope: "write:media",
        run: ({ viewer, body }) => {
          const file = body.file;
          if (!(file instanceof Blob)) return { status: 422, body: { error: "Validation failed: File can't be blank" } };
          const item: Media = { id: snowflake(), accountId: viewer.id, description: body.description ? String(body.description) : null, mimeType: file.type, size: file.size, statusId: null };
          media.set(item.id, item);
          return { body: mediaEntity(item) };
        },
      };
    }
    if (method === "GET" && path === "/api/v1/notifications") {
      return {
        scope: "read:notifications",
        run: ({ viewer, query, fault }) => {
          const types = queryList(query, "types");
          const excluded = queryList(query, "exclude_types");
          const mine = notifications.filter(
            (item) =>
              item.recipientId === viewer.id &&
              (types.length === 0 || types.includes(item.type)) &&
              !excluded.includes(item.type) &&
              !statuses.get(item.statusId)?.deletedAt,
          );
          const { page, headers } = paginate(mine, (item) => item.id, query, path, 40, 80);
          const entities = page.map((item) => ({
            ...recordedEntity("notification", {
              id: item.id,
              type: item.type,
              created_at: item.createdAt.toISOString(),
              account: accountEntity(accounts.get(item.fromAccountId)!),
              status: statusEntity(statuses.get(item.statusId)!, viewer.id),
            }),
          }));
          // duplicate_delivery: the first item of the page comes again (a redelivery).
          if (fault?.kind === "duplicate_delivery" && entities.length > 0) entities.push(entities[0]);
          else if (fault?.kind === "duplicate_delivery") faults.set(viewer.id, [fault, ...(faults.get(viewer.id) ?? [])]);
          return { body: entities, headers };
        },
      };
    }
    if (method === "GET" && path === "/api/v1/conversations") {
      return {
        scope: "read:statuses",
        run: ({ viewer, query }) => {
          const mine = conversations.filter((conversation) => conversation.accountId === viewer.id && !statuses.get(conversation.lastStatusId)?.deletedAt);
          const { page, headers } = paginate(mine, (conversation) => conversation.lastStatusId, query, path, 20, 40);
          return {
            body: page.map((conversation) =>
              recordedEntity("conversation", {
                id: conversation.id,
                accounts: conversation.participantIds.map((id) => accountEntity(accounts.get(id)!)),
                status: statusEntity(statuses.get(conversation.lastStatusId)!, viewer.id),
              }),
            ).map((entity, index) => ({ ...entity, unread: page[index].unread })),
            headers,
          };
        },
      };
    }
    if (method === "GET" && path === "/api/v2/search") {
      return {
        scope: "read:search",
        run: ({ viewer, query }) => {
          const type = query.get("type");
          const words = (query.get("q") ?? "").toLowerCase().split(/\s+/).filter(Boolean);
          const limit = Math.min(Number(query.get("limit") ?? 20) || 20, 40);
          const offset = Number(query.get("offset") ?? 0) || 0;
          const found =
            !type || type === "statuses"
              ? [...statuses.values()]
                  .filter((status) => canSee(status, viewer.id) && status.visibility !== "direct" && words.length > 0 && words.every((word) => status.text.toLowerCase().includes(word)))
                  .sort(byId)
                  .slice(offset, offset + limit)
              : [];
          const matchedAccounts = !type || type === "accounts" ? [...accounts.values()].filter((account) => words.some((word) => account.username.toLowerCase().includes(word.replace(/^@/, "")))) : [];
          return { body: { accounts: matchedAccounts.slice(0, limit).map(accountEntity), statuses: found.map((status) => statusEntity(status, viewer.id)), hashtags: [] } };
        },
      };
    }
    if (method === "GET" && path === "/api/v1/timelines/public") {
      return {
        scope: "read:statuses",
        run: ({ viewer, query }) => {
          const visible = [...statuses.values()].filter((status) => status.visibility === "public" && !status.deletedAt);
          const { page, headers } = paginate(visible, (status) => status.id, query, path, 20, 40);
          return { body: page.map((status) => statusEntity(status, viewer.id)), headers };
        },
      };
    }
    return null;
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (error instanceof Answer) return send(response, error.recorded.status, error.recorded.body, error.recorded.headers);
      send(response, 500, { error: `Mastodon test peer failed: ${error instanceof Error ? error.message : String(error)}` });
    });
  });

  // ─── the streaming API (WebSocket at /api/v1/streaming) ───
  const sockets = new WebSocketServer({ noServer: true });
  server.on("upgrade", (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(request.url ?? "/", origin);
    const offered = String(request.headers["sec-websocket-protocol"] ?? "").split(",")[0].trim();
    const token = tokens.get(url.searchParams.get("access_token") ?? offered);
    if (url.pathname !== "/api/v1/streaming" || !token || token.revoked) {
      socket.end(`HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${JSON.stringify({ error: "Error: Invalid access token" })}`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      const stream = { socket: ws, subscriptions: new Set<string>(url.searchParams.getAll("stream")) };
      streams.add(stream);
      ws.on("message", (data) => {
        const message = JSON.parse(data.toString("utf8")) as { type?: string; stream?: string };
        if (message.type === "subscribe" && message.stream) stream.subscriptions.add(message.stream);
        if (message.type === "unsubscribe" && message.stream) stream.subscriptions.delete(message.stream);
      });
      ws.on("close", () => streams.delete(stream));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    addAccount(input) {
      if (!/^[a-z0-9_]+$/i.test(input.username)) throw new Error(`not a Mastodon username: ${input.username}`);
      if (localAccount(input.username)) throw new Error(`the username ${input.username} is taken`);
      const account: PeerAccount = {
        id: snowflake(),
        username: input.username,
        displayName: input.displayName ?? input.username,
        note: input.note ?? "",
        followers: input.followers ?? 0,
        createdAt: new Date(),
      };
      accounts.set(account.id, account);
      return account;
    },
    signIn(username) {
      signedIn = accountNamed(username).id;
    },
    post(username, input) {
      try {
        return createStatus(accountNamed(username), input);
      } catch (error) {
        if (error instanceof Answer) throw new Error(`the Mastodon test peer refused the post: ${error.message}`);
        throw error;
      }
    },
    favourite: (username, statusId) => notifyAbout("favourite", accountNamed(username), statusId),
    reblog: (username, statusId) => notifyAbout("reblog", accountNamed(username), statusId),
    status: (id) => statuses.get(id) ?? null,
    account: (id) => accounts.get(id) ?? null,
    conversationsOf(username) {
      const account = accountNamed(username);
      return conversations
        .filter((conversation) => conversation.accountId === account.id)
        .sort((a, b) => byId({ id: a.lastStatusId }, { id: b.lastStatusId }))
        .map(({ id, lastStatusId }) => ({ id, lastStatusId }));
    },
    injectFault(username, fault) {
      const account = accountNamed(username);
      faults.set(account.id, [...(faults.get(account.id) ?? []), fault]);
    },
    dropStreams() {
      for (const stream of streams) {
        streams.delete(stream);
        stream.socket.terminate();
      }
    },
    requests,
    async close() {
      for (const stream of streams) stream.socket.close();
      sockets.close();
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
