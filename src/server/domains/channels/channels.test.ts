import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { Role } from "../../../contracts/roles";
import { createApp } from "../../http/app";
import { describeEachDatabase } from "../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { buildWorkspace, signedInClient } from "../../../../test/support/factories";
import type { HttpClient } from "../../../../test/support/http";
import { auditSince, lastAuditSeq } from "../../../../test/support/audit";
import { createTestNetwork, type TestNetwork } from "../../../../test/support/test-connector";
import { channels } from "./channels.schema";
import { presentChannel, unsafeCheckAllChannels } from "./index";
import { seedSandboxNetwork } from "../../networks/sandbox/seed";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
type ChannelView = { id: string; handle: string; status: string; health: Record<string, unknown> };

describeEachDatabase("channels", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let people: Record<Role, { id: string; email: string }>;
  let admin: HttpClient;
  let member: HttpClient;
  let testnet: TestNetwork;
  let plainnet: TestNetwork;
  let accounts = 0;

  /** A fresh account on the test network, connected through the API as the admin. */
  const connectNew = async (network: TestNetwork = testnet) => {
    const handle = `brand${++accounts}`;
    network.addAccount(handle, "app-password-1", { displayName: `Brand ${accounts}` });
    const res = await admin.post("/api/v1/channels", { network: network.network, kind: "app_password", identifier: handle, password: "app-password-1" });
    expect(res.status, res.text).toBe(200);
    return res.body as ChannelView;
  };
  const listed = async (id: string) => ((await admin.get("/api/v1/channels")).body.channels as ChannelView[]).find((c) => c.id === id);
  const stored = async (id: string) => (await services.database.db.select().from(channels).where(eq(channels.id, id)))[0];

  beforeAll(async () => {
    services = await createTestServices(kind);
    testnet = createTestNetwork({ network: "testnet", clock: services.clock });
    plainnet = createTestNetwork({ network: "plainnet", clock: services.clock, refresh: false, revoke: false });
    services.networks.register(testnet);
    services.networks.register(plainnet);
    app = createApp(services);
    const built = await buildWorkspace(services);
    people = built.people;
    admin = await signedInClient(app, people.admin);
    member = await signedInClient(app, people.member);
  });
  afterAll(() => services.close());
  beforeEach(async () => {
    services.clock.set(new Date("2026-11-23T09:00:00Z"));
    admin = await signedInClient(app, people.admin); // earlier tests move the clock past session lifetimes
  });
  /** A channel as the API presents it, read without a session (the job tests move the clock by days). */
  const health = async (id: string) => presentChannel(await stored(id), services.clock(), "publish");

  it("lists the networks this server can connect, with how they connect and what they can do", async () => {
    const res = await member.get("/api/v1/networks");
    expect(res.status).toBe(200);
    type Info = { network: string; displayName: string; connectMethod: { kind: string }; capabilities: Record<string, boolean> };
    const networks = res.body.networks as Info[];
    // The networks every server ships with come first; the tests' peers are registered after them.
    expect(networks.map((n) => n.network)).toEqual(["sandbox", "mastodon", "bluesky", "testnet", "plainnet"]);
    const byId = Object.fromEntries(networks.map((n) => [n.network, n]));
    expect(byId.sandbox.connectMethod.kind).toBe("sandbox");
    expect(byId.mastodon.connectMethod).toMatchObject({ kind: "oauth2_pkce", serviceUrl: { required: true } });
    expect(byId.bluesky.connectMethod).toMatchObject({ kind: "app_password", serviceUrl: { required: false } });
    expect(byId.testnet).toMatchObject({ displayName: "Test network (testnet)", connectMethod: { kind: "app_password" }, capabilities: { refresh: true } });
    expect(byId.plainnet.capabilities.refresh).toBe(false);
  });

  it("connects, checks and disconnects a brand account of the Sandbox network, which every server has", async () => {
    await seedSandboxNetwork(services.database.db, services.clock());
    const res = await admin.post("/api/v1/channels", { network: "sandbox", kind: "sandbox", handle: "emberoak" });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ network: "sandbox", handle: "emberoak", displayName: "Ember & Oak Coffee", status: "active", health: { tokenValid: true } });
    const checked = await admin.post(`/api/v1/channels/${res.body.id}/verify`);
    expect(checked.body.outcome).toEqual({ ok: true });
    const gone = await admin.delete(`/api/v1/channels/${res.body.id}`);
    expect(gone.body.revokedAtNetwork).toBe("revoked");
  });

  it("an admin connects an account: the verified profile and health are shown, channel.connected is audited", async () => {
    const before = await lastAuditSeq(services);
    testnet.addAccount("roastery", "app-password-1", { displayName: "The Roastery" });
    const res = await admin.post("/api/v1/channels", { network: "testnet", kind: "app_password", identifier: "roastery", password: "app-password-1" });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      network: "testnet", handle: "roastery", displayName: "The Roastery", status: "active", connectedBy: people.admin.id,
      health: { tokenValid: true, expiresInSeconds: 2 * 24 * 3600, lastSuccessAt: "2026-11-23T09:00:00.000Z", lastError: null },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/accessToken|refreshToken|app-password-1/);
    expect(res.body.access).toEqual({ level: "publish", can: { read: true, draft: true, reply: true, publish: true } });
    const audit = await auditSince(services, before);
    expect(audit.map((r) => [r.action, r.targetType, r.targetId])).toEqual([["channel.connected", "channel", res.body.id]]);
    // A member sees it once they have a level on it (docs/access.md); until then it is hidden from them.
    expect((await member.get("/api/v1/channels")).body.channels.map((c: ChannelView) => c.handle)).not.toContain("roastery");
    await admin.put("/api/v1/channel-access", { changes: [{ channelId: res.body.id, userId: people.member.id, level: "read" }] });
    expect((await member.get("/api/v1/channels")).body.channels.map((c: ChannelView) => c.handle)).toContain("roastery");
  });

  it("refuses to connect the same account twice (channel_already_connected) and keeps one channel", async () => {
    const first = await connectNew();
    const again = await admin.post("/api/v1/channels", { network: "testnet", kind: "app_password", identifier: first.handle, password: "app-password-1" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("channel_already_connected");
    expect(((await admin.get("/api/v1/channels")).body.channels as ChannelView[]).filter((c) => c.handle === first.handle)).toHaveLength(1);
  });

  it("says why a connect failed: wrong password, unknown network, wrong method, network down", async () => {
    testnet.addAccount("guarded", "right-password");
    const wrong = await admin.post("/api/v1/channels", { network: "testnet", kind: "app_password", identifier: "guarded", password: "wrong" });
    expect([wrong.status, wrong.body.error.code]).toEqual([422, "channel_connect_refused"]);
    const unknown = await admin.post("/api/v1/channels", { network: "myspace", kind: "app_password", identifier: "guarded", password: "x" });
    expect([unknown.status, unknown.body.error.code]).toEqual([422, "network_unknown"]);
    const method = await admin.post("/api/v1/channels", { network: "testnet", kind: "sandbox", handle: "guarded" });
    expect([method.status, method.body.error.code]).toEqual([400, "invalid_input"]);
    testnet.failNext("connect", "transient");
    const down = await admin.post("/api/v1/channels", { network: "testnet", kind: "app_password", identifier: "guarded", password: "right-password" });
    expect([down.status, down.body.error.code]).toEqual([503, "network_unreachable"]);
    const empty = await admin.post("/api/v1/channels", { network: "testnet", kind: "app_password", identifier: "", password: "" });
    expect(empty.status).toBe(400);
    expect(Object.keys(empty.body.error.fields).sort()).toEqual(["identifier", "password"]);
  });

  it("lets members see channels but not connect, check or disconnect them", async () => {
    const channel = await connectNew();
    expect((await member.get("/api/v1/channels")).status).toBe(200);
    expect((await member.post("/api/v1/channels", { network: "testnet", kind: "app_password", identifier: "x", password: "y" })).status).toBe(403);
    expect((await member.post(`/api/v1/channels/${channel.id}/verify`)).status).toBe(403);
    expect((await member.delete(`/api/v1/channels/${channel.id}`)).status).toBe(403);
  });

  it("Check now renews access that ran out where the network can refresh, instead of asking for a reconnect", async () => {
    const channel = await connectNew();
    const refreshesBefore = testnet.calls.refresh;
    services.clock.advance(3 * DAY); // past the 2-day access; the refresh token still works
    admin = await signedInClient(app, people.admin);
    const checked = await admin.post(`/api/v1/channels/${channel.id}/verify`);
    expect(checked.body.outcome).toEqual({ ok: true });
    expect(checked.body.channel).toMatchObject({ status: "active", health: { tokenValid: true } });
    expect(testnet.calls.refresh).toBe(refreshesBefore + 1);
  });

  it("Check now records a success; expired access moves the channel to needs_reconnect with the reason, audited once", async () => {
    const channel = await connectNew();
    services.clock.advance(HOUR);
    const ok = await admin.post(`/api/v1/channels/${channel.id}/verify`);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.outcome).toEqual({ ok: true });
    expect(ok.body.channel.health.lastVerifiedAt).toBe("2026-11-23T10:00:00.000Z");

    testnet.expireTokensOf(channel.handle);
    const before = await lastAuditSeq(services);
    const expired = await admin.post(`/api/v1/channels/${channel.id}/verify`);
    expect(expired.body.outcome.ok).toBe(false);
    expect(expired.body.channel).toMatchObject({ status: "needs_reconnect", health: { tokenValid: false, lastError: "auth_expired: The token is not valid any more" } });
    await admin.post(`/api/v1/channels/${channel.id}/verify`);
    const audit = await auditSince(services, before);
    expect(audit.map((r) => r.action)).toEqual(["channel.marked_needs_reconnect"]);
    expect(audit[0].data).toMatchObject({ channelId: channel.id, reason: "auth_expired: The token is not valid any more" });
  });

  it("a transient failure keeps the status and records the last error; the next success keeps the error's time for the record", async () => {
    const channel = await connectNew();
    testnet.failNext("verify", "transient", "502 from the network");
    const failed = await admin.post(`/api/v1/channels/${channel.id}/verify`);
    expect(failed.body.channel).toMatchObject({ status: "active", health: { tokenValid: true, lastError: "transient: 502 from the network" } });
    const recovered = await admin.post(`/api/v1/channels/${channel.id}/verify`);
    expect(recovered.body.outcome.ok).toBe(true);
    expect(recovered.body.channel.status).toBe("active");
  });

  it("connecting an account that needs reconnecting gives it new credentials (channel.reconnected), the same channel", async () => {
    const channel = await connectNew();
    testnet.expireTokensOf(channel.handle);
    await admin.post(`/api/v1/channels/${channel.id}/verify`);
    const before = await lastAuditSeq(services);
    const res = await admin.post("/api/v1/channels", { network: "testnet", kind: "app_password", identifier: channel.handle, password: "app-password-1" });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ id: channel.id, status: "active", health: { tokenValid: true, lastError: null } });
    expect((await auditSince(services, before)).map((r) => r.action)).toEqual(["channel.reconnected"]);
    expect((await admin.post(`/api/v1/channels/${channel.id}/verify`)).body.outcome.ok).toBe(true);
  });

  it("a renamed account shows its new handle after a check, and the change is audited", async () => {
    const channel = await connectNew();
    testnet.renameAccount(channel.handle, `${channel.handle}_new`);
    const before = await lastAuditSeq(services);
    const res = await admin.post(`/api/v1/channels/${channel.id}/verify`);
    expect(res.body.channel.handle).toBe(`${channel.handle}_new`);
    const audit = await auditSince(services, before);
    expect(audit.map((r) => [r.action, r.data])).toEqual([["channel.verified", { channelId: channel.id, statusBefore: "active", handleBefore: channel.handle, handle: `${channel.handle}_new` }]]);
  });

  it("disconnect revokes the token at the network, wipes the credentials and drops the channel from the list", async () => {
    const channel = await connectNew();
    expect(testnet.liveTokensOf(channel.handle).length).toBeGreaterThan(0);
    const before = await lastAuditSeq(services);
    const res = await admin.delete(`/api/v1/channels/${channel.id}`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ revokedAtNetwork: "revoked", channel: { status: "disconnected", health: { tokenValid: false } } });
    expect(testnet.liveTokensOf(channel.handle)).toEqual([]);
    expect((await stored(channel.id)).credentials).toBe("");
    expect(await listed(channel.id)).toBeUndefined();
    const audit = await auditSince(services, before);
    expect(audit.map((r) => [r.action, r.data])).toEqual([["channel.disconnected", { channelId: channel.id, network: "testnet", handle: channel.handle, revokedAtNetwork: "revoked" }]]);
    // Gone is gone: no second disconnect, no check; the account can be connected again as a new channel.
    expect((await admin.delete(`/api/v1/channels/${channel.id}`)).body.error.code).toBe("channel_disconnected");
    expect((await admin.post(`/api/v1/channels/${channel.id}/verify`)).body.error.code).toBe("channel_disconnected");
    const again = await admin.post("/api/v1/channels", { network: "testnet", kind: "app_password", identifier: channel.handle, password: "app-password-1" });
    expect(again.status).toBe(200);
    expect(again.body.id).not.toBe(channel.id);
  });

  it("disconnects even when the network refuses the revoke, and says so; a network without revoke says not_supported", async () => {
    const channel = await connectNew();
    testnet.failNext("revoke", "transient");
    const res = await admin.delete(`/api/v1/channels/${channel.id}`);
    expect(res.body).toMatchObject({ revokedAtNetwork: "failed", channel: { status: "disconnected" } });
    const plain = await connectNew(plainnet);
    expect((await admin.delete(`/api/v1/channels/${plain.id}`)).body.revokedAtNetwork).toBe("not_supported");
  });

  it("does not show or touch another workspace's channels", async () => {
    const channel = await connectNew();
    const other = await buildWorkspace(services);
    const stranger = await signedInClient(app, other.people.owner);
    expect((await stranger.get("/api/v1/channels")).body.channels).toEqual([]);
    expect((await stranger.post(`/api/v1/channels/${channel.id}/verify`)).status).toBe(404);
    expect((await stranger.delete(`/api/v1/channels/${channel.id}`)).status).toBe(404);
  });

  it("the check job refreshes credentials that expire within 3 days and verifies the others daily", async () => {
    // Its own network, so that earlier tests' channels do not count.
    const jobnet = createTestNetwork({ network: "jobnet", clock: services.clock, tokenLifetimeMs: 5 * DAY });
    services.networks.register(jobnet);
    const channel = await connectNew(jobnet);
    const plain = await connectNew(plainnet);
    const firstToken = jobnet.liveTokensOf(channel.handle);

    // 1 hour later: nothing is due (verified at connect, expiry 5 days away).
    services.clock.advance(HOUR);
    await unsafeCheckAllChannels(services);
    expect(jobnet.calls.refresh + jobnet.calls.verify).toBe(0);

    // A day later both are verified again; 3 days before expiry the refreshing network gets new credentials.
    services.clock.advance(DAY);
    await unsafeCheckAllChannels(services);
    expect(jobnet.calls.verify).toBe(1);
    expect((await health(plain.id)).health.lastVerifiedAt).toBe(services.clock().toISOString());
    services.clock.advance(DAY);
    const before = await lastAuditSeq(services);
    await unsafeCheckAllChannels(services);
    expect(jobnet.calls.refresh).toBe(1);
    expect(jobnet.liveTokensOf(channel.handle)).not.toEqual(firstToken);
    const refreshed = await health(channel.id);
    expect(refreshed.health).toMatchObject({ tokenValid: true, expiresAt: new Date(services.clock().getTime() + 5 * DAY).toISOString() });
    expect((await auditSince(services, before, { action: "channel.refreshed" })).filter((r) => r.targetId === channel.id)).toHaveLength(1);

    // The network has forgotten the account: the refresh fails with auth_expired, the channel needs a reconnect.
    jobnet.expireTokensOf(channel.handle);
    services.clock.advance(3 * DAY);
    await unsafeCheckAllChannels(services);
    expect(await health(channel.id)).toMatchObject({ status: "needs_reconnect", health: { tokenValid: false } });
    // Channels that need a person are not retried by the job.
    const calls = jobnet.calls.refresh + jobnet.calls.verify;
    services.clock.advance(DAY);
    await unsafeCheckAllChannels(services);
    expect(jobnet.calls.refresh + jobnet.calls.verify).toBe(calls);
  });

  it("a channel whose network is no longer on this server is skipped by the job and can still be disconnected", async () => {
    const gone = createTestNetwork({ network: "gonenet", clock: services.clock });
    services.networks.register(gone);
    const channel = await connectNew(gone);
    // The registry has no unregister: a second services object stands for the server restarted without it.
    const { createNetworkRegistry } = await import("../../networks/registry");
    const without = { ...services, networks: createNetworkRegistry([testnet]) };
    services.clock.advance(2 * DAY);
    const summary = await unsafeCheckAllChannels(without);
    expect(summary.skipped).toBeGreaterThan(0);
    const appWithout = createApp(without);
    const client = await signedInClient(appWithout, people.admin);
    const res = await client.delete(`/api/v1/channels/${channel.id}`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.revokedAtNetwork).toBe("not_supported");
  });
});
