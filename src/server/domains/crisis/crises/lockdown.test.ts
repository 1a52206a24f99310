import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Role } from "../../../../contracts/roles";
import { inTransaction, unsafeSystemCtx } from "../../../context";
import { createApp } from "../../../http/app";
import { seedSandboxNetwork } from "../../../networks/sandbox/seed";
import { unsafeAddMemberDirectly } from "../../workspaces";
import { unsafePublishDue, unsafeRunApprovalDeadlines } from "../../publishing";
import { postTargets } from "../../publishing/publishing.schema";
import { lockdownPolicy } from "../../publishing/lockdown-policy";
import { users } from "../../identity/identity.schema";
import { mailOutbox } from "../../../mail/mail.schema";
import { describeEachDatabase } from "../../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../../test/support/services";
import { buildUser, buildWorkspace, signedInClient } from "../../../../../test/support/factories";
import { httpClient, type HttpClient } from "../../../../../test/support/http";
import { createTestNetwork, type TestNetwork } from "../../../../../test/support/test-connector";
import { crisisEvents } from "../crisis.schema";
import { declareCrisis } from "./index";

describeEachDatabase("crisis lock down", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let net: TestNetwork;
  let workspaceId: string;
  let people: Record<Role, { id: string; email: string }>;
  let admin: HttpClient;
  let manager: HttpClient;
  let member: HttpClient;
  /** The test network cannot publish: deliveries are checked on the Sandbox, the real channel shows a drill's scope. */
  /** A member with Full publishing on both channels, not on any crisis team and without crisis.manage: a usual approver. */
  let approver: HttpClient;
  let approverId: string;
  let sandboxId: string;
  let realId: string;

  beforeAll(async () => {
    services = await createTestServices(kind, { LOGIN_RATE_PER_MINUTE: "1000" });
    net = createTestNetwork({ network: "testnet", clock: services.clock });
    services.networks.register(net);
    app = createApp(services);
    const built = await buildWorkspace(services);
    workspaceId = built.workspace.id;
    people = built.people;
    const second = await buildUser(services, { name: "Approver" });
    await inTransaction(unsafeSystemCtx(services, "test", workspaceId), (tx) => unsafeAddMemberDirectly(tx, { userId: second.id, role: "member" }));
    admin = await signedInClient(app, people.admin);
    manager = await signedInClient(app, people.manager);
    member = await signedInClient(app, people.member);
    approver = await signedInClient(app, second);
    approverId = second.id;
    await seedSandboxNetwork(services.database.db, services.clock());
    sandboxId = (await admin.post("/api/v1/channels", { network: "sandbox", kind: "sandbox", handle: "emberoak" })).body.id;
    net.addAccount("emberoak-real", "pw");
    const real = await admin.post("/api/v1/channels", { network: "testnet", kind: "app_password", identifier: "emberoak-real", password: "pw" });
    expect(real.status, real.text).toBe(200);
    realId = real.body.id;
    const grants = await admin.put("/api/v1/channel-access", {
      changes: [sandboxId, realId].flatMap((channelId) => [people.manager.id, people.member.id, second.id].map((userId) => ({ channelId, userId, level: "publish" }))),
    });
    expect(grants.status, grants.text).toBe(200);
  });
  afterAll(() => services.close());

  const inMinutes = (minutes: number) => new Date(services.clock().getTime() + minutes * 60_000).toISOString();
  const schedule = async (client: HttpClient, text: string, channelId: string, minutes: number) => {
    const res = await client.post("/api/v1/posts", { text, channels: [{ channelId }], scheduledAt: inMinutes(minutes) });
    expect(res.status, res.text).toBe(200);
    return res.body as { id: string; state: string; contentHash: string };
  };
  const targetOf = async (postId: string) => (await services.database.db.select().from(postTargets).where(eq(postTargets.postId, postId)))[0];
  const declare = async () => {
    const res = await manager.post("/api/v1/crisis/crises", { title: "Exploding cans", originKind: "manual", severityLevel: 3 });
    expect(res.status, res.text).toBe(200);
    return res.body as { id: string; number: number };
  };
  const lockDown = async (crisisId: string) => {
    const res = await manager.post(`/api/v1/crisis/crises/${crisisId}/mode`, { reason: "Only the team speaks", pause: "none", lockdown: true, notify: false });
    expect(res.status, res.text).toBe(200);
  };
  const endMode = async (crisisId: string) => expect((await manager.post(`/api/v1/crisis/crises/${crisisId}/mode/end`)).status).toBe(200);
  const approve = (client: HttpClient, post: { id: string; contentHash: string }) => client.post(`/api/v1/posts/${post.id}/approve`, { contentHash: post.contentHash });
  const waitingIds = async (client: HttpClient) => ((await client.get("/api/v1/approvals/waiting")).body.items as Array<{ post: { id: string } }>).map((i) => i.post.id);
  /** Who was asked by mail to approve this post (approval requests and reminders link to the post). */
  const askedAbout = async (postId: string) =>
    (await services.database.db.select().from(mailOutbox)).filter((m) => m.text.includes(`/posts/${postId}`) && m.subject.includes("approval")).map((m) => m.toAddress).sort();
  const timeline = async (crisisId: string) => services.database.db.select().from(crisisEvents).where(eq(crisisEvents.crisisId, crisisId)).orderBy(asc(crisisEvents.occurredAt));

  it("an outsider's post waits for the crisis team: a usual approver is refused, the team approves, and it goes out", async () => {
    const crisis = await declare();
    await lockDown(crisis.id);
    // Publishing directly stays refused (the outsider's held-post release goes through the same check).
    // The banner tells the outsider (the composer shows it), not the team.
    const lockedOut = async (client: HttpClient) => (await client.get("/api/v1/crisis/banner")).body.crises.find((c: { id: string }) => c.id === crisis.id)?.lockedOut;
    expect([await lockedOut(member), await lockedOut(manager)]).toEqual([true, false]);
    const post = await schedule(member, "Our side of the story", sandboxId, 30);
    expect(post.state).toBe("in_review");
    const runs = (await member.get(`/api/v1/posts/${post.id}/approvals`)).body.runs;
    // The crisis team's step takes the place of "anyone with Full publishing" the lock down alone would have asked.
    expect(runs).toHaveLength(1);
    expect(runs[0].steps).toEqual([{ label: `CR-${crisis.number}`, mode: "any", approvers: [{ kind: "crisis_team", crisisId: crisis.id, ref: `CR-${crisis.number}`, dropped: false }] }]);

    expect(await waitingIds(approver)).not.toContain(post.id);
    const refused = await approve(approver, post);
    expect([refused.status, refused.body.error.code]).toEqual([403, "crisis_team_approval_only"]);
    const rejectRefused = await approver.post(`/api/v1/posts/${post.id}/reject`, { contentHash: post.contentHash, comment: "Not now" });
    expect([rejectRefused.status, rejectRefused.body.error.code]).toEqual([403, "crisis_team_approval_only"]);

    expect(await waitingIds(manager)).toContain(post.id);
    const approved = await approve(manager, post);
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body.post.state).toBe("scheduled");

    // Approved by the crisis team, it is not held when it falls due during the lock down.
    services.clock.advance(31 * 60_000);
    await unsafePublishDue(services);
    expect(await targetOf(post.id)).toMatchObject({ status: "published" });
    expect((await timeline(crisis.id)).map((e) => e.type)).not.toContain("post_held_lockdown");
    await endMode(crisis.id);
  });

  it("an outsider's post scheduled before the lock down is held when due and listed for the crisis team; the team's own post goes out", async () => {
    const outsiders = await schedule(member, "Summer menu is here", sandboxId, 20);
    const second = await schedule(member, "Cold brew giveaway", sandboxId, 20);
    const teams = await schedule(manager, "We are looking into it", sandboxId, 20);
    expect([outsiders.state, teams.state]).toEqual(["scheduled", "scheduled"]);
    const dueAt = (await targetOf(outsiders.id)).dueAt;
    const crisis = await declare();
    await lockDown(crisis.id);

    services.clock.advance(21 * 60_000);
    await unsafePublishDue(services);
    expect(await targetOf(teams.id)).toMatchObject({ status: "published" });
    const held = await targetOf(outsiders.id);
    expect(held).toMatchObject({ status: "held", heldReason: "crisis_lockdown", heldByPauseId: null });

    const listed = (await member.get(`/api/v1/crisis/crises/${crisis.id}/held-posts`)).body.heldPosts;
    expect(listed).toEqual(
      expect.arrayContaining([expect.objectContaining({ postTargetId: held.id, postId: outsiders.id, decision: "pending", previousDueAt: dueAt!.toISOString(), targetStatus: "held" })]),
    );
    expect(listed.map((h: { postId: string }) => h.postId).sort()).toEqual([outsiders.id, second.id].sort());
    expect((await manager.get(`/api/v1/crisis/crises/${crisis.id}`)).body.heldPosts).toEqual({ total: 2, pending: 2 });
    const event = (await timeline(crisis.id)).find((e) => e.type === "post_held_lockdown" && (e.data as { postId: string }).postId === outsiders.id);
    expect(event?.data).toEqual({ postId: outsiders.id, postTargetId: held.id, channelId: sandboxId, authorId: people.member.id, dueAt: dueAt!.toISOString() });
    expect((await member.get(`/api/v1/posts/${outsiders.id}`)).body.history.map((e: { type: string }) => e.type)).toContain("held");

    // The outsider cannot release it themselves; the crisis team decides (resume: it is past its time, so now).
    const release = await member.post("/api/v1/posts/held/release", { decisions: [{ targetId: held.id, action: "publish_now" }] });
    expect([release.status, release.body.error.code]).toEqual([403, "crisis_lockdown"]);
    const resumed = await manager.post(`/api/v1/crisis/crises/${crisis.id}/held-posts/${held.id}`, { decision: "resume" });
    expect(resumed.status, resumed.text).toBe(200);
    await unsafePublishDue(services);
    expect(await targetOf(outsiders.id)).toMatchObject({ status: "published" }); // released by the team: not held again
    // Released from publishing's held posts by a team member (the only ones who may, under the lock down): it goes out too.
    const fromPublishing = await manager.post("/api/v1/posts/held/release", { decisions: [{ targetId: (await targetOf(second.id)).id, action: "publish_now" }] });
    expect(fromPublishing.status, fromPublishing.text).toBe(200);
    await unsafePublishDue(services);
    expect(await targetOf(second.id)).toMatchObject({ status: "published" });
    await endMode(crisis.id);
  });

  it("when the lock down ends, a post still waiting stays with the crisis team; new posts need no crisis approval", async () => {
    const crisis = await declare();
    await lockDown(crisis.id);
    const waiting = await schedule(member, "Written during the crisis", sandboxId, 60);
    expect(waiting.state).toBe("in_review");
    await endMode(crisis.id);

    const refused = await approve(approver, waiting);
    expect([refused.status, refused.body.error.code]).toEqual([403, "crisis_team_approval_only"]);
    expect((await schedule(member, "Back to normal", sandboxId, 60)).state).toBe("scheduled");
    // Anyone who may manage crises decides it too (the admin is not on this crisis's team).
    const approved = await approve(admin, waiting);
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body.post.state).toBe("scheduled");
  });

  it("a drill's lock down covers Sandbox channels only", async () => {
    const onSandbox = await schedule(member, "Sandbox post before the drill", sandboxId, 15);
    const onReal = await schedule(member, "Real post during a drill", realId, 15);
    const drill = await inTransaction(unsafeSystemCtx(services, "drill", workspaceId), (tx) =>
      declareCrisis(tx, { title: "Drill: viral complaint", originKind: "manual", severityLevel: 3, isDrill: true, originKindOverride: "drill" }),
    );
    await lockDown(drill.id);
    const sandboxReview = await schedule(member, "Sandbox during drill", sandboxId, 30);
    expect(sandboxReview.state).toBe("in_review");
    const steps = (await member.get(`/api/v1/posts/${sandboxReview.id}/approvals`)).body.runs[0].steps;
    expect(steps.map((s: { approvers: Array<{ kind: string; crisisId?: string }> }) => s.approvers.map((a) => [a.kind, a.crisisId]))).toEqual([[["crisis_team", drill.id]]]);
    expect((await schedule(member, "Real channel during drill", realId, 30)).state).toBe("scheduled");

    services.clock.advance(16 * 60_000);
    await unsafePublishDue(services);
    // The real channel's post is not held (the test network cannot publish: it stays due, for another try).
    expect(await targetOf(onReal.id)).toMatchObject({ heldReason: null, attempts: 1 });
    expect(await targetOf(onSandbox.id)).toMatchObject({ status: "held", heldReason: "crisis_lockdown" });
    expect((await manager.get(`/api/v1/crisis/crises/${drill.id}/held-posts`)).body.heldPosts.map((h: { postId: string }) => h.postId)).toEqual([onSandbox.id]);
    await endMode(drill.id);
  });

  it("a channel's workflow still runs first; the crisis team has the last word", async () => {
    const workflow = await admin.post("/api/v1/approval-workflows", { name: "Legal", steps: [{ mode: "any", approvers: [{ kind: "user", userId: approverId }] }], channelIds: [sandboxId] });
    expect(workflow.status, workflow.text).toBe(200);
    const crisis = await declare();
    await lockDown(crisis.id);
    const post = await schedule(member, "A word from our lawyers", sandboxId, 30);
    expect(post.state).toBe("in_review");
    const steps = (await member.get(`/api/v1/posts/${post.id}/approvals`)).body.runs[0].steps;
    expect(steps.map((s: { label: string }) => s.label)).toEqual(["Legal · 1", `CR-${crisis.number}`]);
    // The crisis team does not skip Legal; Legal's approver fills Legal's step, not the crisis team's.
    const early = await approve(manager, post);
    expect([early.status, early.body.error.code]).toEqual([403, "not_an_approver"]);
    expect((await approve(approver, post)).status).toBe(200);
    const again = await approve(approver, post);
    expect([again.status, again.body.error.code]).toEqual([403, "crisis_team_approval_only"]);
    const last = await approve(manager, post);
    expect(last.status, last.text).toBe(200);
    expect(last.body.post.state).toBe("scheduled");
    await endMode(crisis.id);
    expect((await admin.delete(`/api/v1/approval-workflows/${workflow.body.id}`)).status).toBe(200);
  });

  it("a post made with an API token is its owner's: during the lock down it needs the crisis team's step, and one scheduled before is held when due", async () => {
    const minted = await member.post("/api/v1/me/api-tokens", { name: "scheduler", scopes: ["posts:read", "posts:write", "channels:read", "channels:write"], expiresInDays: null });
    expect(minted.status, minted.text).toBe(200);
    const script = httpClient(app, { bearer: minted.body.token });
    const before = await schedule(script, "Scheduled by our script", sandboxId, 20);
    expect(before.state).toBe("scheduled");
    const crisis = await declare();
    await lockDown(crisis.id);

    const during = await schedule(script, "Script post during the crisis", sandboxId, 60);
    expect(during.state).toBe("in_review");
    const steps = (await member.get(`/api/v1/posts/${during.id}/approvals`)).body.runs[0].steps;
    expect(steps).toEqual([expect.objectContaining({ label: `CR-${crisis.number}`, approvers: [expect.objectContaining({ kind: "crisis_team", crisisId: crisis.id })] })]);
    // The token's owner cannot approve or publish it past the crisis team; the team can.
    expect((await approve(approver, during)).body.error.code).toBe("crisis_team_approval_only");
    expect(await waitingIds(manager)).toContain(during.id);

    services.clock.advance(21 * 60_000);
    await unsafePublishDue(services);
    const held = await targetOf(before.id);
    expect(held).toMatchObject({ status: "held", heldReason: "crisis_lockdown" });
    expect((await manager.get(`/api/v1/crisis/crises/${crisis.id}/held-posts`)).body.heldPosts.map((h: { postId: string }) => h.postId)).toContain(before.id);
    const event = (await timeline(crisis.id)).find((e) => e.type === "post_held_lockdown" && (e.data as { postId: string }).postId === before.id);
    expect((event?.data as { authorId: string }).authorId).toBe(people.member.id);
    expect((await manager.post(`/api/v1/crisis/crises/${crisis.id}/held-posts/${held.id}`, { decision: "discard" })).status).toBe(200);
    expect((await manager.post(`/api/v1/posts/${during.id}/reject`, { contentHash: during.contentHash, comment: "Not during the crisis" })).status).toBe(200);
    await endMode(crisis.id);
  });

  it("a post with nobody behind it (its author's account is gone) counts as an outsider's: held when due, and its approval goes to the crisis team", async () => {
    const leaver = await buildUser(services, { name: "Leaver" });
    await inTransaction(unsafeSystemCtx(services, "test", workspaceId), (tx) => unsafeAddMemberDirectly(tx, { userId: leaver.id, role: "member" }));
    expect((await admin.put("/api/v1/channel-access", { changes: [{ channelId: sandboxId, userId: leaver.id, level: "publish" }] })).status).toBe(200);
    const orphan = await schedule(await signedInClient(app, leaver), "Posted by someone who left", sandboxId, 20);
    expect(orphan.state).toBe("scheduled");
    await services.database.db.delete(users).where(eq(users.id, leaver.id)); // the post's author_id becomes null
    const crisis = await declare();
    await lockDown(crisis.id);

    services.clock.advance(21 * 60_000);
    await unsafePublishDue(services);
    const held = await targetOf(orphan.id);
    expect(held).toMatchObject({ status: "held", heldReason: "crisis_lockdown" });
    const listed = (await manager.get(`/api/v1/crisis/crises/${crisis.id}/held-posts`)).body.heldPosts;
    expect(listed.find((h: { postId: string }) => h.postId === orphan.id)).toMatchObject({ decision: "pending" });
    // Sent for approval again (someone edits it), nobody's post gets the crisis team's step.
    const step = await inTransaction(unsafeSystemCtx(services, "test", workspaceId), (tx) => lockdownPolicy().approvalStep(tx, workspaceId, [{ id: sandboxId, network: "sandbox" }], null));
    expect(step?.step.approvers).toEqual([{ kind: "crisis_team", crisisId: crisis.id, ref: `CR-${crisis.number}` }]);
    expect((await manager.post(`/api/v1/crisis/crises/${crisis.id}/held-posts/${held.id}`, { decision: "discard" })).status).toBe(200);
    await endMode(crisis.id);
  });

  it("approval requests for the crisis team's step are mailed to the crisis team only; to crisis managers when the team is empty", async () => {
    const crisis = await declare();
    await lockDown(crisis.id);
    const post = await schedule(member, "Asking the team", sandboxId, 90);
    expect(post.state).toBe("in_review");
    // The manager who declared it leads the crisis: the owner and the admin (who may decide it too) are not mailed.
    expect(await askedAbout(post.id)).toEqual([people.manager.email]);

    const roles = (await manager.get(`/api/v1/crisis/crises/${crisis.id}`)).body.roles as Array<{ id: string }>;
    for (const role of roles) expect((await manager.delete(`/api/v1/crisis/crises/${crisis.id}/roles/${role.id}`)).status).toBe(200);
    const nobodyOnTeam = await schedule(member, "Asking nobody in particular", sandboxId, 90);
    expect(await askedAbout(nobodyOnTeam.id)).toEqual([people.owner.email, people.admin.email, people.manager.email].sort());
    // A team again: its reminder goes to the team only.
    expect((await manager.post(`/api/v1/crisis/crises/${crisis.id}/roles`, { role: "lead", userId: people.admin.id })).status).toBe(200);
    services.clock.advance(31 * 60_000); // within an hour of its time: the 1 h reminder
    await unsafeRunApprovalDeadlines(services);
    const reminded = (await services.database.db.select().from(mailOutbox)).filter((m) => m.text.includes(`/posts/${nobodyOnTeam.id}`) && m.subject.toLowerCase().includes("reminder"));
    expect(reminded.map((m) => m.toAddress)).toEqual([people.admin.email]);
    for (const p of [post, nobodyOnTeam]) expect((await admin.post(`/api/v1/posts/${p.id}/reject`, { contentHash: p.contentHash, comment: "Not now" })).status).toBe(200);
    await endMode(crisis.id);
  });

  it("the crisis room lists the posts waiting for the crisis team's approval, with where each is; the team decides from the post", async () => {
    const workflow = await admin.post("/api/v1/approval-workflows", { name: "Legal", steps: [{ mode: "any", approvers: [{ kind: "user", userId: approverId }] }], channelIds: [realId] });
    expect(workflow.status, workflow.text).toBe(200);
    const crisis = await declare();
    await lockDown(crisis.id);
    const atTeam = await schedule(member, "A word to our customers", sandboxId, 45);
    const afterLegal = await schedule(member, "A word from our lawyers first", realId, 30);
    const awaiting = async (client: HttpClient) => {
      const res = await client.get(`/api/v1/crisis/crises/${crisis.id}/awaiting-approval`);
      expect(res.status, res.text).toBe(200);
      return res.body.posts as Array<{ postId: string; mayDecide: boolean }>;
    };

    const listed = await awaiting(manager);
    expect(listed).toEqual([
      {
        postId: afterLegal.id,
        text: "A word from our lawyers first",
        channels: [{ id: realId, handle: "emberoak-real", network: "testnet" }],
        authorId: people.member.id,
        authorName: expect.any(String),
        scheduledAt: inMinutes(30),
        submittedAt: services.clock().toISOString(),
        step: { index: 0, of: 2, label: "Legal · 1" },
        atCrisisTeamStep: false,
        mayDecide: false,
      },
      expect.objectContaining({ postId: atTeam.id, channels: [expect.objectContaining({ id: sandboxId, handle: "emberoak" })], step: { index: 0, of: 1, label: `CR-${crisis.number}` }, atCrisisTeamStep: true, mayDecide: true }),
    ]);
    // Its author reads the room too (on channels they can read) but decides nothing; someone who cannot read the channels sees none.
    expect((await awaiting(member)).map((p) => [p.postId, p.mayDecide])).toEqual([[afterLegal.id, false], [atTeam.id, false]]);
    const stranger = await buildUser(services, { name: "Stranger" });
    await inTransaction(unsafeSystemCtx(services, "test", workspaceId), (tx) => unsafeAddMemberDirectly(tx, { userId: stranger.id, role: "member" }));
    expect(await awaiting(await signedInClient(app, stranger))).toEqual([]);
    expect((await manager.get("/api/v1/crisis/crises/00000000-0000-4000-8000-000000000000/awaiting-approval")).status).toBe(404);

    // Legal approves: the crisis team's turn. The team approves from the post: it leaves the list.
    expect((await approve(approver, afterLegal)).status).toBe(200);
    // Legal's approver was asked first; once it is the crisis team's turn, the team (the manager, its lead) is asked.
    const [legal] = await services.database.db.select({ email: users.email }).from(users).where(eq(users.id, approverId));
    expect(await askedAbout(afterLegal.id)).toEqual([legal.email, people.manager.email].sort());
    expect((await awaiting(manager)).find((p) => p.postId === afterLegal.id)).toMatchObject({ step: { index: 1, of: 2, label: `CR-${crisis.number}` }, atCrisisTeamStep: true, mayDecide: true });
    expect((await approve(manager, atTeam)).status).toBe(200);
    expect((await awaiting(manager)).map((p) => p.postId)).toEqual([afterLegal.id]);
    expect((await manager.post(`/api/v1/posts/${afterLegal.id}/reject`, { contentHash: afterLegal.contentHash, comment: "Not now" })).status).toBe(200);
    expect(await awaiting(manager)).toEqual([]);
    await endMode(crisis.id);
    expect((await admin.delete(`/api/v1/approval-workflows/${workflow.body.id}`)).status).toBe(200);
  });
});
