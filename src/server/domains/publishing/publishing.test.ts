import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Role } from "../../../contracts/roles";
import { inTransaction, unsafeSystemCtx } from "../../context";
import { createApp } from "../../http/app";
import { unsafeAddMemberDirectly } from "../workspaces";
import { mailOutbox } from "../../mail/mail.schema";
import { findSandboxAccount, injectSandboxFault } from "../../networks/sandbox/network";
import { seedSandboxNetwork } from "../../networks/sandbox/seed";
import { sandboxPosts } from "../../networks/sandbox/sandbox.schema";
import type { Connector } from "../../networks/types";
import { unsafeClaimDueTargets, unsafePublishDue, DEFAULT_TIMING } from "./index";
import { postTargets } from "./publishing.schema";
import { describeEachDatabase } from "../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { buildUser, buildWorkspace, signedInClient } from "../../../../test/support/factories";
import type { HttpClient } from "../../../../test/support/http";
import { actionsSince, lastAuditSeq } from "../../../../test/support/audit";

/** The real Sandbox connector, counted: how often each post was sent, and looked for after an unknown outcome. */
function countedSandbox(real: Connector) {
  const sent = new Map<string, number>();
  const lookedFor = new Map<string, number>();
  const connector: Connector = {
    ...real,
    async publish(credentials, post) {
      sent.set(post.idempotencyKey, (sent.get(post.idempotencyKey) ?? 0) + 1);
      return real.publish!(credentials, post);
    },
    async findPublished(credentials, key, text) {
      lookedFor.set(key, (lookedFor.get(key) ?? 0) + 1);
      return real.findPublished!(credentials, key, text);
    },
  };
  return { connector, sent, lookedFor };
}

describeEachDatabase("publishing", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let people: Record<Role, { id: string; email: string }>;
  let admin: HttpClient;
  let manager: HttpClient;
  let member: HttpClient;
  let channelId: string;
  let accountId: string;
  let counted: ReturnType<typeof countedSandbox>;
  let workspaceId: string;

  beforeAll(async () => {
    services = await createTestServices(kind, { LOGIN_RATE_PER_MINUTE: "1000" });
    counted = countedSandbox(services.networks.connectorFor("sandbox"));
    services.networks.register(counted.connector);
    app = createApp(services);
    const built = await buildWorkspace(services);
    people = built.people;
    workspaceId = built.workspace.id;
    admin = await signedInClient(app, people.admin);
    manager = await signedInClient(app, people.manager);
    member = await signedInClient(app, people.member);
    await seedSandboxNetwork(services.database.db, services.clock());
    const channel = await admin.post("/api/v1/channels", { network: "sandbox", kind: "sandbox", handle: "emberoak" });
    expect(channel.status, channel.text).toBe(200);
    channelId = channel.body.id;
    accountId = (await findSandboxAccount(services.database.db, "emberoak"))!.id;
    // The manager publishes; the member (an intern) drafts for approval.
    const grants = await admin.put("/api/v1/channel-access", {
      changes: [
        { channelId, userId: people.manager.id, level: "publish" },
        { channelId, userId: people.member.id, level: "approval_required" },
      ],
    });
    expect(grants.status, grants.text).toBe(200);
  });
  afterAll(() => services.close());
  beforeEach(async () => {
    // Each test starts unpaused.
    const status = await admin.get("/api/v1/publishing/status");
    for (const pause of status.body.pauses) await admin.post(`/api/v1/publishing/pauses/${pause.id}/resume`);
  });

  const inMinutes = (minutes: number) => new Date(services.clock().getTime() + minutes * 60_000).toISOString();
  const schedule = async (client: HttpClient, text: string, minutes = 0) => {
    const res = await client.post("/api/v1/posts", { text, channels: [{ channelId }], scheduledAt: inMinutes(minutes) });
    expect(res.status, res.text).toBe(200);
    return res.body as { id: string; version: number; targets: Array<{ id: string; status: string }> };
  };
  const target = async (postId: string) => (await admin.get(`/api/v1/posts/${postId}`)).body.targets[0];
  const onNetwork = async (text: string) => services.database.db.select().from(sandboxPosts).where(and(eq(sandboxPosts.accountId, accountId), eq(sandboxPosts.text, text)));

  it("an intern drafts; scheduling without Full publishing submits it for approval; the manager schedules", async () => {
    const draft = await member.post("/api/v1/posts", { text: "New beans from Huila", channels: [{ channelId }] });
    expect(draft.status, draft.text).toBe(200);
    expect(draft.body).toMatchObject({ state: "draft", version: 1, targets: [{ channelId, status: "draft", text: "New beans from Huila" }] });
    expect(draft.body.history.map((e: { type: string }) => e.type)).toEqual(["created"]);
    const scheduled = await member.put(`/api/v1/posts/${draft.body.id}`, { text: "New beans from Huila", channels: [{ channelId }], scheduledAt: inMinutes(60), version: 1 });
    expect(scheduled.status, scheduled.text).toBe(200);
    expect(scheduled.body).toMatchObject({ state: "in_review", version: 2, targets: [{ status: "draft" }] }); // see approvals.test.ts
    const byManager = await manager.put(`/api/v1/posts/${draft.body.id}`, { text: "New beans from Huila!", channels: [{ channelId }], scheduledAt: inMinutes(60), version: 2 });
    expect(byManager.status, byManager.text).toBe(200);
    expect(byManager.body).toMatchObject({ state: "scheduled", version: 3, targets: [{ status: "scheduled" }] });
    expect(byManager.body.contentHash).not.toBe(draft.body.contentHash);
    // The intern's editor still had version 1: their save does not overwrite the manager's.
    const stale = await member.put(`/api/v1/posts/${draft.body.id}`, { text: "typo", channels: [{ channelId }], version: 1 });
    expect([stale.status, stale.body.error.code]).toEqual([409, "post_changed"]);
  });

  it("saving a post that did not change makes no new version, history line or audit event, and says so", async () => {
    const draft = await manager.post("/api/v1/posts", { text: "Roast day", channels: [{ channelId, text: "Roast day on emberoak" }] });
    expect(draft.status, draft.text).toBe(200);
    const before = await lastAuditSeq(services);
    // The same text (up to the spaces the server trims anyway), the same channel with its own text, no time.
    const same = await manager.put(`/api/v1/posts/${draft.body.id}`, { text: " Roast day ", channels: [{ channelId, text: "Roast day on emberoak" }], version: 1 });
    expect(same.status, same.text).toBe(200);
    expect(same.body).toMatchObject({ version: 1, state: "draft", contentHash: draft.body.contentHash, unchanged: true, updatedAt: draft.body.updatedAt });
    expect(await actionsSince(services, before)).toEqual([]);
    expect(same.body.history.map((e: { type: string }) => e.type)).toEqual(["created"]);
    // Any difference is a change: the channel's own text dropped, then a time.
    const ownTextDropped = await manager.put(`/api/v1/posts/${draft.body.id}`, { text: "Roast day", channels: [{ channelId }], version: 1 });
    expect([ownTextDropped.body.version, ownTextDropped.body.unchanged]).toEqual([2, undefined]);
    const at = inMinutes(120);
    const scheduled = await manager.put(`/api/v1/posts/${draft.body.id}`, { text: "Roast day", channels: [{ channelId }], scheduledAt: at, version: 2 });
    expect(scheduled.body).toMatchObject({ version: 3, state: "scheduled" });
    expect(await actionsSince(services, before)).toEqual(["post.updated", "post.updated"]);
    // A scheduled post saved again with the same time: unchanged, nothing moved or recorded.
    const seq = await lastAuditSeq(services);
    const again = await manager.put(`/api/v1/posts/${draft.body.id}`, { text: "Roast day", channels: [{ channelId }], scheduledAt: at, version: 3 });
    expect(again.body).toMatchObject({ version: 3, state: "scheduled", unchanged: true, targets: [{ status: "scheduled", dueAt: scheduled.body.targets[0].dueAt }] });
    expect(again.body.history.map((e: { type: string }) => e.type)).toEqual(scheduled.body.history.map((e: { type: string }) => e.type));
    // The same content at another time is a change.
    const moved = await manager.put(`/api/v1/posts/${draft.body.id}`, { text: "Roast day", channels: [{ channelId }], scheduledAt: inMinutes(180), version: 3 });
    expect([moved.body.version, moved.body.unchanged]).toEqual([4, undefined]);
    // Unchanged but from an old version is still someone else's change in between.
    const stale = await manager.put(`/api/v1/posts/${draft.body.id}`, { text: "Roast day", channels: [{ channelId }], scheduledAt: at, version: 3 });
    expect([stale.status, stale.body.error.code]).toEqual([409, "post_changed"]);
    expect(await actionsSince(services, seq)).toEqual(["post.updated"]);
    // An intern's post in review saved again as it is: not submitted a second time.
    const review = await member.post("/api/v1/posts", { text: "Please check", channels: [{ channelId }], scheduledAt: inMinutes(240) });
    expect(review.body).toMatchObject({ state: "in_review", version: 1 });
    const reviewSeq = await lastAuditSeq(services);
    const resaved = await member.put(`/api/v1/posts/${review.body.id}`, { text: "Please check", channels: [{ channelId }], scheduledAt: review.body.scheduledAt, version: 1 });
    expect(resaved.body).toMatchObject({ state: "in_review", version: 1, unchanged: true });
    expect(await actionsSince(services, reviewSeq)).toEqual([]);
  });

  it("refuses bad posts with stable codes and writes nothing", async () => {
    const before = await lastAuditSeq(services);
    const tooLong = await manager.post("/api/v1/posts", { text: "x".repeat(501), channels: [{ channelId }] });
    expect([tooLong.status, tooLong.body.error.code]).toEqual([422, "post_too_long"]);
    expect(tooLong.body.error.fields).toEqual({ text: ["At most 500 characters on @emberoak"] });
    const variantTooLong = await manager.post("/api/v1/posts", { text: "fine", channels: [{ channelId, text: "é".repeat(501) }] });
    expect(variantTooLong.body.error.fields).toEqual({ "channels.0.text": ["At most 500 characters on @emberoak"] });
    const past = await manager.post("/api/v1/posts", { text: "late", channels: [{ channelId }], scheduledAt: inMinutes(-10) });
    expect([past.status, past.body.error.code, Object.keys(past.body.error.fields)]).toEqual([400, "invalid_input", ["scheduledAt"]]);
    const none = await manager.post("/api/v1/posts", { text: "nowhere", channels: [] });
    expect([none.status, none.body.error.code]).toEqual([400, "invalid_input"]);
    const hidden = await manager.post("/api/v1/posts", { text: "?", channels: [{ channelId: "00000000-0000-4000-8000-000000000000" }] });
    expect(hidden.status).toBe(404);
    expect(await actionsSince(services, before)).toEqual([]);
  });

  it("publishes a due post once, records its network id and URL, and its history", async () => {
    const post = await schedule(manager, "Publish me once");
    const before = await lastAuditSeq(services);
    expect(await unsafePublishDue(services)).toEqual(["published"]);
    const published = (await admin.get(`/api/v1/posts/${post.id}`)).body;
    expect(published.targets[0]).toMatchObject({ status: "published", attempts: 1, failure: null });
    expect(published.targets[0].networkPostId).toMatch(/\S+/);
    expect(published.targets[0].url).toContain(`/sandbox/`);
    expect(published.history.map((e: { type: string }) => e.type)).toEqual(["created", "scheduled", "published"]);
    expect(await onNetwork("Publish me once")).toHaveLength(1);
    expect(counted.sent.get(post.targets[0].id)).toBe(1);
    expect(await actionsSince(services, before)).toEqual(["post.published"]);
    expect(await unsafePublishDue(services)).toEqual([]); // nothing due twice
  });

  it("retries rate limits after the network's wait and server errors with backoff", async () => {
    const post = await schedule(manager, "Through the storm");
    await injectSandboxFault(services.database.db, accountId, { kind: "rate_limited", retryAfterSeconds: 120, count: 1 }, services.clock());
    expect(await unsafePublishDue(services)).toEqual(["retry"]);
    let t = await target(post.id);
    expect(t).toMatchObject({ status: "scheduled", failure: { kind: "rate_limited" } });
    expect(new Date(t.dueAt).getTime() - services.clock().getTime()).toBe(120_000);
    expect(await unsafePublishDue(services)).toEqual([]); // not before the wait
    services.clock.advance(120_000);
    await injectSandboxFault(services.database.db, accountId, { kind: "server_error", count: 1 }, services.clock());
    expect(await unsafePublishDue(services)).toEqual(["retry"]);
    t = await target(post.id);
    expect(t).toMatchObject({ status: "scheduled", attempts: 2, failure: { kind: "transient" } });
    services.clock.advance(60_000);
    expect(await unsafePublishDue(services)).toEqual(["published"]);
    expect(await onNetwork("Through the storm")).toHaveLength(1);
  });

  it("an answer lost after the network accepted the post: reconciled, not sent again", async () => {
    const post = await schedule(manager, "Did it go out?");
    await injectSandboxFault(services.database.db, accountId, { kind: "timeout_after_accept", count: 1 }, services.clock());
    expect(await unsafePublishDue(services)).toEqual(["retry"]);
    expect(await target(post.id)).toMatchObject({ status: "scheduled", failure: { kind: "outcome_unknown" } });
    services.clock.advance(30_000);
    expect(await unsafePublishDue(services)).toEqual(["reconciled"]);
    const t = await target(post.id);
    expect(t).toMatchObject({ status: "published", failure: null });
    expect([counted.sent.get(t.id), counted.lookedFor.get(t.id)]).toEqual([1, 1]);
    expect(await onNetwork("Did it go out?")).toHaveLength(1);
    const history = (await admin.get(`/api/v1/posts/${post.id}`)).body.history as Array<{ type: string; data: Record<string, unknown> }>;
    expect(history.at(-1)).toMatchObject({ type: "published", data: { reconciled: true } });
  });

  it("a worker that died mid-call: its stale claim is reconciled, then published once", async () => {
    const post = await schedule(manager, "Worker died");
    const [claim] = await unsafeClaimDueTargets(services, 10);
    expect(claim.targetId).toBe(post.targets[0].id);
    // The worker is gone: nothing records an outcome. Before the lease ends, nobody else touches it.
    expect(await unsafePublishDue(services)).toEqual([]);
    expect(await target(post.id)).toMatchObject({ status: "publishing" });
    services.clock.advance(DEFAULT_TIMING.leaseMs + 1000);
    expect(await unsafePublishDue(services)).toEqual(["published"]);
    const t = await target(post.id);
    expect([t.status, counted.lookedFor.get(t.id), counted.sent.get(t.id)]).toEqual(["published", 1, 1]);
    expect(await onNetwork("Worker died")).toHaveLength(1);
  });

  it("expired access holds the post with the reason, marks the channel and tells the author and admins", async () => {
    const other = await admin.post("/api/v1/channels", { network: "sandbox", kind: "sandbox", handle: "emberoak_de" });
    const deAccount = (await findSandboxAccount(services.database.db, "emberoak_de"))!.id;
    const res = await admin.post("/api/v1/posts", { text: "Guten Morgen", channels: [{ channelId: other.body.id }], scheduledAt: inMinutes(0) });
    await injectSandboxFault(services.database.db, deAccount, { kind: "auth_expired", count: 1 }, services.clock());
    const mailsBefore = (await services.database.db.select().from(mailOutbox)).length;
    expect(await unsafePublishDue(services)).toEqual(["held"]);
    const t = (await admin.get(`/api/v1/posts/${res.body.id}`)).body.targets[0];
    expect(t).toMatchObject({ status: "held", heldReason: "needs_reconnect", failure: { kind: "auth_expired" } });
    expect((await admin.get(`/api/v1/channels/${other.body.id}`)).body.status).toBe("needs_reconnect");
    const mails = (await services.database.db.select().from(mailOutbox)).slice(mailsBefore);
    expect(mails.filter((m) => m.subject.includes("is held")).map((m) => m.toAddress).sort()).toEqual([people.admin.email, people.owner.email].sort());
    // While the channel needs reconnecting, newly due posts are held without calling the network.
    const next = await admin.post("/api/v1/posts", { text: "Noch einer", channels: [{ channelId: other.body.id }], scheduledAt: inMinutes(0) });
    expect(await unsafePublishDue(services)).toEqual([]);
    expect((await admin.get(`/api/v1/posts/${next.body.id}`)).body.targets[0]).toMatchObject({ status: "held", heldReason: "needs_reconnect" });
  });

  it("pause: scheduled posts are held, scheduling warns first, resume lists them and a person releases each", async () => {
    const waiting = await schedule(manager, "Held by the pause", 5);
    expect((await manager.post("/api/v1/publishing/pauses", { reason: "no" })).status).toBe(403);
    const before = await lastAuditSeq(services);
    const paused = await admin.post("/api/v1/publishing/pauses", { reason: "Crisis: recall of batch 42" });
    expect(paused.status, paused.text).toBe(200);
    expect(paused.body.held).toBeGreaterThanOrEqual(1);
    expect(await target(waiting.id)).toMatchObject({ status: "held", heldReason: "paused" });
    expect((await admin.post("/api/v1/publishing/pauses", { reason: "again" })).body.error.code).toBe("already_paused");
    const status = await member.get("/api/v1/publishing/status");
    expect(status.body).toMatchObject({ paused: true, pauses: [{ reason: "Crisis: recall of batch 42", pausedByName: "Admin", pausedVia: null }] });

    const warned = await manager.post("/api/v1/posts", { text: "During the pause", channels: [{ channelId }], scheduledAt: inMinutes(0) });
    expect([warned.status, warned.body.error.code]).toEqual([409, "publishing_paused"]);
    const anyway = await manager.post("/api/v1/posts", { text: "During the pause", channels: [{ channelId }], scheduledAt: inMinutes(0), acknowledgePause: true });
    expect(anyway.status, anyway.text).toBe(200);
    services.clock.advance(10 * 60_000);
    expect(await unsafePublishDue(services)).toEqual([]);
    expect(await target(anyway.body.id)).toMatchObject({ status: "held", heldReason: "paused" });
    const release = await manager.post("/api/v1/posts/held/release", { decisions: [{ targetId: anyway.body.targets[0].id, action: "publish_now" }] });
    expect([release.status, release.body.error.code]).toEqual([409, "publishing_paused"]);

    const resumed = await admin.post(`/api/v1/publishing/pauses/${paused.body.pause.id}/resume`);
    expect(resumed.status, resumed.text).toBe(200);
    expect(resumed.body.held.map((h: { postId: string }) => h.postId)).toEqual(expect.arrayContaining([waiting.id, anyway.body.id]));
    // Resuming releases nothing by itself.
    expect(await unsafePublishDue(services)).toEqual([]);
    const decided = await manager.post("/api/v1/posts/held/release", {
      decisions: [
        { targetId: waiting.targets[0].id, action: "keep_held" },
        { targetId: anyway.body.targets[0].id, action: "publish_now" },
      ],
    });
    expect(decided.status, decided.text).toBe(200);
    expect(await member.post("/api/v1/posts/held/release", { decisions: [{ targetId: waiting.targets[0].id, action: "publish_now" }] }).then((r) => r.status)).toBe(403);
    expect(await unsafePublishDue(services)).toEqual(["published"]);
    expect(await target(waiting.id)).toMatchObject({ status: "held" });
    expect(await actionsSince(services, before)).toEqual(["publishing.paused", "post.created", "publishing.resumed", "post.released", "post.published"]);
  });

  it("pausing chosen channels holds only those", async () => {
    const other = await admin.post("/api/v1/channels", { network: "sandbox", kind: "sandbox", handle: "emberoak_support" });
    const here = await schedule(manager, "Main account goes on");
    const there = await admin.post("/api/v1/posts", { text: "Support waits", channels: [{ channelId: other.body.id }], scheduledAt: inMinutes(0) });
    const paused = await admin.post("/api/v1/publishing/pauses", { reason: "Support under attack", channelIds: [other.body.id] });
    expect(paused.body.held).toBe(1);
    expect(await unsafePublishDue(services)).toEqual(["published"]);
    expect((await target(here.id)).status).toBe("published");
    expect((await admin.get(`/api/v1/posts/${there.body.id}`)).body.targets[0].status).toBe("held");
  });

  it("takes a published post down from the network and records who and why", async () => {
    const post = await schedule(manager, "Oops, wrong price");
    await unsafePublishDue(services);
    const t = await target(post.id);
    expect((await member.post(`/api/v1/posts/${post.id}/targets/${t.id}/take-down`, { reason: "wrong price" })).status).toBe(403);
    const before = await lastAuditSeq(services);
    const res = await manager.post(`/api/v1/posts/${post.id}/targets/${t.id}/take-down`, { reason: "Wrong price in the post" });
    expect(res.status, res.text).toBe(200);
    expect(res.body.targets[0]).toMatchObject({ status: "removed", removed: { by: people.manager.id, reason: "Wrong price in the post" } });
    const [row] = await onNetwork("Oops, wrong price");
    expect(row.deletedAt).not.toBeNull();
    expect(await actionsSince(services, before)).toEqual(["post.taken_down"]);
    const again = await manager.post(`/api/v1/posts/${post.id}/targets/${t.id}/take-down`, { reason: "again" });
    expect([again.status, again.body.error.code]).toEqual([409, "take_down_not_possible"]);
  });

  it("cancels what has not gone out; a published post cannot be edited", async () => {
    const post = await schedule(manager, "Never mind", 30);
    const cancelled = await manager.post(`/api/v1/posts/${post.id}/cancel`);
    expect(cancelled.body).toMatchObject({ state: "cancelled", targets: [{ status: "cancelled" }] });
    services.clock.advance(31 * 60_000);
    expect(await unsafePublishDue(services)).toEqual([]);
    const live = await schedule(manager, "Live now");
    await unsafePublishDue(services);
    const edit = await manager.put(`/api/v1/posts/${live.id}`, { text: "changed", channels: [{ channelId }], version: live.version });
    expect([edit.status, edit.body.error.code]).toEqual([409, "post_not_editable"]);
  });

  it("offboarding: the leaver's scheduled posts are held, their open posts go to the person chosen", async () => {
    const leaver = await buildUser(services, { name: "Leaver" });
    await inTransaction(unsafeSystemCtx(services, "test", workspaceId), (tx) => unsafeAddMemberDirectly(tx, { userId: leaver.id, role: "manager" }));
    await admin.put("/api/v1/channel-access", { changes: [{ channelId, userId: leaver.id, level: "publish" }] });
    const client = await signedInClient(app, leaver);
    const scheduled = await schedule(client, "Goes out under the leaver's name", 60);
    const draft = (await client.post("/api/v1/posts", { text: "Leaver's draft", channels: [{ channelId }] })).body;
    const self = await admin.delete(`/api/v1/workspace/members/${leaver.id}?transferTo=${leaver.id}`);
    expect([self.status, self.body.error.code]).toEqual([400, "invalid_input"]);
    const removed = await admin.delete(`/api/v1/workspace/members/${leaver.id}?transferTo=${people.manager.id}`);
    expect(removed.status, removed.text).toBe(200);
    expect(removed.body).toMatchObject({ postsHeld: 1, postsHandedOver: 2 });
    const held = (await admin.get(`/api/v1/posts/${scheduled.id}`)).body;
    expect(held).toMatchObject({ authorId: people.manager.id, targets: [{ status: "held", heldReason: "author_removed" }] });
    expect((await admin.get(`/api/v1/posts/${draft.id}`)).body).toMatchObject({ authorId: people.manager.id, targets: [{ status: "draft" }] });
    services.clock.advance(2 * 3_600_000);
    expect(await unsafePublishDue(services)).toEqual([]);
  });

  it("lists posts on the channels a reader can read", async () => {
    const listed = await member.get("/api/v1/posts");
    expect(listed.status).toBe(200);
    expect(listed.body.posts.length).toBeGreaterThan(0);
    const ids = new Set(listed.body.posts.flatMap((p: { targets: Array<{ channelId: string }> }) => p.targets.map((t) => t.channelId)));
    expect([...ids]).toEqual([channelId]); // the member has no access to the other channels
    // Newest first by time; a draft by when it was written.
    const times = listed.body.posts.map((p: { scheduledAt: string | null; createdAt: string }) => new Date(p.scheduledAt ?? p.createdAt).getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect((await member.get("/api/v1/posts?limit=2")).body.posts).toHaveLength(2);
    const rows = await services.database.db.select().from(postTargets);
    expect(rows.length).toBeGreaterThan(listed.body.posts.length);
  });
});
