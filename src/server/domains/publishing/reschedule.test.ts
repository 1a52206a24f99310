import { afterAll, beforeAll, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Role } from "../../../contracts/roles";
import { inTransaction, unsafeSystemCtx } from "../../context";
import { createApp } from "../../http/app";
import { unsafeAddMemberDirectly } from "../workspaces";
import { mailOutbox } from "../../mail/mail.schema";
import { findSandboxAccount } from "../../networks/sandbox/network";
import { seedSandboxNetwork } from "../../networks/sandbox/seed";
import { sandboxPosts } from "../../networks/sandbox/sandbox.schema";
import { unsafeClaimDueTargets, unsafePublishDue, unsafeRunApprovalDeadlines } from "./index";
import { approvalRuns } from "./approvals.schema";
import { describeEachDatabase } from "../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { buildUser, buildWorkspace, signedInClient } from "../../../../test/support/factories";
import { httpClient, type HttpClient } from "../../../../test/support/http";
import { createTestNetwork } from "../../../../test/support/test-connector";
import { actionsSince, auditSince, lastAuditSeq } from "../../../../test/support/audit";

type Person = { id: string; email: string };
type PostBody = { id: string; version: number; contentHash: string; state: string; scheduledAt: string | null; targets: Array<{ id: string; status: string; dueAt: string | null }>; history?: Array<{ type: string; actor: string; data: Record<string, unknown> }> };

/** Moving a post to another time (the calendar's drag): POST /api/v1/posts/{id}/reschedule. */
describeEachDatabase("rescheduling posts", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let people: Record<Role, Person>;
  let admin: HttpClient;
  let manager: HttpClient;
  let intern: HttpClient;
  let ana: HttpClient;
  let ben: HttpClient;
  let outsider: HttpClient;
  let anaPerson: Person;
  let benPerson: Person;
  /** No workflow: the manager schedules, the intern (Approval required) goes through the default approval. */
  let openChannel: string;
  /** A workflow "all of: Ana, Ben" for everyone. */
  let reviewedChannel: string;
  /** A workflow with an outside approver. */
  let clientChannel: string;
  /** The manager may only write for approval here. */
  let limitedChannel: string;
  let accountId: string;
  let mailSeen = 0;

  beforeAll(async () => {
    services = await createTestServices(kind, { LOGIN_RATE_PER_MINUTE: "1000" });
    // A fourth channel, on a test network (the Sandbox has three brand accounts).
    const net = createTestNetwork({ network: "testnet", clock: services.clock });
    services.networks.register(net);
    net.addAccount("limited", "pw");
    app = createApp(services);
    const built = await buildWorkspace(services);
    people = built.people;
    const workspaceId = built.workspace.id;
    admin = await signedInClient(app, people.admin);
    manager = await signedInClient(app, people.manager);
    intern = await signedInClient(app, people.member);
    await seedSandboxNetwork(services.database.db, services.clock());
    const channel = async (handle: string) => {
      const res = await admin.post("/api/v1/channels", { network: "sandbox", kind: "sandbox", handle });
      expect(res.status, res.text).toBe(200);
      return res.body.id as string;
    };
    openChannel = await channel("emberoak");
    reviewedChannel = await channel("emberoak_de");
    clientChannel = await channel("emberoak_support");
    const limited = await admin.post("/api/v1/channels", { network: "testnet", kind: "app_password", identifier: "limited", password: "pw" });
    expect(limited.status, limited.text).toBe(200);
    limitedChannel = limited.body.id;
    accountId = (await findSandboxAccount(services.database.db, "emberoak"))!.id;
    const members: Person[] = [];
    for (const name of ["Ana", "Ben", "Olga"]) {
      const user = await buildUser(services, { name });
      await inTransaction(unsafeSystemCtx(services, "test", workspaceId), (tx) => unsafeAddMemberDirectly(tx, { userId: user.id, role: "member" }));
      members.push(user);
    }
    [anaPerson, benPerson] = members;
    ana = await signedInClient(app, members[0]);
    ben = await signedInClient(app, members[1]);
    outsider = await signedInClient(app, members[2]); // a member without any channel
    const grants = await admin.put("/api/v1/channel-access", {
      changes: [
        ...[openChannel, reviewedChannel, clientChannel].map((channelId) => ({ channelId, userId: people.manager.id, level: "publish" })),
        { channelId: limitedChannel, userId: people.manager.id, level: "approval_required" },
        ...[openChannel, reviewedChannel].map((channelId) => ({ channelId, userId: people.member.id, level: "approval_required" })),
        ...[reviewedChannel].flatMap((channelId) => [anaPerson, benPerson].map((p) => ({ channelId, userId: p.id, level: "read" }))),
      ],
    });
    expect(grants.status, grants.text).toBe(200);
    const workflow = await admin.post("/api/v1/approval-workflows", {
      name: "Ana and Ben",
      steps: [{ mode: "all", approvers: [{ kind: "user", userId: anaPerson.id }, { kind: "user", userId: benPerson.id }] }],
      channelIds: [reviewedChannel],
    });
    expect(workflow.status, workflow.text).toBe(200);
    const clientFlow = await admin.post("/api/v1/approval-workflows", {
      name: "Client sign-off",
      steps: [{ mode: "any", approvers: [{ kind: "external", email: "clara@client.example", name: "Clara Client" }] }],
      channelIds: [clientChannel],
    });
    expect(clientFlow.status, clientFlow.text).toBe(200);
  });
  afterAll(() => services.close());

  const inMinutes = (minutes: number) => new Date(services.clock().getTime() + minutes * 60_000).toISOString();
  const compose = async (client: HttpClient, text: string, channelIds: string[], minutes: number | null) => {
    const res = await client.post("/api/v1/posts", { text, channels: channelIds.map((channelId) => ({ channelId })), scheduledAt: minutes === null ? null : inMinutes(minutes) });
    expect(res.status, res.text).toBe(200);
    return res.body as PostBody;
  };
  const move = (client: HttpClient, post: { id: string; version: number }, minutes: number, extra: Record<string, unknown> = {}) =>
    client.post(`/api/v1/posts/${post.id}/reschedule`, { scheduledAt: inMinutes(minutes), version: post.version, ...extra });
  const moved = async (client: HttpClient, post: { id: string; version: number }, minutes: number, extra: Record<string, unknown> = {}) => {
    const res = await move(client, post, minutes, extra);
    expect(res.status, res.text).toBe(200);
    return res.body as PostBody;
  };
  const errorOf = (res: { status: number; body: { error?: { code: string; fields?: Record<string, string[]> } } }) => [res.status, res.body.error?.code];
  const read = async (postId: string) => (await admin.get(`/api/v1/posts/${postId}`)).body as PostBody;
  const runsOf = async (postId: string) => services.database.db.select().from(approvalRuns).where(eq(approvalRuns.postId, postId));
  const newMail = async () => {
    const rows = await services.database.db.select().from(mailOutbox);
    const fresh = rows.slice(mailSeen);
    mailSeen = rows.length;
    return fresh;
  };
  const onNetwork = async (text: string) => services.database.db.select().from(sandboxPosts).where(and(eq(sandboxPosts.accountId, accountId), eq(sandboxPosts.text, text)));

  it("moves a scheduled post to another time: same content hash, a new version, due then (not before), in its history and the audit log", async () => {
    const post = await compose(manager, "Cupping on Saturday", [openChannel], 60);
    const before = await lastAuditSeq(services);
    const later = await moved(manager, post, 180);
    expect(later).toMatchObject({ state: "scheduled", version: post.version + 1, contentHash: post.contentHash, scheduledAt: inMinutes(180), targets: [{ status: "scheduled", dueAt: inMinutes(180) }] });
    expect(later.history!.at(-1)).toMatchObject({ type: "rescheduled", data: { from: inMinutes(60), to: inMinutes(180), version: post.version + 1 } });
    const audit = await auditSince(services, before);
    expect(audit.map((r) => r.action)).toEqual(["post.rescheduled"]);
    expect(audit[0].data).toMatchObject({ postId: post.id, from: inMinutes(60), to: inMinutes(180), state: "scheduled" });
    // The old time passes: nothing goes out; at the new one it is published once.
    services.clock.advance(61 * 60_000);
    await unsafePublishDue(services);
    expect(await onNetwork("Cupping on Saturday")).toHaveLength(0);
    services.clock.advance(120 * 60_000);
    await unsafePublishDue(services);
    expect(await onNetwork("Cupping on Saturday")).toHaveLength(1);
    expect((await read(post.id)).targets[0].status).toBe("published");
    // Moving the same time again changes nothing.
    const fresh = await compose(manager, "Same time", [openChannel], 30);
    const same = await moved(manager, fresh, 30);
    expect(same.version).toBe(fresh.version);
  });

  it("refuses with stable codes and writes nothing: someone else's move, the past, not a date, published, publishing, cancelled", async () => {
    const post = await compose(manager, "Roastery open day", [openChannel], 60);
    await moved(manager, post, 120);
    const before = await lastAuditSeq(services);
    // The second calendar still shows the first version: its move does not overwrite the first one.
    expect(errorOf(await move(manager, post, 240))).toEqual([409, "post_changed"]);
    const past = await move(manager, { id: post.id, version: post.version + 1 }, -10);
    expect(errorOf(past)).toEqual([400, "invalid_input"]);
    expect(past.body.error.fields).toHaveProperty("scheduledAt");
    expect(errorOf(await manager.post(`/api/v1/posts/${post.id}/reschedule`, { scheduledAt: "tomorrow", version: post.version + 1 }))).toEqual([400, "invalid_input"]);
    expect(errorOf(await manager.post(`/api/v1/posts/${post.id}/reschedule`, { scheduledAt: inMinutes(30) }))).toEqual([400, "invalid_input"]);
    expect(errorOf(await move(manager, { id: "00000000-0000-4000-8000-000000000000", version: 1 }, 30))).toEqual([404, "not_found"]);
    expect((await read(post.id)).scheduledAt).toBe(inMinutes(120));

    const published = await compose(manager, "Out already", [openChannel], 0);
    await unsafePublishDue(services);
    expect(errorOf(await move(manager, published, 60))).toEqual([409, "post_not_editable"]);
    const publishing = await compose(manager, "Being sent", [openChannel], 0);
    expect((await unsafeClaimDueTargets(services, 50)).length).toBeGreaterThan(0);
    expect((await read(publishing.id)).targets[0].status).toBe("publishing");
    expect(errorOf(await move(manager, publishing, 60))).toEqual([409, "post_not_editable"]);
    const cancelled = await compose(manager, "Called off", [openChannel], 60);
    expect((await manager.post(`/api/v1/posts/${cancelled.id}/cancel`)).status).toBe(200);
    expect(errorOf(await move(manager, { id: cancelled.id, version: (await read(cancelled.id)).version }, 90))).toEqual([409, "post_not_editable"]);
    expect(await actionsSince(services, before)).toEqual(["post.created", "post.published", "post.created", "post.created", "post.cancelled"]);
    await unsafePublishDue(services); // the claimed one goes out
  });

  it("only people allowed to schedule on every channel of the post may move it", async () => {
    const both = await compose(admin, "Two channels", [openChannel, limitedChannel], 60);
    // The manager has Full publishing on one channel only: forbidden.
    expect(errorOf(await move(manager, both, 90))).toEqual([403, "forbidden"]);
    // The intern (Approval required) may not move someone else's post; a member without the channel does not see it.
    const managers = await compose(manager, "The manager's post", [openChannel], 60);
    expect(errorOf(await move(intern, managers, 90))).toEqual([403, "forbidden"]);
    expect(errorOf(await move(outsider, managers, 90))).toEqual([404, "not_found"]);
    expect((await read(managers.id)).version).toBe(managers.version);
    expect((await moved(admin, both, 90)).scheduledAt).toBe(inMinutes(90));
  });

  it("while publishing is paused, moving warns first (publishing_paused); acknowledged, the post moves and is held when due; a draft moves without a warning", async () => {
    const post = await compose(manager, "During the pause", [openChannel], 60);
    const rejected = await compose(intern, "A rejected idea", [openChannel], 60);
    const rejection = await manager.post(`/api/v1/posts/${rejected.id}/reject`, { contentHash: rejected.contentHash, comment: "Not this week" });
    expect(rejection.status, rejection.text).toBe(200);
    const pause = await admin.post("/api/v1/publishing/pauses", { reason: "Storm in the comments", channelIds: [openChannel] });
    expect(pause.status, pause.text).toBe(200);
    const current = await read(post.id);
    expect(current.targets[0].status).toBe("held");
    const warned = await move(manager, current, 30);
    expect(errorOf(warned)).toEqual([409, "publishing_paused"]);
    expect((await read(post.id)).scheduledAt).toBe(inMinutes(60));
    const acknowledged = await moved(manager, current, 30, { acknowledgePause: true });
    expect(acknowledged).toMatchObject({ state: "scheduled", scheduledAt: inMinutes(30), targets: [{ status: "held", dueAt: inMinutes(30) }] });
    // The rejected post is a draft with a time: it does not go out, so no warning.
    const draft = await read(rejected.id);
    expect(draft).toMatchObject({ state: "draft", scheduledAt: inMinutes(60) });
    expect(await moved(intern, draft, 120)).toMatchObject({ state: "draft", scheduledAt: inMinutes(120), targets: [{ status: "draft" }] });
    expect((await admin.post(`/api/v1/publishing/pauses/${pause.body.pause.id}/resume`)).status).toBe(200);
    services.clock.advance(31 * 60_000);
    await unsafePublishDue(services);
    expect(await onNetwork("During the pause")).toHaveLength(0); // held: a person releases it
  });

  it("a post in review keeps its approvals when moved, and its deadline follows: reminders before the new time, approved in time, scheduled at the new time", async () => {
    await newMail();
    const post = await compose(intern, "Harvest report", [reviewedChannel], 30);
    expect(post.state).toBe("in_review");
    const [run] = await runsOf(post.id);
    expect(run.remindersSent.sort()).toEqual(["1h", "24h"]); // 30 minutes ahead: inside both windows
    expect((await ana.post(`/api/v1/posts/${post.id}/approve`, { contentHash: post.contentHash })).status).toBe(200);
    // The intern moves his post 25 hours ahead: same run, Ana's approval stays, the reminders start again.
    const later = await moved(intern, post, 25 * 60);
    expect(later).toMatchObject({ state: "in_review", contentHash: post.contentHash, targets: [{ status: "draft", dueAt: inMinutes(25 * 60) }] });
    const runs = await runsOf(post.id);
    expect(runs.map((r) => [r.id, r.status])).toEqual([[run.id, "pending"]]);
    expect(runs[0].remindersSent).toEqual([]);
    // The old time passes: it is not expired.
    services.clock.advance(31 * 60_000);
    expect((await unsafeRunApprovalDeadlines(services)).expired).toBe(0);
    expect((await read(post.id)).state).toBe("in_review");
    services.clock.advance(30 * 60_000); // 23 h 59 before the new time: Ben (who has not decided) is reminded
    await newMail();
    expect((await unsafeRunApprovalDeadlines(services)).reminded).toBe(1);
    expect((await newMail()).map((m) => m.toAddress)).toEqual([benPerson.email]);
    // Ben approves: the step (all of Ana and Ben) is complete with Ana's approval from before the move.
    const approved = await ben.post(`/api/v1/posts/${post.id}/approve`, { contentHash: post.contentHash });
    expect(approved.status, approved.text).toBe(200);
    expect(await read(post.id)).toMatchObject({ state: "scheduled", scheduledAt: later.scheduledAt, targets: [{ status: "scheduled", dueAt: later.scheduledAt }] });

    // Scheduled after approval, its author moves it: still scheduled, no new approval (it binds to the content).
    const approvedPost = await read(post.id);
    const again = await moved(intern, approvedPost, 26 * 60);
    expect(again).toMatchObject({ state: "scheduled", contentHash: post.contentHash, targets: [{ status: "scheduled" }] });
    expect((await runsOf(post.id)).map((r) => r.status)).toEqual(["approved"]);
  });

  it("changing a post's time in the editor (same text) moves its approval deadline as a move does", async () => {
    const post = await compose(intern, "Cellar tour dates", [reviewedChannel], 30);
    const [run] = await runsOf(post.id);
    expect(run.remindersSent.sort()).toEqual(["1h", "24h"]);
    const res = await intern.put(`/api/v1/posts/${post.id}`, { text: "Cellar tour dates", channels: [{ channelId: reviewedChannel }], scheduledAt: inMinutes(25 * 60), version: post.version });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ state: "in_review", contentHash: post.contentHash });
    const runs = await runsOf(post.id);
    expect(runs.map((r) => [r.id, r.status, r.remindersSent])).toEqual([[run.id, "pending", []]]);
    services.clock.advance(31 * 60_000); // the old time passes: not expired
    expect((await unsafeRunApprovalDeadlines(services)).expired).toBe(0);
    expect((await read(post.id)).state).toBe("in_review");
  });

  it("an external approver's link expires at the post's new time; a post not approved in time is sent for approval again when moved", async () => {
    await newMail();
    const post = await compose(manager, "Guest lot from Clara", [clientChannel], 300);
    const mails = (await newMail()).filter((m) => m.toAddress === "clara@client.example");
    expect(mails).toHaveLength(1);
    const token = decodeURIComponent(/token=([^\s]+)/.exec(mails[0].text)![1]);
    const anonymous = httpClient(app);
    const expiresAt = async () => (await manager.get(`/api/v1/posts/${post.id}/approvals`)).body.runs[0].steps[0].approvers[0].link.expiresAt as string;
    expect(await expiresAt()).toBe(inMinutes(300));
    const later = await moved(manager, post, 600);
    expect(later.state).toBe("in_review");
    expect(await expiresAt()).toBe(inMinutes(600));
    const sooner = await moved(manager, later, 120);
    expect(await expiresAt()).toBe(inMinutes(120));
    expect((await anonymous.get(`/api/v1/external-approvals/${token}`)).status).toBe(200); // the same link still works
    services.clock.advance(121 * 60_000);
    expect(errorOf(await anonymous.get(`/api/v1/external-approvals/${token}`))).toEqual([410, "approval_link_invalid"]);
    expect((await unsafeRunApprovalDeadlines(services)).expired).toBeGreaterThanOrEqual(1);
    const expired = await read(post.id);
    expect(expired.state).toBe("expired");
    expect(expired.version).toBe(sooner.version);
    // Moved to a new time, it goes for approval again: a new run, and Clara gets a new link.
    await newMail();
    const renewed = await moved(manager, expired, 240);
    expect(renewed).toMatchObject({ state: "in_review", contentHash: post.contentHash, scheduledAt: inMinutes(240) });
    expect((await runsOf(post.id)).map((r) => r.status).sort()).toEqual(["expired", "pending"]);
    expect((await newMail()).filter((m) => m.toAddress === "clara@client.example")).toHaveLength(1);
  });

  it("an author without Full publishing moving a scheduled post that was never approved sends it for approval", async () => {
    // Ben had Full publishing on @emberoak when he scheduled; now he writes for approval only.
    const give = (level: string) => admin.put("/api/v1/channel-access", { changes: [{ channelId: openChannel, userId: benPerson.id, level }] });
    expect((await give("publish")).status).toBe(200);
    const post = await compose(ben, "Ben's brew guide", [openChannel], 90);
    expect(post.state).toBe("scheduled");
    expect((await give("approval_required")).status).toBe(200);
    const moved_ = await moved(ben, post, 120);
    expect(moved_).toMatchObject({ state: "in_review", contentHash: post.contentHash, scheduledAt: inMinutes(120), targets: [{ status: "draft" }] });
    expect((await runsOf(post.id)).map((r) => r.status)).toEqual(["pending"]);
    // The manager approves it: scheduled at the new time.
    expect((await manager.post(`/api/v1/posts/${post.id}/approve`, { contentHash: post.contentHash })).status).toBe(200);
    expect(await read(post.id)).toMatchObject({ state: "scheduled", targets: [{ status: "scheduled", dueAt: inMinutes(120) }] });
  });
});
