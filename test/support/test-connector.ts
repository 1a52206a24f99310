import { createHash, randomBytes } from "node:crypto";
import {
  NetworkError,
  type AccountProfile,
  type Connected,
  type ConnectInput,
  type Connector,
  type Credentials,
  type NetworkFailureKind,
} from "../../src/server/networks/types";

/**
 * A test peer, not a mock: an honest in-memory social network behind the connector contract, for the channels
 * domain's tests. Accounts sign in with an app password; every connect or refresh issues a fresh access token
 * (and a refresh token) that the network remembers, verify checks it, revoke forgets it. Tests steer it the way
 * a real network misbehaves: expire an account's tokens, refuse the next call with a classified failure.
 */
export type TestNetwork = Connector & {
  /** Creates an account that can sign in with `password`. */
  addAccount(handle: string, password: string, profile?: Partial<AccountProfile>): void;
  /** Every token the network currently accepts for `handle` (what a thief would want). */
  liveTokensOf(handle: string): string[];
  /** The network forgets every token of `handle`: the next verify answers auth_expired. */
  expireTokensOf(handle: string): void;
  /** The next call of `operation` fails with `kind`. */
  failNext(operation: "connect" | "verify" | "refresh" | "revoke", kind: NetworkFailureKind, message?: string): void;
  /** How often each operation was called. */
  calls: Record<"connect" | "verify" | "refresh" | "revoke", number>;
  /** Renames an account (its handle as the network shows it); the account keeps its id. */
  renameAccount(handle: string, newHandle: string): void;
  /**
   * OAuth networks (`oauth: true`): the person signs in as `handle` on the authorisation page `authorizeUrl` leads to
   * and approves; returns where the network redirects them (the redirect URI with `code` and `state`).
   */
  approve(authorizeUrl: string, handle: string): string;
  /** OAuth networks: the person refuses on the authorisation page; returns the redirect with `error`. */
  deny(authorizeUrl: string): string;
};

type Account = { id: string; password: string; profile: AccountProfile };

export function createTestNetwork(options: { network?: string; clock: () => Date; refresh?: boolean; revoke?: boolean; tokenLifetimeMs?: number; oauth?: boolean }): TestNetwork {
  const network = options.network ?? "testnet";
  const canRefresh = options.refresh ?? true;
  const lifetime = options.tokenLifetimeMs ?? 2 * 86_400_000;
  const accounts = new Map<string, Account>(); // by id
  const tokens = new Map<string, string>(); // access or refresh token → account id
  const failures = new Map<string, { kind: NetworkFailureKind; message: string }>();
  const calls = { connect: 0, verify: 0, refresh: 0, revoke: 0 };
  // OAuth: what each authorisation request asked for (by state), and the codes issued (by code).
  type Request = { clientId: string; redirectUri: string; challenge: string; serviceUrl: string };
  const requests = new Map<string, Request>();
  const codes = new Map<string, Request & { accountId: string }>();
  const requestOf = (authorizeUrl: string) => {
    const url = new URL(authorizeUrl);
    const state = url.searchParams.get("state") ?? "";
    const request = requests.get(state);
    if (!request || url.searchParams.get("code_challenge_method") !== "S256") throw new Error(`no authorisation was started for ${authorizeUrl}`);
    return { state, request };
  };

  const byHandle = (handle: string) => [...accounts.values()].find((a) => a.profile.handle === handle);
  const failIfAsked = (operation: string) => {
    const failure = failures.get(operation);
    if (!failure) return;
    failures.delete(operation);
    throw new NetworkError(failure.kind, failure.message);
  };
  const issue = (account: Account): Connected => {
    const accessToken = `${network}-access-${randomBytes(12).toString("hex")}`;
    const refreshToken = `${network}-refresh-${randomBytes(12).toString("hex")}`;
    tokens.set(accessToken, account.id);
    if (canRefresh) tokens.set(refreshToken, account.id);
    const expiresAt = canRefresh ? new Date(options.clock().getTime() + lifetime).toISOString() : null;
    const credentials: Credentials = { accountId: account.id, accessToken, ...(canRefresh ? { refreshToken } : {}) };
    return { profile: { ...account.profile }, credentials, expiresAt };
  };
  const accountOf = (credentials: Credentials, key: "accessToken" | "refreshToken") => {
    const id = tokens.get(String(credentials[key]));
    const account = id ? accounts.get(id) : undefined;
    if (!account) throw new NetworkError("auth_expired", "The token is not valid any more", { status: 401 });
    return account;
  };

  const connector: TestNetwork = {
    network,
    displayName: `Test network (${network})`,
    capabilities: { publish: false, remove: false, edit: false, reply: false, threads: false, directMessages: false, inbox: false, search: false, stream: false, profileLookup: false, refresh: canRefresh },
    limits: { textLength: 500, media: { maxCount: 4, types: ["image/png", "image/jpeg"], maxBytes: 1_000_000, altTextLength: 1000 }, linkLength: null },
    connectMethod: options.oauth
      ? { kind: "oauth2_pkce", scopes: ["read", "write"], serviceUrl: { required: true, defaultUrl: null } }
      : { kind: "app_password", identifierLabel: "Handle", passwordLabel: "App password" },
    calls,

    ...(options.oauth
      ? {
          async beginAuthorization(input: { serviceUrl?: string; redirectUri: string; state: string; codeChallenge: string }) {
            failIfAsked("connect");
            const clientId = `client-${randomBytes(6).toString("hex")}`;
            requests.set(input.state, { clientId, redirectUri: input.redirectUri, challenge: input.codeChallenge, serviceUrl: input.serviceUrl ?? "" });
            const query = new URLSearchParams({ client_id: clientId, redirect_uri: input.redirectUri, state: input.state, code_challenge: input.codeChallenge, code_challenge_method: "S256" });
            return { authorizeUrl: `${input.serviceUrl}/oauth/authorize?${query}`, pending: { clientId } };
          },
        }
      : {}),

    approve(authorizeUrl, handle) {
      const { state, request } = requestOf(authorizeUrl);
      const account = byHandle(handle);
      if (!account) throw new Error(`no account @${handle}`);
      const code = `code-${randomBytes(8).toString("hex")}`;
      codes.set(code, { ...request, accountId: account.id });
      return `${request.redirectUri}?${new URLSearchParams({ code, state })}`;
    },
    deny(authorizeUrl) {
      const { state, request } = requestOf(authorizeUrl);
      return `${request.redirectUri}?${new URLSearchParams({ error: "access_denied", error_description: "The resource owner or authorization server denied the request.", state })}`;
    },

    async connect(input: ConnectInput) {
      calls.connect += 1;
      failIfAsked("connect");
      if (options.oauth) {
        if (input.kind !== "oauth2_callback") throw new NetworkError("invalid_content", "This network connects through OAuth");
        const grant = codes.get(input.code);
        codes.delete(input.code); // a code works once
        const challenge = createHash("sha256").update(input.codeVerifier).digest("base64url");
        const valid = grant && grant.challenge === challenge && grant.redirectUri === input.redirectUri && grant.clientId === input.pending.clientId;
        if (!valid) throw new NetworkError("auth_expired", "invalid_grant: The provided authorization grant is invalid", { status: 400 });
        return issue(accounts.get(grant.accountId)!);
      }
      if (input.kind !== "app_password") throw new NetworkError("invalid_content", "This network signs in with an app password");
      const account = byHandle(input.identifier);
      if (!account || account.password !== input.password) throw new NetworkError("auth_expired", "Wrong handle or app password", { status: 401 });
      return issue(account);
    },
    async verify(credentials) {
      calls.verify += 1;
      failIfAsked("verify");
      return { ...accountOf(credentials, "accessToken").profile };
    },
    ...(canRefresh
      ? {
          async refresh(credentials: Credentials) {
            calls.refresh += 1;
            failIfAsked("refresh");
            const account = accountOf(credentials, "refreshToken");
            tokens.delete(String(credentials.accessToken));
            tokens.delete(String(credentials.refreshToken));
            return issue(account);
          },
        }
      : {}),
    ...(options.revoke === false
      ? {}
      : {
          async revoke(credentials: Credentials) {
            calls.revoke += 1;
            failIfAsked("revoke");
            tokens.delete(String(credentials.accessToken));
            tokens.delete(String(credentials.refreshToken));
          },
        }),

    addAccount(handle, password, profile = {}) {
      const id = `${network}-account-${accounts.size + 1}`;
      accounts.set(id, {
        id,
        password,
        profile: { networkAccountId: id, handle, displayName: handle, avatarUrl: null, url: `https://${network}.test/@${handle}`, followers: 0, createdAt: null, verified: false, ...profile },
      });
    },
    liveTokensOf(handle) {
      const account = byHandle(handle);
      return [...tokens].filter(([, id]) => id === account?.id).map(([token]) => token);
    },
    expireTokensOf(handle) {
      for (const token of connector.liveTokensOf(handle)) tokens.delete(token);
    },
    failNext(operation, kind, message = `The network failed (${kind})`) {
      failures.set(operation, { kind, message });
    },
    renameAccount(handle, newHandle) {
      const account = byHandle(handle);
      if (account) account.profile.handle = newHandle;
    },
  };
  return connector;
}
