import { afterAll, beforeAll, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { Role } from "../../../contracts/roles";
import { inTransaction, unsafeSystemCtx } from "../../context";
import { createApp } from "../../http/app";
import { unsafeAddMemberDirectly } from "../workspaces";
import { mailOutbox } from "../../mail/mail.schema";
import { seedSandboxNetwork } from "../../networks/sandbox/seed";
import { sandboxPosts } from "../../networks/sandbox/sandbox.schema";
import { unsafePublishDue, unsafeRunApprovalDeadlines } from "./index";
import { describeEachDatabase } from "../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { buildUser, buildWorkspace, signedInClient } from "../../../../test/support/factories";
import { httpClient, type HttpClient } from "../../../../test/support/http";
import { actionsSince, auditSince, lastAuditSeq } from "../../../../test/support/audit";

type Person = { id: string; email: string };

describeEachDatabase("approvals", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let people: Record<Role, Person>;
  let admin: HttpClient;
  let manager: HttpClient;
  let intern: HttpClient;
  let workspaceId: string;
  /** A channel without a workflow: the intern (Approval required) goes through the default one. */
  let openChannel: string;
  /** A channel with the two-step workflow: everyone goes through it. */
  let reviewedChannel: string;
  let workflowId: string;
  const extra: Record<"ana" | "ben" | "cem" | "dora", Person> = {} as never;
  const clients: Record<"ana" | "ben" | "cem" | "dora", HttpClient> = {} as never;
  let mailSeen = 0;

  beforeAll(async () => {
    services = await createTestServices(kind, { LOGIN_RATE_PER_MINUTE: "1000" });
    app = createApp(services);
    const built = await buildWorkspace(services);
    people = built.people;
    workspaceId = built.workspace.id;
    admin = await signedInClient(app, people.admin);
    manager = await signedInClient(app, people.manager);
    intern = await signedInClient(app, people.member);
    await seedSandboxNetwork(services.database.db, services.clock());
    openChannel = (await admin.post("/api/v1/channels", { network: "sandbox", kind: "sandbox", handle: "emberoak" })).body.id;
    reviewedChannel = (await admin.post("/api/v1/channels", { network: "sandbox", kind: "sandbox", handle: "emberoak_de" })).body.id;
    for (const name of ["ana", "ben", "cem", "dora"] as const) {
      const user = await buildUser(services, { name: name[0].toUpperCase() + name.slice(1) });
      await inTransaction(unsafeSystemCtx(services, "test", workspaceId), (tx) => unsafeAddMemberDirectly(tx, { userId: user.id, role: "member" }));
      extra[name] = user;
      clients[name] = await signedInClient(app, user);
    }
    const grants = await admin.put("/api/v1/channel-access", {
      changes: [
        { channelId: openChannel, userId: people.manager.id, level: "publish" },
        { channelId: reviewedChannel, userId: people.manager.id, level: "publish" },
        { channelId: openChannel, userId: people.member.id, level: "approval_required" },
        { channelId: reviewedChannel, userId: people.member.id, level: "approval_required" },
      ],
    });
    expect(grants.status, grants.text).toBe(200);
    // Ben and Cem are the legal team; Ana reviews in person; then an admin signs off.
    const team = await admin.post("/api/v1/workspace/teams", { name: "Legal reviewers" });
    expect(team.status, team.text).toBe(200);
    for (const who of [extra.ben, extra.cem]) expect((await admin.put(`/api/v1/workspace/teams/${team.body.id}/members/${who.id}`)).status).toBe(200);
    const workflow = await admin.post("/api/v1/approval-workflows", {
      name: "Legal review",
      steps: [
        { mode: "all", approvers: [{ kind: "user", userId: extra.ana.id }, { kind: "team", teamId: team.body.id }] },
        { mode: "any", approvers: [{ kind: "role", role: "admin" }] },
      ],
      channelIds: [reviewedChannel],
    });
    expect(workflow.status, workflow.text).toBe(200);
    workflowId = workflow.body.id;
  });
  afterAll(() => services.close());

  const inMinutes = (minutes: number) => new Date(services.clock().getTime() + minutes * 60_000).toISOString();
  const compose = async (client: HttpClient, text: string, channelId: string, minutes: number | null) => {
    const res = await client.post("/api/v1/posts", { text, channels: [{ channelId }], scheduledAt: minutes === null ? null : inMinutes(minutes) });
    expect(res.status, res.text).toBe(200);
    return res.body as { id: string; version: number; contentHash: string; state: string; targets: Array<{ id: string; status: string }> };
  };
  const newMail = async () => {
    const rows = await services.database.db.select().from(mailOutbox);
    const fresh = rows.slice(mailSeen);
    mailSeen = rows.length;
    return fresh;
  };
  const approve = (client: HttpClient, postId: string, contentHash: string, comment?: string) => client.post(`/api/v1/posts/${postId}/approve`, { contentHash, comment });
  /** Sessions end after a day without use: after moving the clock a day on, everyone signs in again. */
  const signInAgain = async () => {
    admin = await signedInClient(app, people.admin);
    manager = await signedInClient(app, people.manager);
    intern = await signedInClient(app, people.member);
    for (const name of ["ana", "ben", "cem", "dora"] as const) clients[name] = await signedInClient(app, extra[name]);
  };
  const errorOf = (res: { status: number; body: { error?: { code: string } } }) => [res.status, res.body.error?.code];
  const historyOf = async (postId: string) => (await admin.get(`/api/v1/posts/${postId}`)).body.history as Array<{ type: string; actor: string; data: Record<string, unknown> }>;

  it("workflows are managed by admins only, with checked approvers", async () => {
    const byManager = await manager.post("/api/v1/approval-workflows", { name: "Mine", steps: [{ mode: "any", approvers: [{ kind: "role", role: "manager" }] }], channelIds: [] });
    expect(byManager.status).toBe(403);
    const bad = await admin.post("/api/v1/approval-workflows", {
      name: " ",
      steps: [{ mode: "any", approvers: [{ kind: "user", userId: "00000000-0000-4000-8000-000000000000" }] }, { mode: "all", approvers: [] }],
      channelIds: [],
    });
    expect(errorOf(bad)).toEqual([400, "invalid_input"]);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(["name", "steps.0.approvers.0", "steps.1.approvers"]);
    const list = await intern.get("/api/v1/approval-workflows");
    expect(list.body.workflows).toMatchObject([{ id: workflowId, name: "Legal review", channelIds: [reviewedChannel] }]);
  });

  it("an intern's post on a channel without a workflow: submitted, not refused; one with Full publishing approves; it goes out", async () => {
    await newMail();
    const before = await lastAuditSeq(services);
    const post = await compose(intern, "Harvest notes from Huila", openChannel, 30);
    expect(post).toMatchObject({ state: "in_review", targets: [{ status: "draft" }] });
    const runs = (await intern.get(`/api/v1/posts/${post.id}/approvals`)).body.runs;
    expect(runs).toMatchObject([{ status: "pending", version: 1, contentHash: post.contentHash, currentStep: 0, steps: [{ label: "@emberoak", mode: "any", approvers: [{ kind: "channel_publishers", channelId: openChannel }] }] }]);
    // Everyone with Full publishing on the channel is asked: the owner and admin by their role, the manager by grant.
    const asked = (await newMail()).filter((m) => m.subject.includes("waits for your approval")).map((m) => m.toAddress).sort();
    expect(asked).toEqual([people.owner.email, people.admin.email, people.manager.email].sort());
    expect((await manager.get("/api/v1/approvals/waiting/count")).body).toEqual({ count: 1 });
    expect((await intern.get("/api/v1/approvals/waiting")).body.items).toEqual([]); // not their own
    // Someone the step does not name cannot approve; nor can the author; a stale version is refused.
    expect(errorOf(await approve(clients.ana, post.id, post.contentHash))).toEqual([403, "not_an_approver"]);
    expect(errorOf(await approve(intern, post.id, post.contentHash))).toEqual([403, "cannot_approve_own_post"]);
    expect(errorOf(await approve(manager, post.id, "0".repeat(64)))).toEqual([409, "post_changed"]);
    const approved = await approve(manager, post.id, post.contentHash, "Lovely");
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body.post).toMatchObject({ state: "scheduled", targets: [{ status: "scheduled" }] });
    expect(approved.body.approvals[0]).toMatchObject({ status: "approved", decisions: [{ userId: people.manager.id, decision: "approved", comment: "Lovely", contentHash: post.contentHash }] });
    expect(errorOf(await approve(admin, post.id, post.contentHash))).toEqual([409, "post_not_in_review"]);
    expect((await manager.get("/api/v1/approvals/waiting/count")).body).toEqual({ count: 0 });
    expect((await historyOf(post.id)).map((e) => e.type)).toEqual(["created", "submitted", "approved", "approval_completed", "scheduled"]);
    expect(await actionsSince(services, before)).toEqual(["post.created", "post.submitted", "post.approved"]);
    services.clock.advance(31 * 60_000);
    expect(await unsafePublishDue(services)).toEqual(["published"]);
    expect(await services.database.db.select().from(sandboxPosts).where(eq(sandboxPosts.text, "Harvest notes from Huila"))).toHaveLength(1);
  });

  it("a two-step workflow applies to everyone on its channel; 'all' needs every slot (a team is one slot); the next step's approvers are mailed", async () => {
    await newMail();
    const post = await compose(manager, "Neue Bohnen aus Huila", reviewedChannel, 120);
    expect(post.state).toBe("in_review"); // Full publishing, but the channel has a workflow
    expect((await newMail()).map((m) => m.toAddress).sort()).toEqual([extra.ana.email, extra.ben.email, extra.cem.email].sort());
    for (const who of ["ana", "ben", "cem"] as const) expect((await clients[who].get("/api/v1/approvals/waiting")).body.items.map((i: { post: { id: string } }) => i.post.id)).toEqual([post.id]);
    expect((await admin.get("/api/v1/approvals/waiting/count")).body.count).toBe(0); // step 2 is not current yet
    expect(errorOf(await approve(manager, post.id, post.contentHash))).toEqual([403, "cannot_approve_own_post"]);
    const first = await approve(clients.ben, post.id, post.contentHash);
    expect(first.body.post.state).toBe("in_review"); // Ana's slot is still open
    expect(errorOf(await approve(clients.ben, post.id, post.contentHash))).toEqual([409, "already_decided"]);
    // Ben filled the team's slot: Cem (same team) has nothing left to fill.
    expect((await clients.cem.get("/api/v1/approvals/waiting")).body.items).toEqual([]);
    expect(errorOf(await approve(clients.cem, post.id, post.contentHash))).toEqual([403, "not_an_approver"]);
    await newMail();
    const second = await approve(clients.ana, post.id, post.contentHash);
    expect(second.body.approvals[0]).toMatchObject({ status: "pending", currentStep: 1 });
    expect((await newMail()).filter((m) => m.subject.includes("waits for your approval")).map((m) => m.toAddress)).toEqual([people.admin.email]);
    expect((await admin.get("/api/v1/approvals/waiting")).body.items).toMatchObject([{ post: { id: post.id }, step: { index: 1, of: 2, label: "Legal review · 2", mode: "any" } }]);
    const last = await approve(admin, post.id, post.contentHash);
    expect(last.body.post).toMatchObject({ state: "scheduled", targets: [{ status: "scheduled" }] });
    expect(last.body.approvals[0].decisions.map((d: { userId: string; step: number }) => [d.step, d.userId])).toEqual([
      [0, extra.ben.id],
      [0, extra.ana.id],
      [1, people.admin.id],
    ]);
  });

  it("an edit after an approval invalidates it and sends the post back; the history shows who approved which version", async () => {
    const post = await compose(manager, "Cupping on Friday", reviewedChannel, 180);
    expect((await approve(clients.ana, post.id, post.contentHash)).status).toBe(200);
    const edited = await manager.put(`/api/v1/posts/${post.id}`, { text: "Cupping on Saturday", channels: [{ channelId: reviewedChannel }], scheduledAt: inMinutes(180), version: post.version });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body).toMatchObject({ state: "in_review", version: 2, targets: [{ status: "draft" }] });
    expect(edited.body.contentHash).not.toBe(post.contentHash);
    // Ana's approval was for the old text: she is asked again, and her old approval cannot be replayed.
    expect(errorOf(await approve(clients.ana, post.id, post.contentHash))).toEqual([409, "post_changed"]);
    const runs = (await admin.get(`/api/v1/posts/${post.id}/approvals`)).body.runs;
    expect(runs).toMatchObject([
      { status: "invalidated", version: 1, contentHash: post.contentHash, decisions: [{ userId: extra.ana.id, decision: "approved", contentHash: post.contentHash }] },
      { status: "pending", version: 2, contentHash: edited.body.contentHash, currentStep: 0, decisions: [] },
    ]);
    const history = await historyOf(post.id);
    expect(history.map((e) => e.type)).toEqual(["created", "submitted", "approved", "approval_invalidated", "edited", "submitted"]);
    expect(history[2]).toMatchObject({ actor: "Ana", data: { version: 1, contentHash: post.contentHash } });
    expect((await clients.ana.get("/api/v1/approvals/waiting")).body.items.map((i: { post: { id: string } }) => i.post.id)).toContain(post.id);
    // A change of time alone keeps the content, and the run.
    const retimed = await manager.put(`/api/v1/posts/${post.id}`, { text: "Cupping on Saturday", channels: [{ channelId: reviewedChannel }], scheduledAt: inMinutes(200), version: 2 });
    expect(retimed.body.state).toBe("in_review");
    expect((await admin.get(`/api/v1/posts/${post.id}/approvals`)).body.runs).toHaveLength(2);
  });

  it("publish now needs approval first: approved, the author publishes that exact content without another approval; a change needs one", async () => {
    const post = await compose(intern, "Flash sale today", openChannel, 0);
    expect(post).toMatchObject({ state: "in_review", targets: [{ status: "draft" }] });
    expect((await admin.get(`/api/v1/posts/${post.id}`)).body.scheduledAt).toBeNull(); // no deadline to miss
    const approved = await approve(manager, post.id, post.contentHash);
    expect(approved.body.post).toMatchObject({ state: "approved", targets: [{ status: "draft" }] });
    const go = await intern.put(`/api/v1/posts/${post.id}`, { text: "Flash sale today", channels: [{ channelId: openChannel }], scheduledAt: inMinutes(0), version: 1 });
    expect(go.body).toMatchObject({ state: "scheduled", targets: [{ status: "scheduled" }] });
    expect(await unsafePublishDue(services)).toEqual(["published"]);

    const other = await compose(intern, "Flash sale tomorrow", openChannel, null);
    expect(other.state).toBe("draft");
    const submitted = await intern.put(`/api/v1/posts/${other.id}`, { text: "Flash sale tomorrow", channels: [{ channelId: openChannel }], scheduledAt: inMinutes(0), version: 1 });
    await approve(manager, other.id, submitted.body.contentHash);
    const changed = await intern.put(`/api/v1/posts/${other.id}`, { text: "Flash sale tomorrow!!", channels: [{ channelId: openChannel }], scheduledAt: inMinutes(0), version: 2 });
    expect(changed.body).toMatchObject({ state: "in_review", targets: [{ status: "draft" }] });
    expect(await unsafePublishDue(services)).toEqual([]);
  });

  it("reject needs a comment and sends the post back to draft; audited and in its history", async () => {
    const post = await compose(intern, "Our beans are the best in the world", openChannel, 60);
    const bare = await manager.post(`/api/v1/posts/${post.id}/reject`, { contentHash: post.contentHash });
    expect(errorOf(bare)).toEqual([400, "invalid_input"]);
    const before = await lastAuditSeq(services);
    const rejected = await manager.post(`/api/v1/posts/${post.id}/reject`, { contentHash: post.contentHash, comment: "We cannot claim that" });
    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.body.post).toMatchObject({ state: "draft", targets: [{ status: "draft" }] });
    expect(rejected.body.approvals[0]).toMatchObject({ status: "rejected", decisions: [{ decision: "rejected", comment: "We cannot claim that" }] });
    expect((await historyOf(post.id)).at(-1)).toMatchObject({ type: "rejected", data: { comment: "We cannot claim that", contentHash: post.contentHash } });
    const told = (await services.database.db.select().from(mailOutbox)).filter((m) => m.toAddress === people.member.email && m.subject === "Manager did not approve your post");
    expect(told).toHaveLength(1);
    expect(told[0].text).toContain("We cannot claim that");
    const audit = await auditSince(services, before, { action: "post.rejected" });
    expect(audit.map((a) => a.data)).toMatchObject([{ postId: post.id, comment: "We cannot claim that", version: 1 }]);
  });

  it("a post for several channels goes through the workflows of all of them, one after the other", async () => {
    const res = await intern.post("/api/v1/posts", { text: "Both shops open late", channels: [{ channelId: openChannel }, { channelId: reviewedChannel }], scheduledAt: inMinutes(600) });
    expect(res.status, res.text).toBe(200);
    expect(res.body.state).toBe("in_review");
    const [run] = (await admin.get(`/api/v1/posts/${res.body.id}/approvals`)).body.runs;
    expect(run.steps.map((s: { label: string; mode: string }) => [s.label, s.mode])).toEqual([
      ["@emberoak", "any"],
      ["Legal review · 1", "all"],
      ["Legal review · 2", "any"],
    ]);
    // Legal is not asked before the first step is done.
    expect((await clients.ana.get("/api/v1/approvals/waiting")).body.items.map((i: { post: { id: string } }) => i.post.id)).not.toContain(res.body.id);
    await approve(manager, res.body.id, res.body.contentHash);
    expect((await clients.ana.get("/api/v1/approvals/waiting")).body.items.map((i: { post: { id: string } }) => i.post.id)).toContain(res.body.id);
    const rejected = await clients.ana.post(`/api/v1/posts/${res.body.id}/reject`, { contentHash: res.body.contentHash, comment: "Not on the German shop" });
    expect(rejected.body.post.state).toBe("draft");
  });

  it("deadlines: approvers are reminded 24 h and 1 h before, once each; not approved in time, the post expires and its author is told", async () => {
    const post = await compose(intern, "Weekend opening hours", openChannel, 26 * 60);
    await newMail();
    expect(await unsafeRunApprovalDeadlines(services)).toEqual({ expired: 0, reminded: 0 });
    services.clock.advance(2 * 3_600_000 + 60_000); // 23 h 59 before
    expect((await unsafeRunApprovalDeadlines(services)).reminded).toBe(1);
    const first = (await newMail()).filter((m) => m.subject.startsWith("Reminder"));
    expect(first.map((m) => m.toAddress).sort()).toEqual([people.owner.email, people.admin.email, people.manager.email].sort());
    expect((await unsafeRunApprovalDeadlines(services)).reminded).toBe(0); // once
    services.clock.advance(23 * 3_600_000); // 59 min before
    expect((await unsafeRunApprovalDeadlines(services)).reminded).toBe(1);
    expect((await newMail()).filter((m) => m.subject.startsWith("Reminder"))).toHaveLength(3);
    expect((await unsafeRunApprovalDeadlines(services)).reminded).toBe(0);
    services.clock.advance(60 * 60_000); // the time has come
    await signInAgain();
    expect(errorOf(await approve(manager, post.id, post.contentHash))).toEqual([409, "approval_too_late"]);
    const before = await lastAuditSeq(services);
    expect((await unsafeRunApprovalDeadlines(services)).expired).toBe(1);
    const expired = (await admin.get(`/api/v1/posts/${post.id}`)).body;
    expect(expired).toMatchObject({ state: "expired", targets: [{ status: "draft" }] });
    expect(expired.history.at(-1)).toMatchObject({ type: "expired", actor: "approvals.deadlines" });
    const told = await newMail();
    expect(told.map((m) => [m.toAddress, m.subject])).toEqual([[people.member.email, "Your post was not approved in time and was not published"]]);
    expect(await actionsSince(services, before)).toEqual(["post.approval_expired"]);
    await unsafePublishDue(services); // (other posts are due by now)
    expect(await services.database.db.select().from(sandboxPosts).where(eq(sandboxPosts.text, "Weekend opening hours"))).toHaveLength(0);
    expect(errorOf(await approve(manager, post.id, post.contentHash))).toEqual([409, "post_not_in_review"]);
    expect((await unsafeRunApprovalDeadlines(services)).expired).toBe(0);
    // A new time sends it to the approvers again.
    const again = await intern.put(`/api/v1/posts/${post.id}`, { text: "Weekend opening hours", channels: [{ channelId: openChannel }], scheduledAt: inMinutes(90), version: 1 });
    expect(again.body.state).toBe("in_review");
  });

  it("offboarding: a leaver's open approval slots go to the chosen person, or are dropped so the others decide", async () => {
    const people2 = { ...extra };
    const flow = await admin.post("/api/v1/approval-workflows", {
      name: "Two people",
      steps: [{ mode: "all", approvers: [{ kind: "user", userId: people2.cem.id }, { kind: "user", userId: people2.dora.id }] }],
      channelIds: [],
    });
    const extraChannel = (await admin.post("/api/v1/channels", { network: "sandbox", kind: "sandbox", handle: "emberoak_support" })).body.id;
    expect((await admin.put(`/api/v1/approval-workflows/${flow.body.id}`, { ...flow.body, channelIds: [extraChannel] })).status).toBe(200);
    await admin.put("/api/v1/channel-access", { changes: [{ channelId: extraChannel, userId: people.manager.id, level: "publish" }] });
    const post = await compose(manager, "Support hours change", extraChannel, 600);
    const before = await lastAuditSeq(services);
    // Cem leaves, his place goes to Ana.
    const cemLeaves = await admin.delete(`/api/v1/workspace/members/${people2.cem.id}?transferTo=${people2.ana.id}`);
    expect(cemLeaves.status, cemLeaves.text).toBe(200);
    expect(cemLeaves.body).toMatchObject({ approvalsReassigned: 1 });
    expect((await auditSince(services, before, { action: "member.removed" }))[0].data).toMatchObject({ approvalsReassigned: 1 });
    expect((await clients.ana.get("/api/v1/approvals/waiting")).body.items.map((i: { post: { id: string } }) => i.post.id)).toContain(post.id);
    // Dora leaves; the person chosen is the post's author, who cannot approve it: her slot is dropped.
    const doraLeaves = await admin.delete(`/api/v1/workspace/members/${people2.dora.id}?transferTo=${people.manager.id}`);
    expect(doraLeaves.body).toMatchObject({ approvalsReassigned: 0, approvalsDropped: 1 });
    const run = (await admin.get(`/api/v1/posts/${post.id}/approvals`)).body.runs[0];
    expect(run.steps[0].approvers).toMatchObject([
      { kind: "user", userId: people2.ana.id, reassignedFrom: people2.cem.id, dropped: false },
      { kind: "user", userId: people2.dora.id, dropped: true },
    ]);
    // Ana alone now completes the "all" step.
    const done = await approve(clients.ana, post.id, post.contentHash);
    expect(done.body.post.state).toBe("scheduled");
    expect((await historyOf(post.id)).map((e) => e.type)).toContain("approvers_reassigned");
    // Nothing was published early.
    expect(await services.database.db.select().from(sandboxPosts).where(eq(sandboxPosts.text, "Support hours change"))).toHaveLength(0);
  });

  it("external approvers: a single-purpose link by mail, the post as it will appear, approve or reject without an account; revocable, expiring, audited", async () => {
    await signInAgain();
    const changed = await admin.put(`/api/v1/approval-workflows/${workflowId}`, {
      name: "Client sign-off",
      steps: [{ mode: "any", approvers: [{ kind: "external", email: "Clara@Client.example", name: "Clara Client" }] }],
      channelIds: [reviewedChannel],
    });
    expect(changed.status, changed.text).toBe(200);
    const anonymous = httpClient(app);
    await newMail();
    const linkFor = async () => {
      const mails = (await newMail()).filter((m) => m.toAddress === "clara@client.example");
      expect(mails).toHaveLength(1);
      expect(mails[0].subject).toContain("asks for your approval");
      return decodeURIComponent(/token=([^\s]+)/.exec(mails[0].text)![1]);
    };
    const post = await compose(manager, "Guest roaster: Clara's Kenyan lot", reviewedChannel, 300);
    const token = await linkFor();
    const before = await lastAuditSeq(services);
    const view = await anonymous.get(`/api/v1/external-approvals/${token}`);
    expect(view.status, view.text).toBe(200);
    expect(view.body).toMatchObject({ approver: { name: "Clara Client", email: "clara@client.example" }, contentHash: post.contentHash, channels: [{ handle: "emberoak_de", text: "Guest roaster: Clara's Kenyan lot" }] });
    expect(errorOf(await anonymous.get(`/api/v1/external-approvals/ppa_${"x".repeat(43)}`))).toEqual([410, "approval_link_invalid"]);
    expect(errorOf(await anonymous.post(`/api/v1/external-approvals/${token}/reject`, { contentHash: post.contentHash }))).toEqual([400, "invalid_input"]);
    const approved = await anonymous.post(`/api/v1/external-approvals/${token}/approve`, { contentHash: post.contentHash, comment: "Looks great" });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toEqual({ decision: "approved", postState: "scheduled" });
    // Single purpose: used once, it no longer works.
    expect(errorOf(await anonymous.post(`/api/v1/external-approvals/${token}/approve`, { contentHash: post.contentHash }))).toEqual([410, "approval_link_invalid"]);
    expect(errorOf(await anonymous.get(`/api/v1/external-approvals/${token}`))).toEqual([410, "approval_link_invalid"]);
    expect((await historyOf(post.id)).find((e) => e.type === "approved")).toMatchObject({ actor: "Clara Client <clara@client.example> (external)", data: { contentHash: post.contentHash, external: "clara@client.example" } });
    expect(await actionsSince(services, before)).toEqual(["post.external_link_opened", "post.approved"]);
    const run = (await admin.get(`/api/v1/posts/${post.id}/approvals`)).body.runs[0];
    expect(run.steps[0].approvers[0]).toMatchObject({ kind: "external", link: { revoked: false } });
    expect(JSON.stringify(run)).not.toContain("hash\"");

    // Revoked by the author: the link stops working; someone else may not revoke it.
    const second = await compose(manager, "Guest roaster: the second lot", reviewedChannel, 300);
    const secondToken = await linkFor();
    expect((await intern.post(`/api/v1/posts/${second.id}/approvals/external-links/revoke`, { step: 0, slot: 0 })).status).toBe(403);
    const revoked = await manager.post(`/api/v1/posts/${second.id}/approvals/external-links/revoke`, { step: 0, slot: 0 });
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body.runs[0].steps[0].approvers[0].link).toMatchObject({ revoked: true });
    expect(errorOf(await anonymous.get(`/api/v1/external-approvals/${secondToken}`))).toEqual([410, "approval_link_invalid"]);
    // An edit sends a new link; the old one is dead.
    const edited = await manager.put(`/api/v1/posts/${second.id}`, { text: "Guest roaster: the second lot!", channels: [{ channelId: reviewedChannel }], scheduledAt: inMinutes(30), version: 1 });
    expect(edited.body.state).toBe("in_review");
    const thirdToken = await linkFor();
    expect((await anonymous.get(`/api/v1/external-approvals/${thirdToken}`)).status).toBe(200);
    // It expires at the post's scheduled time.
    services.clock.advance(31 * 60_000);
    expect(errorOf(await anonymous.get(`/api/v1/external-approvals/${thirdToken}`))).toEqual([410, "approval_link_invalid"]);
  });
});
