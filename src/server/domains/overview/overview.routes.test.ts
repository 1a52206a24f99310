import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApp } from "../../http/app";
import { seedSandboxNetwork } from "../../networks/sandbox/seed";
import { impostorAccounts, listeningAlerts, listeningSources } from "../listening/listening.schema";
import { posts, postTargets } from "../publishing/publishing.schema";
import { describeEachDatabase } from "../../../../test/support/databases";
import { insertAlert, insertPlan } from "../../../../test/support/crisis-fixtures";
import type { buildWorkspace } from "../../../../test/support/factories";
import { httpClient, type HttpClient } from "../../../../test/support/http";
import { routeTestWorkspace } from "../../../../test/support/route-fixtures";
import type { TestServices } from "../../../../test/support/services";
import { createTestNetwork } from "../../../../test/support/test-connector";

const NOW = new Date("2026-11-23T09:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

describeEachDatabase("risk overview (GET /api/v1/overview)", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let ws: Awaited<ReturnType<typeof buildWorkspace>>;
  let owner: HttpClient;
  let admin: HttpClient;
  let manager: HttpClient;
  let member: HttpClient;
  let outsider: HttpClient;
  let crisisId: string;
  let pauseId: string;
  let tokenId: string;

  beforeAll(async () => {
    ({ services, app, ws, as: { owner, admin, manager, member, outsider } } = await routeTestWorkspace(kind, ["owner", "admin", "manager", "member", "outsider"], { now: NOW }));
    const testnet = createTestNetwork({ network: "testnet", clock: services.clock });
    services.networks.register(testnet);
    const workspaceId = ws.workspace.id;

    // Channels: a Sandbox one; a testnet one whose access the network stops accepting (Reconnect); a fresh testnet
    // one whose access runs out in two days (within the 14 days looked ahead).
    await seedSandboxNetwork(services.database.db, services.clock());
    const sandbox = (await admin.post("/api/v1/channels", { network: "sandbox", kind: "sandbox", handle: "emberoak" })).body.id as string;
    testnet.addAccount("refused", "pw");
    testnet.addAccount("fresh", "pw");
    const refused = (await admin.post("/api/v1/channels", { network: "testnet", kind: "app_password", identifier: "refused", password: "pw" })).body;
    const fresh = (await admin.post("/api/v1/channels", { network: "testnet", kind: "app_password", identifier: "fresh", password: "pw" })).body.id as string;
    testnet.expireTokensOf(refused.handle);
    expect((await admin.post(`/api/v1/channels/${refused.id}/verify`)).body.channel.status).toBe("needs_reconnect");

    // Publishing: the intern's post waits for approval (it goes out in 2 hours); the manager's post goes out in 3 hours;
    // a post of yesterday failed on its channel.
    expect((await admin.put("/api/v1/channel-access", { changes: [{ channelId: sandbox, userId: ws.people.member.id, level: "approval_required" }, { channelId: sandbox, userId: ws.people.manager.id, level: "publish" }] })).status).toBe(200);
    const waiting = await member.post("/api/v1/posts", { text: "New Hearth blend, out today", channels: [{ channelId: sandbox }], scheduledAt: at(2 * HOUR) });
    expect(waiting.body.state, waiting.text).toBe("in_review");
    const scheduled = await manager.post("/api/v1/posts", { text: "Roastery open day on Saturday", channels: [{ channelId: sandbox }], scheduledAt: at(3 * HOUR) });
    expect(scheduled.body.state, scheduled.text).toBe("scheduled");
    const failed = await manager.post("/api/v1/posts", { text: "Yesterday's news", channels: [{ channelId: sandbox }], scheduledAt: at(4 * HOUR) });
    // Its delivery failed yesterday: written as the publisher leaves a failed delivery (the network refused it).
    await services.database.db.update(posts).set({ scheduledAt: new Date(NOW.getTime() - DAY) }).where(eq(posts.id, failed.body.id));
    await services.database.db.update(postTargets).set({ status: "failed", failureKind: "rejected", failureMessage: "Text too long" }).where(eq(postTargets.postId, failed.body.id));
    // The testnet channel is paused: the admin's post on it is held (it would have gone out in 5 hours).
    expect((await admin.post("/api/v1/posts", { text: "Behind the scenes at the roastery", channels: [{ channelId: fresh }], scheduledAt: at(5 * HOUR) })).body.state).toBe("scheduled");
    // A post of two days ago that was still in review at its time: expired, not published.
    const missed = await member.post("/api/v1/posts", { text: "Weekend offer", channels: [{ channelId: sandbox }], scheduledAt: at(6 * HOUR) });
    await services.database.db.update(posts).set({ state: "expired", scheduledAt: new Date(NOW.getTime() - 2 * DAY) }).where(eq(posts.id, missed.body.id));
    const pause = await admin.post("/api/v1/publishing/pauses", { reason: "Checking the recall statement", channelIds: [fresh] });
    expect([pause.status, pause.body.held], pause.text).toEqual([200, 1]);
    pauseId = pause.body.pause.id;

    // Listening: two open alerts (a spike, an impostor) and a resolved keyword alert; one suspect account not looked at.
    await insertAlert(services, workspaceId, { kind: "spike", raisedAt: new Date(NOW.getTime() - HOUR) });
    await insertAlert(services, workspaceId, { kind: "impostor", raisedAt: new Date(NOW.getTime() - 2 * HOUR), title: "Impostor @emberoаk" });
    const resolved = await insertAlert(services, workspaceId, { kind: "keyword", raisedAt: new Date(NOW.getTime() - 3 * HOUR), title: "“recall” mentioned" });
    await services.database.db.update(listeningAlerts).set({ status: "resolved" }).where(eq(listeningAlerts.id, resolved.id));
    await services.database.db.insert(impostorAccounts).values({ workspaceId, network: "sandbox", handle: "@emberoаk", score: 0.9, evidence: { reasons: [], imitates: { handle: "@emberoak", displayName: "Emberoak", network: "sandbox" } } });

    // Sources: a feed that fails, a live stream that reads two minutes behind, one that keeps up.
    await services.database.db.insert(listeningSources).values([
      { workspaceId, kind: "feed", name: "Coffee news", url: "https://news.example/feed.xml", state: "failing", lastError: "feed_unreachable" },
      { workspaceId, kind: "network_stream", name: "Live", channelId: sandbox, state: "running", lastItemAt: new Date(NOW.getTime() - 3 * 60_000), lastHandledAt: new Date(NOW.getTime() - 60_000) },
      { workspaceId, kind: "feed", name: "Blog", url: "https://blog.example/feed.xml", state: "running" },
    ]);

    // Crisis: an active crisis and a plan that is not ready (no roles, never drilled).
    await insertPlan(services, workspaceId, "product_recall");
    const crisis = await manager.post("/api/v1/crisis/crises", { title: "Batch 42 recall", originKind: "manual", severityLevel: 3 });
    expect(crisis.status, crisis.text).toBe(200);
    crisisId = crisis.body.id;

    // People: the intern is an agency partner until 10 days from now; the owner's token expires in a week.
    expect((await admin.put(`/api/v1/workspace/members/${ws.people.member.id}/partner`, { organization: "Brightside Agency", endsAt: at(10 * DAY) })).status).toBe(200);
    const token = await owner.post("/api/v1/me/api-tokens", { name: "Reporting export", scopes: ["workspace:read"], expiresInDays: 7 });
    expect(token.status, token.text).toBe(200);
    tokenId = token.body.apiToken.id;
  });
  afterAll(() => services.close());

  it("gives the owner every section with the figures of what needs attention", async () => {
    const res = await owner.get("/api/v1/overview");
    expect(res.status, res.text).toBe(200);
    const o = res.body;
    expect(o.generatedAt).toBe(NOW.toISOString());
    expect(o.windows).toEqual({ recentDays: 7, scheduledHours: 24, expiringDays: 14 });
    expect(o.publishing).toMatchObject({
      pauses: [{ id: pauseId, reason: "Checking the recall statement", pausedByName: "Admin", pausedVia: null, pausedAt: NOW.toISOString(), channelCount: 1 }],
      held: 1,
      failedRecently: 1,
      expiredRecently: 1,
      scheduledSoon: 1,
      nextScheduledAt: at(3 * HOUR),
    });
    // No workflow on the channel: anyone with Full publishing may approve the intern's post — the owner too.
    expect(o.approvals).toEqual({ waitingForMe: 1, dueSoon: 1, nextDeadline: at(2 * HOUR) });
    expect(o.listening).toEqual({ openAlerts: 2, openByKind: { spike: 1, negative_turn: 0, keyword: 0, impostor: 1 }, impostorsToReview: 1, sources: 3, sourcesFailing: 1, sourcesBehind: 1 });
    expect(o.crisis).toMatchObject({ open: [{ id: crisisId, title: "Batch 42 recall", status: "active", severityLevel: 3, isDrill: false }], drillsRunning: [], plans: 1, plansNotReady: 1, lastDrilledAt: null, drillDueDays: 180 });
    expect(o.channels).toEqual({ total: 3, needsReconnect: 1, credentialsExpiring: 1 });
    expect(o.people).toEqual({ members: 4, withoutMfa: 4, partnersEnding: [{ userId: ws.people.member.id, name: "Member", organization: "Brightside Agency", accessEndsAt: at(10 * DAY) }] });
    expect(o.accessReview).toEqual({ quarter: "2026-Q4", signedOff: false, dueBy: "2027-01-01T00:00:00.000Z" });
    expect(o.apiTokens).toEqual({ expiringSoon: [{ id: tokenId, name: "Reporting export", expiresAt: at(7 * DAY) }] });
  });

  it("shows each person what their role lets them read: a member gets no access review and only their own approvals", async () => {
    const res = await member.get("/api/v1/overview");
    expect(res.status, res.text).toBe(200);
    expect(res.body.accessReview).toBeNull();
    // The intern wrote the post in review: it waits for others, not for them.
    expect(res.body.approvals).toEqual({ waitingForMe: 0, dueSoon: 0, nextDeadline: null });
    // They read the Sandbox channel only (their grant), so the testnet channels' troubles are not theirs to see.
    expect(res.body.channels).toEqual({ total: 1, needsReconnect: 0, credentialsExpiring: 0 });
    expect(res.body.listening.openAlerts).toBe(2);
    expect(res.body.crisis.open).toHaveLength(1);
    expect(res.body.apiTokens).toEqual({ expiringSoon: [] });
  });

  it("leaves out the sections an API token's scopes do not cover, without an error", async () => {
    const readOnly = await owner.post("/api/v1/me/api-tokens", { name: "Home only", scopes: ["workspace:read"], expiresInDays: 30 });
    const onlyWorkspace = await httpClient(app, { bearer: readOnly.body.token }).get("/api/v1/overview");
    expect(onlyWorkspace.status, onlyWorkspace.text).toBe(200);
    expect(onlyWorkspace.body).toMatchObject({ publishing: null, approvals: null, listening: null, crisis: null, channels: null, people: null, accessReview: null, apiTokens: null });

    const withPosts = await owner.post("/api/v1/me/api-tokens", { name: "Posts", scopes: ["workspace:read", "posts:read", "crisis:read"], expiresInDays: 30 });
    const some = await httpClient(app, { bearer: withPosts.body.token }).get("/api/v1/overview");
    expect(some.status, some.text).toBe(200);
    expect(some.body.listening).toBeNull();
    expect(some.body.people).toBeNull();
    expect(some.body.publishing.failedRecently).toBe(1);
    expect(some.body.crisis.open[0].id).toBe(crisisId);

    const noWorkspace = await owner.post("/api/v1/me/api-tokens", { name: "Listening", scopes: ["listening:read"], expiresInDays: 30 });
    const refused = await httpClient(app, { bearer: noWorkspace.body.token }).get("/api/v1/overview");
    expect([refused.status, refused.body.error?.code]).toEqual([403, "forbidden"]);
  });

  it("shows another workspace none of this, and a calm workspace nothing to act on", async () => {
    const res = await outsider.get("/api/v1/overview");
    expect(res.status, res.text).toBe(200);
    expect(res.body.publishing).toEqual({ pauses: [], held: 0, failedRecently: 0, expiredRecently: 0, scheduledSoon: 0, nextScheduledAt: null });
    expect(res.body.approvals).toEqual({ waitingForMe: 0, dueSoon: 0, nextDeadline: null });
    expect(res.body.listening).toEqual({ openAlerts: 0, openByKind: { spike: 0, negative_turn: 0, keyword: 0, impostor: 0 }, impostorsToReview: 0, sources: 0, sourcesFailing: 0, sourcesBehind: 0 });
    expect(res.body.crisis).toMatchObject({ open: [], drillsRunning: [], plans: 0, plansNotReady: 0 });
    expect(res.body.channels).toEqual({ total: 0, needsReconnect: 0, credentialsExpiring: 0 });
    expect(res.body.apiTokens).toEqual({ expiringSoon: [] });
  });

  it("refuses anonymous callers", async () => {
    expect((await httpClient(app).get("/api/v1/overview")).status).toBe(401);
  });
});
