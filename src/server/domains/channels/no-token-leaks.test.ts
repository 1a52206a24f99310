import { Writable } from "node:stream";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApp } from "../../http/app";
import { createLogger } from "../../log";
import { describeEachDatabase } from "../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { buildWorkspace, signedInClient } from "../../../../test/support/factories";
import { httpClient, type HttpClient, type Reply } from "../../../../test/support/http";
import { createTestNetwork, type TestNetwork } from "../../../../test/support/test-connector";
import { channels } from "./channels.schema";
import { unsafeCheckAllChannels } from "./index";

/**
 * Invariant 1: a channel's credentials never leave the server. The whole life of a channel — connect, list,
 * check (including a network error that echoes the token), refresh, disconnect — runs over HTTP with the log
 * captured at debug level; no answer, log line or audit export may contain the app password or any token the
 * network issued, and the database holds the credentials only sealed.
 */
describeEachDatabase("channel credentials never leave the server", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let owner: HttpClient;
  let network: TestNetwork;
  let oauthnet: TestNetwork;
  const logLines: string[] = [];
  const APP_PASSWORD = "app-pw-Zq8xW3kLm9Rt";

  beforeAll(async () => {
    services = await createTestServices(kind);
    services.log = createLogger("debug", new Writable({ write: (chunk, _enc, done) => void (logLines.push(String(chunk)), done()) }));
    network = createTestNetwork({ network: "testnet", clock: services.clock });
    services.networks.register(network);
    oauthnet = createTestNetwork({ network: "oauthnet", clock: services.clock, oauth: true, refresh: false });
    services.networks.register(oauthnet);
    app = createApp(services);
    const { people } = await buildWorkspace(services);
    owner = await signedInClient(app, people.owner);
  });
  afterAll(() => services.close());

  it("no API answer, log line or audit export contains a token; the column holds only the sealed form", async () => {
    network.addAccount("roastery", APP_PASSWORD);
    const replies: Reply[] = [];
    const call = async (reply: Promise<Reply>) => {
      const r = await reply;
      replies.push(r);
      return r;
    };
    const secrets = new Set<string>([APP_PASSWORD]);
    const remember = () => network.liveTokensOf("roastery").forEach((t) => secrets.add(t));

    const connected = await call(owner.post("/api/v1/channels", { network: "testnet", kind: "app_password", identifier: "roastery", password: APP_PASSWORD }));
    expect(connected.status, connected.text).toBe(200);
    const id = connected.body.id as string;
    remember();
    expect(secrets.size).toBe(3); // the password, the access token and the refresh token

    const [row] = await services.database.db.select().from(channels).where(eq(channels.id, id));
    expect(row.credentials).toMatch(/^v2:[0-9a-f]{8}:[A-Za-z0-9+/=]+$/);
    for (const secret of secrets) expect(row.credentials).not.toContain(secret);
    const opened = JSON.parse(services.secrets.open(row.credentials)) as Record<string, string>;
    expect(secrets.has(opened.accessToken) && secrets.has(opened.refreshToken)).toBe(true);

    // A network error message that echoes the token it was sent is stored and shown redacted.
    network.failNext("verify", "transient", `upstream rejected ${opened.accessToken} with 502`);
    const failed = await call(owner.post(`/api/v1/channels/${id}/verify`));
    expect(failed.body.channel.health.lastError).toBe("transient: upstream rejected [redacted] with 502");
    await call(owner.post(`/api/v1/channels/${id}/verify`));
    await call(owner.get("/api/v1/channels"));
    await call(owner.get("/api/v1/networks"));
    await call(owner.get(`/api/v1/channels/${id}`));

    // The account's owner reconnects it with a link (new secrets), through every reconnect-link route.
    const link = await call(owner.post(`/api/v1/channels/${id}/reconnect-links`, { email: "owner@roastery.example" }));
    const token = new URL(link.body.url).searchParams.get("token")!;
    const holder = httpClient(app);
    await call(holder.get(`/api/v1/reconnect-links/${token}`));
    const relinked = await call(holder.post(`/api/v1/reconnect-links/${token}/connect`, { kind: "app_password", identifier: "roastery", password: APP_PASSWORD }));
    expect(relinked.status, relinked.text).toBe(200);
    remember();
    expect(secrets.size).toBe(5);
    await call(owner.get(`/api/v1/channels/${id}/reconnect-links`));
    await call(owner.delete(`/api/v1/channels/${id}/reconnect-links/${link.body.link.id}`));

    // An OAuth account: the code, the verifier and the tokens stay on the server; so do a link's.
    oauthnet.addAccount("roastery_social", "unused");
    const started = await call(owner.post("/api/v1/channels/authorizations", { network: "oauthnet", serviceUrl: "https://social.example.test" }));
    const back = new URL(oauthnet.approve(started.body.authorizeUrl, "roastery_social"));
    secrets.add(back.searchParams.get("code")!);
    const landed = await call(owner.get(back.pathname + back.search));
    const oauthChannel = new URL(landed.headers.get("location")!, "http://x").searchParams.get("connected")!;
    oauthnet.liveTokensOf("roastery_social").forEach((t) => secrets.add(t));
    const oauthLink = await call(owner.post(`/api/v1/channels/${oauthChannel}/reconnect-links`, {}));
    const oauthStart = await call(holder.post(`/api/v1/reconnect-links/${new URL(oauthLink.body.url).searchParams.get("token")}/authorize`, {}));
    expect(oauthStart.status, oauthStart.text).toBe(200);

    // The job refreshes the token (new secrets), then the channel is disconnected (revoked at the network).
    services.clock.advance(60_000);
    await unsafeCheckAllChannels({ ...services, clock: () => new Date(services.clock().getTime() + 86_400_000) });
    remember();
    expect(secrets.size).toBeGreaterThanOrEqual(7);
    await call(owner.get("/api/v1/channels"));
    const queued = await call(owner.put(`/api/v1/channels/${id}/queue`, { timeZone: "Europe/Berlin", slots: [{ weekday: 1, time: "09:00" }] }));
    expect(queued.status, queued.text).toBe(200);
    await call(owner.delete(`/api/v1/channels/${id}`));
    await call(owner.get("/api/v1/audit?limit=500"));
    const exported = await call(owner.get("/api/v1/audit/export.csv"));
    expect(exported.status).toBe(200);
    expect(exported.text).toContain("channel.connected");
    expect(exported.text).toContain("channel.refreshed");

    // Every channel route was called (a new one must be added here).
    const channelRoutes = app.routes.filter((r) => /^\/api\/v1\/(channels|networks|reconnect-links)/.test(r.path) && r.method !== "ALL").map((r) => `${r.method} ${r.path}`);
    expect([...new Set(channelRoutes)].sort()).toEqual([
      "DELETE /api/v1/channels/:channelId",
      "DELETE /api/v1/channels/:channelId/reconnect-links/:linkId",
      "GET /api/v1/channels",
      "GET /api/v1/channels/:channelId",
      "GET /api/v1/channels/:channelId/reconnect-links",
      "GET /api/v1/channels/oauth/callback",
      "GET /api/v1/networks",
      "GET /api/v1/reconnect-links/:token",
      "POST /api/v1/channels",
      "POST /api/v1/channels/:channelId/reconnect-links",
      "POST /api/v1/channels/:channelId/verify",
      "POST /api/v1/channels/authorizations",
      "POST /api/v1/reconnect-links/:token/authorize",
      "POST /api/v1/reconnect-links/:token/connect",
      "PUT /api/v1/channels/:channelId/queue",
    ]);

    expect(logLines.length).toBeGreaterThan(5);
    const everything = [...replies.map((r) => `${r.text}\n${JSON.stringify([...r.headers])}`), ...logLines];
    for (const secret of secrets) {
      expect(everything.filter((text) => text.includes(secret)), `a reply or log line contains ${secret}`).toEqual([]);
    }
    const [after] = await services.database.db.select().from(channels).where(eq(channels.id, id));
    expect(after.credentials).toBe("");
  });
});
