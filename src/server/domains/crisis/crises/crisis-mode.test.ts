import { readFileSync } from "node:fs";
import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Role } from "../../../../contracts/roles";
import { inTransaction, unsafeSystemCtx } from "../../../context";
import { createApp } from "../../../http/app";
import { mailOutbox } from "../../../mail/mail.schema";
import { seedSandboxNetwork } from "../../../networks/sandbox/seed";
import { channels } from "../../channels/channels.schema";
import { postTargets, publishingPauses } from "../../publishing/publishing.schema";
import { describeEachDatabase } from "../../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../../test/support/services";
import { buildWorkspace, signedInClient } from "../../../../../test/support/factories";
import { httpClient, type HttpClient } from "../../../../../test/support/http";
import { actionsSince, auditSince, lastAuditSeq } from "../../../../../test/support/audit";
import { createTestNetwork, type TestNetwork } from "../../../../../test/support/test-connector";
import { crisisEvents } from "../crisis.schema";
import { declareCrisis } from "./index";

describeEachDatabase("crisis mode", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let net: TestNetwork;
  let workspaceId: string;
  let people: Record<Role, { id: string; email: string }>;
  let admin: HttpClient;
  let manager: HttpClient;
  let member: HttpClient;
  let sandboxId: string;
  let realId: string;

  beforeAll(async () => {
    services = await createTestServices(kind, { LOGIN_RATE_PER_MINUTE: "1000" });
    net = createTestNetwork({ network: "testnet", clock: services.clock, revoke: true });
    services.networks.register(net);
    app = createApp(services);
    const built = await buildWorkspace(services);
    workspaceId = built.workspace.id;
    people = built.people;
    admin = await signedInClient(app, people.admin);
    manager = await signedInClient(app, people.manager);
    member = await signedInClient(app, people.member);
    await seedSandboxNetwork(services.database.db, services.clock());
    sandboxId = (await admin.post("/api/v1/channels", { network: "sandbox", kind: "sandbox", handle: "emberoak" })).body.id;
    net.addAccount("emberoak-real", "pw");
    const real = await admin.post("/api/v1/channels", { network: "testnet", kind: "app_password", identifier: "emberoak-real", password: "pw" });
    expect(real.status, real.text).toBe(200);
    realId = real.body.id;
    // The manager and the member both publish on both channels; only who is on the crisis team differs.
    const grants = await admin.put("/api/v1/channel-access", {
      changes: [sandboxId, realId].flatMap((channelId) => [
        { channelId, userId: people.manager.id, level: "publish" },
        { channelId, userId: people.member.id, level: "publish" },
      ]),
    });
    expect(grants.status, grants.text).toBe(200);
  });
  afterAll(() => services.close());

  const inMinutes = (minutes: number) => new Date(services.clock().getTime() + minutes * 60_000).toISOString();
  const schedule = async (client: HttpClient, text: string, channelId: string, minutes: number, extra: Record<string, unknown> = {}) => {
    const res = await client.post("/api/v1/posts", { text, channels: [{ channelId }], scheduledAt: inMinutes(minutes), ...extra });
    expect(res.status, res.text).toBe(200);
    return res.body as { id: string; state: string; targets: Array<{ id: string; status: string }> };
  };
  const targetOf = async (postId: string) => (await services.database.db.select().from(postTargets).where(eq(postTargets.postId, postId)))[0];
  const declare = async (body: Record<string, unknown> = {}) => {
    const res = await manager.post("/api/v1/crisis/crises", { title: "Exploding cans", originKind: "manual", severityLevel: 3, ...body });
    expect(res.status, res.text).toBe(200);
    return res.body as { id: string; number: number; version: number };
  };
  const tokenOf = async (client: HttpClient) => {
    const res = await client.post("/api/v1/me/api-tokens", { name: "automation", scopes: ["crisis:read"], expiresInDays: 30 });
    expect(res.status, res.text).toBe(200);
    return { token: res.body.token as string, id: res.body.apiToken.id as string, api: httpClient(app, { bearer: res.body.token }) };
  };
  const timeline = async (crisisId: string) =>
    services.database.db.select().from(crisisEvents).where(eq(crisisEvents.crisisId, crisisId)).orderBy(asc(crisisEvents.occurredAt));

  it("pause and lock down: every held post recorded, only the team publishes, each held post decided one by one, then it closes", async () => {
    const a = await schedule(manager, "Summer menu is here", sandboxId, 60);
    const b = await schedule(manager, "Cold brew giveaway", sandboxId, 90);
    const c = await schedule(manager, "Can of the week", sandboxId, 120);
    const d = await schedule(manager, "Meet the roasters", realId, 150);
    const crisis = await declare();
    const before = await lastAuditSeq(services);
    const started = await manager.post(`/api/v1/crisis/crises/${crisis.id}/mode`, { reason: "Exploding cans video going viral", pause: "all", lockdown: true, notify: true });
    expect(started.status, started.text).toBe(200);
    expect(started.body.mode).toMatchObject({ pause: true, lockdown: true, pauseChannelIds: null, reason: "Exploding cans video going viral", automaticSeverity: null });
    expect(started.body.heldPosts).toEqual({ total: 4, pending: 4 });
    expect((await actionsSince(services, before)).sort()).toEqual(["crisis.mode_started", "publishing.paused"]);
    for (const post of [a, b, c, d]) expect(await targetOf(post.id)).toMatchObject({ status: "held", heldReason: "paused" });
    // The crisis team (here: the manager who declared) hears of it by email.
    const mails = await services.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, people.manager.email));
    expect(mails.some((m) => m.subject.includes(`CR-${crisis.number}`) && m.text.includes("Exploding cans video going viral"))).toBe(true);
    expect((await timeline(crisis.id)).map((e) => e.type)).toEqual(["declared", "crisis_mode_on", "posts_held", "stakeholders_notified"]);
    const held = await member.get(`/api/v1/crisis/crises/${crisis.id}/held-posts`);
    expect(held.body.heldPosts.map((h: { postId: string; decision: string; previousDueAt: string }) => [h.postId, h.decision, h.previousDueAt])).toEqual([
      [a.id, "pending", inMinutes(60)],
      [b.id, "pending", inMinutes(90)],
      [c.id, "pending", inMinutes(120)],
      [d.id, "pending", inMinutes(150)],
    ]);
    // The pause banner (and Home) get who paused as facts to word in the reader's language; the label stays English.
    const status = await member.get("/api/v1/publishing/status");
    expect(status.body.pauses).toEqual([
      expect.objectContaining({
        reason: "Exploding cans video going viral",
        pausedByName: `crisis CR-${crisis.number} (Manager)`,
        pausedVia: { kind: "crisis", crisisId: crisis.id, crisisRef: `CR-${crisis.number}`, personName: "Manager" },
      }),
    ]);
    const overview = await manager.get("/api/v1/overview");
    expect(overview.body.publishing.pauses).toEqual([expect.objectContaining({ pausedVia: { kind: "crisis", crisisId: crisis.id, crisisRef: `CR-${crisis.number}`, personName: "Manager" } })]);
    // Everyone sees the banner: who declared what and why, crisis mode on.
    const banner = await member.get("/api/v1/crisis/banner");
    expect(banner.body.crises).toEqual([expect.objectContaining({ id: crisis.id, declaredByName: "Manager", reason: "Exploding cans video going viral", mode: { pause: true, lockdown: true } })]);

    // While the pause holds them, resuming is refused.
    const early = await manager.post(`/api/v1/crisis/crises/${crisis.id}/held-posts/${(await targetOf(a.id)).id}`, { decision: "resume" });
    expect([early.status, early.body.error.code]).toEqual([409, "crisis_held_post_still_paused"]);
    // Pause off, lock down stays: the member (Full publishing, not on the team) goes to review; the team member publishes.
    const switched = await manager.patch(`/api/v1/crisis/crises/${crisis.id}/mode`, { pause: "none" });
    expect(switched.status, switched.text).toBe(200);
    expect(switched.body.mode).toMatchObject({ pause: false, lockdown: true });
    expect(await targetOf(a.id)).toMatchObject({ status: "held" }); // still waiting for a decision
    const byMember = await schedule(member, "Our side of the story", sandboxId, 30);
    expect(byMember.state).toBe("in_review");
    const byTeam = await schedule(manager, "We are looking into it", sandboxId, 30);
    expect(byTeam.state).toBe("scheduled");
    const release = await member.post("/api/v1/posts/held/release", { decisions: [{ targetId: (await targetOf(c.id)).id, action: "publish_now" }] });
    expect([release.status, release.body.error.code]).toEqual([403, "crisis_lockdown"]);
    const notTeam = await member.post(`/api/v1/crisis/crises/${crisis.id}/held-posts/${(await targetOf(c.id)).id}`, { decision: "discard" });
    expect([notTeam.status, notTeam.body.error.code]).toEqual([403, "crisis_team_only"]);

    // Closing: crisis mode first, then every held post.
    const current = (await manager.get(`/api/v1/crisis/crises/${crisis.id}`)).body;
    const modeOn = await manager.post(`/api/v1/crisis/crises/${crisis.id}/transition`, { to: "closed", version: current.version, resolution: "Faulty batch recalled" });
    expect([modeOn.status, modeOn.body.error.code]).toEqual([409, "crisis_mode_still_on"]);
    const undecided = await manager.post(`/api/v1/crisis/crises/${crisis.id}/transition`, { to: "closed", version: current.version, resolution: "Faulty batch recalled", keepCrisisMode: true });
    expect([undecided.status, undecided.body.error.code]).toEqual([409, "crisis_held_posts_undecided"]);

    const decide = (postId: string, body: Record<string, unknown>) => targetOf(postId).then((t) => manager.post(`/api/v1/crisis/crises/${crisis.id}/held-posts/${t.id}`, body));
    const resumed = await decide(a.id, { decision: "resume" });
    expect(resumed.status, resumed.text).toBe(200);
    expect(await targetOf(a.id)).toMatchObject({ status: "scheduled", dueAt: new Date(inMinutes(60)) });
    const rescheduled = await decide(b.id, { decision: "reschedule", at: inMinutes(24 * 60) });
    expect(rescheduled.body).toMatchObject({ decision: "reschedule", at: inMinutes(24 * 60) });
    expect(await targetOf(b.id)).toMatchObject({ status: "scheduled", dueAt: new Date(inMinutes(24 * 60)) });
    expect((await decide(c.id, { decision: "edit" })).status).toBe(200);
    expect(await targetOf(c.id)).toMatchObject({ status: "held" }); // its author changes it, then releases it
    expect((await decide(d.id, { decision: "discard" })).status).toBe(200);
    expect(await targetOf(d.id)).toMatchObject({ status: "cancelled" });
    const twice = await decide(d.id, { decision: "resume" });
    expect([twice.status, twice.body.error.code]).toEqual([409, "crisis_held_post_decided"]);
    expect((await manager.get(`/api/v1/crisis/crises/${crisis.id}`)).body.heldPosts).toEqual({ total: 4, pending: 0 });

    const ended = await manager.post(`/api/v1/crisis/crises/${crisis.id}/mode/end`);
    expect(ended.status, ended.text).toBe(200);
    expect(ended.body.mode).toBeNull();
    expect((await schedule(member, "Back to normal", sandboxId, 30)).state).toBe("scheduled"); // lock down is over
    const closed = await manager.post(`/api/v1/crisis/crises/${crisis.id}/transition`, { to: "closed", version: ended.body.version, resolution: "Faulty batch recalled" });
    expect(closed.status, closed.text).toBe(200);
    const decided = (await timeline(crisis.id)).filter((e) => e.type === "held_post_decided").map((e) => (e.data as { decision: string }).decision);
    expect(decided).toEqual(["resume", "reschedule", "edit", "discard"]);
    expect((await member.get("/api/v1/crisis/banner")).body.crises).toEqual([]);
  });

  it("closing may keep crisis mode on when confirmed; the banner still shows it until it ends", async () => {
    const crisis = await declare();
    const started = await manager.post(`/api/v1/crisis/crises/${crisis.id}/mode`, { reason: "Keep replies with the team", pause: "none", lockdown: true, notify: false });
    expect(started.status, started.text).toBe(200);
    const closed = await manager.post(`/api/v1/crisis/crises/${crisis.id}/transition`, { to: "closed", version: started.body.version, resolution: "Calm again", keepCrisisMode: true });
    expect(closed.status, closed.text).toBe(200);
    expect(closed.body.mode).toMatchObject({ lockdown: true, keptOnClose: true, endedAt: null });
    expect((await member.get("/api/v1/crisis/banner")).body.crises).toEqual([expect.objectContaining({ id: crisis.id, status: "closed", mode: { pause: false, lockdown: true } })]);
    expect((await schedule(member, "Still locked", sandboxId, 30)).state).toBe("in_review");
    expect((await manager.post(`/api/v1/crisis/crises/${crisis.id}/mode/end`)).status).toBe(200);
    expect((await member.get("/api/v1/crisis/banner")).body.crises).toEqual([]);
  });

  it("refuses crisis mode in triage, twice, and without a reason; a member may not start it", async () => {
    const quiet = await declare({ triage: true });
    const body = { reason: "x", pause: "none", lockdown: true, notify: false };
    const inTriage = await manager.post(`/api/v1/crisis/crises/${quiet.id}/mode`, body);
    expect([inTriage.status, inTriage.body.error.code]).toEqual([409, "crisis_mode_needs_active"]);
    const crisis = await declare();
    expect((await member.post(`/api/v1/crisis/crises/${crisis.id}/mode`, body)).status).toBe(403);
    const noReason = await manager.post(`/api/v1/crisis/crises/${crisis.id}/mode`, { ...body, reason: " " });
    expect([noReason.status, noReason.body.error.code]).toEqual([400, "invalid_input"]);
    expect((await manager.post(`/api/v1/crisis/crises/${crisis.id}/mode`, body)).status).toBe(200);
    const again = await manager.post(`/api/v1/crisis/crises/${crisis.id}/mode`, body);
    expect([again.status, again.body.error.code]).toEqual([409, "crisis_mode_already_on"]);
    const offTwice = await manager.post(`/api/v1/crisis/crises/${quiet.id}/mode/end`);
    expect([offTwice.status, offTwice.body.error.code]).toEqual([409, "crisis_mode_off"]);
    await manager.post(`/api/v1/crisis/crises/${crisis.id}/mode/end`);
  });

  it("secure: an admin ends chosen people's sessions, revokes their API tokens and disconnects a channel with its credentials revoked; a manager may not", async () => {
    net.addAccount("emberoak-support", "pw");
    const support = (await admin.post("/api/v1/channels", { network: "testnet", kind: "app_password", identifier: "emberoak-support", password: "pw" })).body.id as string;
    const crisis = await declare({ title: "Account takeover", scenario: "hacked_account" });
    const body = { reason: "Someone posted from our support account", pause: "none", lockdown: false, notify: false, secure: { userIds: [people.member.id], channelIds: [support] } };
    const byManager = await manager.post(`/api/v1/crisis/crises/${crisis.id}/mode`, body);
    expect([byManager.status, byManager.body.error.code]).toEqual([403, "forbidden"]);
    expect((await member.get("/api/v1/me")).status).toBe(200);
    const token = await tokenOf(member);
    const othersToken = await tokenOf(manager); // not chosen: keeps working
    expect((await token.api.get("/api/v1/crisis/crises")).status).toBe(200);
    const revokesBefore = net.calls.revoke;
    const before = await lastAuditSeq(services);
    const secured = await admin.post(`/api/v1/crisis/crises/${crisis.id}/mode`, body);
    expect(secured.status, secured.text).toBe(200);
    expect(secured.body.mode.secured).toMatchObject({ sessionsEndedFor: [people.member.id], channels: [{ channelId: support, revokedAtNetwork: "revoked" }] });
    expect(secured.body.mode.secured.sessionsEnded).toBeGreaterThanOrEqual(1);
    expect(secured.body.mode.secured.tokensRevoked).toBe(1);
    expect((await member.get("/api/v1/me")).status).toBe(401); // signed out: must sign in again
    const revoked = await token.api.get("/api/v1/crisis/crises"); // and a token kept elsewhere no longer works
    expect([revoked.status, revoked.body.error.code]).toEqual([401, "unauthenticated"]);
    expect((await othersToken.api.get("/api/v1/crisis/crises")).status).toBe(200);
    expect(net.calls.revoke).toBe(revokesBefore + 1);
    expect((await services.database.db.select().from(channels).where(eq(channels.id, support)))[0].status).toBe("disconnected");
    expect((await timeline(crisis.id)).filter((e) => e.type === "security_action").map((e) => e.data)).toEqual([
      expect.objectContaining({ action: "sessions_ended", userId: people.member.id, tokens: 1 }),
      expect.objectContaining({ action: "channel_disconnected", channelId: support }),
    ]);
    const audit = await auditSince(services, before);
    expect(audit.map((r) => r.action)).toEqual(expect.arrayContaining(["crisis.secured", "channel.disconnected", "crisis.mode_started", "api_token.revoked"]));
    expect(audit.find((r) => r.action === "api_token.revoked")).toMatchObject({ targetId: token.id });
    expect(audit.find((r) => r.action === "crisis.secured")?.data).toMatchObject({ tokensRevoked: 1 });
    member = await signedInClient(app, people.member);
    await admin.post(`/api/v1/crisis/crises/${crisis.id}/mode/end`);
  });

  it("a drill pauses only Sandbox channels, never ends anyone's sessions nor revokes their API tokens, and locks down only the Sandbox", async () => {
    const drill = await inTransaction(unsafeSystemCtx(services, "drill", workspaceId), (tx) =>
      declareCrisis(tx, { title: "Drill: viral complaint", originKind: "manual", severityLevel: 3, isDrill: true, originKindOverride: "drill" }),
    );
    expect(drill).toMatchObject({ isDrill: true, originKind: "drill", status: "active" });
    const managerToken = await tokenOf(manager);
    const onSandbox = await schedule(manager, "Drill-time sandbox post", sandboxId, 45);
    const onReal = await schedule(manager, "Real post during a drill", realId, 45);
    const started = await admin.post(`/api/v1/crisis/crises/${drill.id}/mode`, {
      reason: "Drill", pause: "all", lockdown: true, notify: false, secure: { userIds: [people.manager.id], channelIds: [] },
    });
    expect(started.status, started.text).toBe(200);
    expect(started.body.mode).toMatchObject({ pause: true, pauseChannelIds: [sandboxId], lockdown: true, secured: { sessionsEndedFor: [], sessionsEnded: 0, tokensRevoked: 0 } });
    expect(await targetOf(onSandbox.id)).toMatchObject({ status: "held" });
    expect(await targetOf(onReal.id)).toMatchObject({ status: "scheduled" });
    expect((await manager.get("/api/v1/me")).status).toBe(200);
    expect((await managerToken.api.get("/api/v1/crisis/crises")).status).toBe(200); // a drill revokes no real token
    expect((await timeline(drill.id)).find((e) => e.type === "security_action")?.data).toMatchObject({ action: "sessions_not_ended_drill", userIds: [people.manager.id] });
    // The drill's team is empty: its lock down sends everyone's Sandbox posts to review, real channels are untouched.
    await admin.patch(`/api/v1/crisis/crises/${drill.id}/mode`, { pause: "none" });
    expect((await schedule(member, "Sandbox during drill", sandboxId, 30)).state).toBe("in_review");
    expect((await schedule(member, "Real channel during drill", realId, 30)).state).toBe("scheduled");
    const sandboxOnly = await admin.post(`/api/v1/crisis/crises/${drill.id}/mode/end`);
    expect(sandboxOnly.status).toBe(200);
    const realSecure = await admin.post(`/api/v1/crisis/crises/${drill.id}/mode`, { reason: "Drill", pause: "none", lockdown: false, notify: false, secure: { userIds: [], channelIds: [realId] } });
    expect([realSecure.status, realSecure.body.error.code]).toEqual([400, "invalid_input"]);
    expect((await services.database.db.select().from(channels).where(and(eq(channels.id, realId))))[0].status).not.toBe("disconnected");
  });

  it("a second crisis pauses alongside the first: declaring it at a severity that starts crisis mode works, and publishing stays paused until both lift their pause", async () => {
    const first = await declare({ title: "Exploding cans" });
    expect((await manager.post(`/api/v1/crisis/crises/${first.id}/mode`, { reason: "Cans", pause: "all", lockdown: false, notify: false })).status).toBe(200);
    const second = await manager.post("/api/v1/crisis/crises", { title: "Roastery fire rumour", summary: "Posts claim the roastery burned down", originKind: "manual", severityLevel: 1 });
    expect(second.status, second.text).toBe(200);
    expect(second.body.mode).toMatchObject({ pause: true, automaticSeverity: 1 });
    const pausedBy = async () => ((await member.get("/api/v1/publishing/status")).body.pauses as Array<{ pausedVia: { crisisRef: string } }>).map((p) => p.pausedVia.crisisRef).sort();
    expect(await pausedBy()).toEqual([`CR-${first.number}`, `CR-${second.body.number}`].sort());
    // The first crisis lifts its pause: the second's still holds everything.
    expect((await manager.post(`/api/v1/crisis/crises/${first.id}/mode/end`)).status).toBe(200);
    expect(await pausedBy()).toEqual([`CR-${second.body.number}`]);
    const during = await manager.post("/api/v1/posts", { text: "Still paused?", channels: [{ channelId: sandboxId }], scheduledAt: inMinutes(30) });
    expect([during.status, during.body.error?.code]).toEqual([409, "publishing_paused"]);
    expect((await manager.post(`/api/v1/crisis/crises/${second.body.id}/mode/end`)).status).toBe(200);
    expect((await member.get("/api/v1/publishing/status")).body.paused).toBe(false);
    // An admin's own pause over a pause in force is still refused: only crisis mode pauses alongside.
    expect((await admin.post("/api/v1/publishing/pauses", { reason: "Checking" })).status).toBe(200);
    expect((await admin.post("/api/v1/publishing/pauses", { reason: "Again" })).body.error.code).toBe("already_paused");
    const [own] = (await member.get("/api/v1/publishing/status")).body.pauses as Array<{ id: string }>;
    expect((await admin.post(`/api/v1/publishing/pauses/${own.id}/resume`)).status).toBe(200);
  });

  it("mails each crisis team member in their own language", async () => {
    expect((await manager.patch("/api/v1/me", { locale: "fa" })).status).toBe(200);
    const crisis = await declare({ title: "Exploding cans" });
    const started = await manager.post(`/api/v1/crisis/crises/${crisis.id}/mode`, { reason: "ویدیوی قوطی‌ها پخش شده", pause: "none", lockdown: false, notify: true });
    expect(started.status, started.text).toBe(200);
    const [mail] = (await services.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, people.manager.email))).filter((m) => m.subject.includes(`CR-${crisis.number} `));
    expect(mail.subject).toBe(`بحران CR-${crisis.number} (SEV3): Exploding cans`);
    expect(mail.text).toContain("حالت بحران روشن است.\nدلیل: ویدیوی قوطی‌ها پخش شده\n");
    expect(mail.text).not.toMatch(/Crisis mode|Why:|Open the crisis/);
    expect((await manager.patch("/api/v1/me", { locale: "en" })).status).toBe(200);
    expect((await manager.post(`/api/v1/crisis/crises/${crisis.id}/mode/end`)).status).toBe(200);
  });

  it("migration 0036 turns a pause crisis mode took before `pausedVia` into facts when its crisis exists; other labels stay as stored", async () => {
    const crisis = await declare({ title: "Cans again" });
    const db = services.database.db;
    const old = (label: string) => ({ workspaceId, reason: "Exploding cans", pausedByLabel: label, pausedAt: services.clock(), claimMark: 0, resumedAt: services.clock() });
    const [fromCrisis, unknownCrisis, byPerson] = await db
      .insert(publishingPauses)
      .values([old(`crisis CR-${crisis.number} (Olivia Brandt)`), old("crisis CR-9999 (Olivia Brandt)"), old("Olivia Brandt")])
      .returning({ id: publishingPauses.id });
    const file = readFileSync(new URL("../../../../../migrations/0036_pause_paused_via.sql", import.meta.url), "utf8");
    for (const statement of file.split("--> statement-breakpoint").filter((s) => /^\s*(--.*\n)*\s*UPDATE/i.test(s))) await db.execute(sql.raw(statement));
    const via = async (id: string) => (await db.select({ via: publishingPauses.pausedVia }).from(publishingPauses).where(eq(publishingPauses.id, id)))[0].via;
    expect(await via(fromCrisis.id)).toEqual({ kind: "crisis", crisisId: crisis.id, crisisRef: `CR-${crisis.number}`, personName: "Olivia Brandt" });
    expect(await via(unknownCrisis.id)).toBeNull();
    expect(await via(byPerson.id)).toBeNull();
  });
});
