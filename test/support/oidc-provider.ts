import { createSign, generateKeyPairSync, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

/** What the provider says about one of its accounts (the login at its sign-in page is the subject). */
export type TestAccount = { email: string; email_verified: boolean; name?: string; groups?: string[] };

/** How the answer of the token endpoint is spoiled, to prove Parapet refuses it. */
export type TokenTampering = "none" | "altered_payload" | "foreign_signature";

/**
 * A real OpenID provider (`oidc-provider`) on a loopback port: discovery, authorization with PKCE, its own
 * development sign-in page (any password for a known login), token and userinfo endpoints, signed ID tokens.
 * One client is registered for Parapet's redirect URI. Grants are given without a consent page.
 */
export async function startOidcTestProvider(options: { redirectUri: string }) {
  const accounts = new Map<string, TestAccount>();
  let tampering: TokenTampering = "none";
  let handler: http.RequestListener = (_req, res) => res.end();
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = "parapet";
  const clientSecret = randomBytes(24).toString("base64url");

  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [options.redirectUri], grant_types: ["authorization_code"], response_types: ["code"] }],
    async findAccount(_ctx: unknown, id: string) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...account }) };
    },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    cookies: { keys: [randomBytes(16).toString("hex")] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    // First-party test client: the grant is given at once (no consent page).
    async loadExistingGrant(ctx: any) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope("openid email profile groups");
      await grant.save();
      return grant;
    },
  });
  provider.use(async (ctx: any, next: () => Promise<void>) => {
    await next();
    if (ctx.path === "/token" && ctx.body?.id_token && tampering !== "none") ctx.body = { ...ctx.body, id_token: spoil(ctx.body.id_token, tampering) };
  });
  handler = provider.callback();

  return {
    issuer,
    clientId,
    clientSecret,
    /** Adds (or replaces) an account; its login at the sign-in page is `login`, which is also its subject. */
    addAccount(login: string, account: TestAccount) {
      accounts.set(login, account);
    },
    tamperTokens(mode: TokenTampering) {
      tampering = mode;
    },
    /**
     * Signs in at the provider like a browser would: opens the authorisation URL, fills in its sign-in page and
     * follows the redirects up to the one back to Parapet, whose URL it returns.
     */
    async signIn(authorizeUrl: string, login: string): Promise<URL> {
      const cookies = new Map<string, string>();
      const go = async (url: string, init: RequestInit = {}) => {
        const res = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; ") } });
        for (const line of res.headers.getSetCookie()) {
          const [pair] = line.split(";");
          const at = pair.indexOf("=");
          cookies.set(pair.slice(0, at), pair.slice(at + 1));
        }
        return res;
      };
      let url = authorizeUrl;
      for (let hops = 0; hops < 10; hops++) {
        const res = await go(url);
        if (res.status >= 300 && res.status < 400) {
          const next = new URL(res.headers.get("location")!, url);
          if (next.href.startsWith(options.redirectUri)) return next;
          url = next.href;
          continue;
        }
        const html = await res.text();
        const action = html.match(/<form[^>]*action="([^"]+)"/)?.[1];
        if (!action || !html.includes('name="login"')) throw new Error(`the provider answered ${res.status} without a sign-in form: ${html.slice(0, 300)}`);
        const posted = await go(new URL(action.replaceAll("&amp;", "&"), url).href, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ prompt: "login", login, password: "any password" }).toString(),
        });
        if (posted.status < 300 || posted.status >= 400) throw new Error(`signing in at the provider failed: ${posted.status}`);
        url = new URL(posted.headers.get("location")!, url).href;
      }
      throw new Error("too many redirects at the provider");
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type OidcTestProvider = Awaited<ReturnType<typeof startOidcTestProvider>>;

/** An ID token with one claim changed (the signature no longer fits), or the same claims signed by a stranger's key. */
function spoil(idToken: string, mode: Exclude<TokenTampering, "none">): string {
  const [header, payload, signature] = idToken.split(".");
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
  if (mode === "altered_payload") {
    // What an attacker would want: the ID token's claims win over userinfo's, so this would be someone else's account.
    const altered = Buffer.from(JSON.stringify({ ...claims, email: "ceo@acme.test", email_verified: true })).toString("base64url");
    return `${header}.${altered}.${signature}`;
  }
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const foreignHeader = Buffer.from(JSON.stringify({ alg: "RS256", typ: "JWT", kid: "foreign" })).toString("base64url");
  const body = `${foreignHeader}.${payload}`;
  return `${body}.${createSign("RSA-SHA256").update(body).sign(privateKey).toString("base64url")}`;
}
