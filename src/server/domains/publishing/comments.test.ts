import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import type { Role } from "../../../contracts/roles";
import { inTransaction, unsafeSystemCtx } from "../../context";
import { createApp } from "../../http/app";
import { unsafeAddMemberDirectly } from "../workspaces";
import { mailOutbox } from "../../mail/mail.schema";
import { seedSandboxNetwork } from "../../networks/sandbox/seed";
import { describeEachDatabase } from "../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { buildUser, buildWorkspace, signedInClient } from "../../../../test/support/factories";
import { httpClient, type HttpClient } from "../../../../test/support/http";
import { auditSince, lastAuditSeq } from "../../../../test/support/audit";

type Person = { id: string; email: string; name?: string };

describeEachDatabase("internal comments on a post", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let people: Record<Role, Person>;
  let admin: HttpClient;
  let manager: HttpClient;
  let intern: HttpClient;
  /** Read only on the channel: may see the post and comment. */
  let reader: HttpClient;
  let readerPerson: Person;
  /** A member without access to the post's channel. */
  let outsider: HttpClient;
  let outsiderPerson: Person;
  let workspaceId: string;
  let channelId: string;
  let otherChannelId: string;
  let postId: string;

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
    channelId = (await admin.post("/api/v1/channels", { network: "sandbox", kind: "sandbox", handle: "emberoak" })).body.id;
    otherChannelId = (await admin.post("/api/v1/channels", { network: "sandbox", kind: "sandbox", handle: "emberoak_de" })).body.id;
    readerPerson = await buildUser(services, { name: "Rita Reader" });
    outsiderPerson = await buildUser(services, { name: "Otto Outside" });
    for (const user of [readerPerson, outsiderPerson]) {
      await inTransaction(unsafeSystemCtx(services, "test", workspaceId), (tx) => unsafeAddMemberDirectly(tx, { userId: user.id, role: "member" }));
    }
    reader = await signedInClient(app, readerPerson);
    outsider = await signedInClient(app, outsiderPerson);
    const grants = await admin.put("/api/v1/channel-access", {
      changes: [
        { channelId, userId: people.manager.id, level: "publish" },
        { channelId, userId: people.member.id, level: "approval_required" },
        { channelId, userId: readerPerson.id, level: "read" },
        { channelId: otherChannelId, userId: outsiderPerson.id, level: "publish" },
      ],
    });
    expect(grants.status, grants.text).toBe(200);
    const post = await intern.post("/api/v1/posts", { text: "New single-origin from Huila, roasting Friday", channels: [{ channelId }] });
    expect(post.status, post.text).toBe(200);
    postId = post.body.id;
  });
  afterAll(() => services.close());
  // Comments are listed by when they were written: the test clock moves between them.
  beforeEach(() => services.clock.advance(1000));

  /** Every mail to `email` so far, oldest first. */
  const allMailTo = async (email: string) => services.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, email)).orderBy(asc(mailOutbox.createdAt));
  /** A mark to take before a command; `mailsTo(email, mark)` is what was mailed to `email` after it. */
  const mailMark = async () => Object.fromEntries(await Promise.all([readerPerson, outsiderPerson, people.member].map(async (p) => [p.email, (await allMailTo(p.email)).length])));
  const mailsTo = async (email: string, mark: Record<string, number>) => (await allMailTo(email)).slice(mark[email] ?? 0);

  it("lets whoever can see the post comment on it, on its current version, and audits it", async () => {
    const seq = await lastAuditSeq(services);
    const added = await manager.post(`/api/v1/posts/${postId}/comments`, { body: "  Can we name the farm?  " });
    expect(added.status, added.text).toBe(200);
    expect(added.body).toMatchObject({ postId, body: "Can we name the farm?", postVersion: 1, mentions: [], editedAt: null, can: { edit: true, delete: true } });
    expect(added.body.author).toBe(people.manager.name ?? people.manager.email);
    services.clock.advance(1000);
    // Read only on the channel is enough to read and to comment.
    const byReader = await reader.post(`/api/v1/posts/${postId}/comments`, { body: "Legal is fine with it" });
    expect(byReader.status, byReader.text).toBe(200);
    const list = await intern.get(`/api/v1/posts/${postId}/comments`);
    expect(list.status).toBe(200);
    expect(list.body.canComment).toBe(true);
    expect(list.body.postVersion).toBe(1);
    expect(list.body.comments.map((c: { body: string }) => c.body)).toEqual(["Can we name the farm?", "Legal is fine with it"]);
    // The intern did not write these: they may not edit or delete them.
    expect(list.body.comments.map((c: { can: unknown }) => c.can)).toEqual([{ edit: false, delete: false }, { edit: false, delete: false }]);
    const audit = await auditSince(services, seq, { action: "post.comment_added" });
    expect(audit.map((a) => a.data)).toEqual([
      { postId, commentId: added.body.id, postVersion: 1, mentions: [], notified: 0 },
      { postId, commentId: byReader.body.id, postVersion: 1, mentions: [], notified: 0 },
    ]);
  });

  it("hides the comments of a post from someone who cannot see it, and refuses their comments", async () => {
    expect((await outsider.get(`/api/v1/posts/${postId}/comments`)).status).toBe(404);
    const refused = await outsider.post(`/api/v1/posts/${postId}/comments`, { body: "Let me in" });
    expect([refused.status, refused.body.error.code]).toEqual([404, "not_found"]);
    expect((await outsider.get(`/api/v1/posts/${postId}/comments/mentionable`)).status).toBe(404);
    const anonymous = httpClient(app);
    expect((await anonymous.get(`/api/v1/posts/${postId}/comments`)).status).toBe(401);
  });

  it("records the version a comment was written on, and keeps it after the post changes", async () => {
    const post = await intern.get(`/api/v1/posts/${postId}`);
    const edited = await intern.put(`/api/v1/posts/${postId}`, { text: "New single-origin from Huila (Finca El Mirador), roasting Friday", channels: [{ channelId }], version: post.body.version });
    expect(edited.status, edited.text).toBe(200);
    const added = await intern.post(`/api/v1/posts/${postId}/comments`, { body: "Named it" });
    expect(added.body.postVersion).toBe(2);
    const list = await manager.get(`/api/v1/posts/${postId}/comments`);
    expect(list.body.postVersion).toBe(2);
    expect(list.body.comments.map((c: { postVersion: number }) => c.postVersion)).toEqual([1, 1, 2]);
  });

  it("mails the people a comment @mentions, in their language, and lists who may be mentioned", async () => {
    const since = await mailMark();
    expect((await reader.patch("/api/v1/me", { locale: "de" })).status).toBe(200);
    const mentionable = await intern.get(`/api/v1/posts/${postId}/comments/mentionable`);
    expect(mentionable.status).toBe(200);
    const ids = mentionable.body.people.map((p: { userId: string }) => p.userId);
    // Owners and admins see every channel; the manager, intern and reader have a level on it; Otto has none.
    expect(ids).toEqual(expect.arrayContaining([people.owner.id, people.admin.id, people.manager.id, people.member.id, readerPerson.id]));
    expect(ids).not.toContain(outsiderPerson.id);
    const seq = await lastAuditSeq(services);
    const added = await intern.post(`/api/v1/posts/${postId}/comments`, { body: "@Rita Reader can you check the farm name? @me too", mentions: [readerPerson.id, people.member.id] });
    expect(added.status, added.text).toBe(200);
    expect(added.body.mentions).toEqual([
      { userId: readerPerson.id, name: "Rita Reader" },
      { userId: people.member.id, name: expect.any(String) },
    ]);
    const mails = await mailsTo(readerPerson.email, since);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toContain("erwähnt");
    expect(mails[0].text).toContain("can you check the farm name?");
    expect(mails[0].text).toContain(`/posts/${postId}`);
    // The writer mentioning themselves is not mailed.
    expect(await mailsTo(people.member.email, since)).toHaveLength(0);
    const [audit] = await auditSince(services, seq, { action: "post.comment_added" });
    expect(audit.data).toMatchObject({ mentions: [readerPerson.id, people.member.id], notified: 1 });
  });

  it("refuses to mention someone who cannot see the post, names them, and writes nothing", async () => {
    const since = await mailMark();
    const before = (await manager.get(`/api/v1/posts/${postId}/comments`)).body.comments.length;
    const seq = await lastAuditSeq(services);
    const refused = await manager.post(`/api/v1/posts/${postId}/comments`, { body: "@Otto Outside look", mentions: [outsiderPerson.id, readerPerson.id] });
    expect([refused.status, refused.body.error.code]).toEqual([422, "mention_not_allowed"]);
    expect(refused.body.error.fields.mentions).toEqual(["Otto Outside cannot see this post"]);
    // Someone outside the workspace is not named.
    const stranger = await buildUser(services, { name: "Stranger Danger" });
    const unknown = await manager.post(`/api/v1/posts/${postId}/comments`, { body: "hi", mentions: [stranger.id] });
    expect([unknown.status, unknown.body.error.code, unknown.body.error.fields.mentions]).toEqual([422, "mention_not_allowed", ["someone cannot see this post"]]);
    expect((await manager.get(`/api/v1/posts/${postId}/comments`)).body.comments).toHaveLength(before);
    expect(await mailsTo(readerPerson.email, since)).toHaveLength(0);
    expect(await mailsTo(outsiderPerson.email, since)).toHaveLength(0);
    expect(await auditSince(services, seq, { action: "post.comment_added" })).toHaveLength(0);
  });

  it("refuses an empty comment", async () => {
    const empty = await manager.post(`/api/v1/posts/${postId}/comments`, { body: "   " });
    expect([empty.status, empty.body.error.code, Object.keys(empty.body.error.fields)]).toEqual([400, "invalid_input", ["body"]]);
    const tooLong = await manager.post(`/api/v1/posts/${postId}/comments`, { body: "x".repeat(5001) });
    expect([tooLong.status, tooLong.body.error.code]).toEqual([400, "invalid_input"]);
  });

  it("lets only its author edit or delete a comment; an edit mails only people mentioned for the first time", async () => {
    const added = await manager.post(`/api/v1/posts/${postId}/comments`, { body: "Roast date ok? @Rita Reader", mentions: [readerPerson.id] });
    const id = added.body.id;
    const since = await mailMark();
    const byOther = await intern.put(`/api/v1/posts/${postId}/comments/${id}`, { body: "changed by someone else" });
    expect([byOther.status, byOther.body.error.code]).toEqual([403, "not_comment_author"]);
    const deleteByOther = await admin.delete(`/api/v1/posts/${postId}/comments/${id}`);
    expect([deleteByOther.status, deleteByOther.body.error.code]).toEqual([403, "not_comment_author"]);
    const seq = await lastAuditSeq(services);
    const edited = await manager.put(`/api/v1/posts/${postId}/comments/${id}`, {
      body: "Roast date ok? @Rita Reader @" + (people.member.name ?? ""),
      mentions: [readerPerson.id, people.member.id],
    });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body.editedAt).not.toBeNull();
    expect(edited.body.postVersion).toBe(added.body.postVersion);
    expect(await mailsTo(readerPerson.email, since)).toHaveLength(0);
    expect(await mailsTo(people.member.email, since)).toHaveLength(1);
    const [editAudit] = await auditSince(services, seq, { action: "post.comment_edited" });
    expect(editAudit.data).toEqual({ postId, commentId: id, mentions: [readerPerson.id, people.member.id], notified: 1 });
    const deleted = await manager.delete(`/api/v1/posts/${postId}/comments/${id}`);
    expect(deleted.status).toBe(204);
    expect((await manager.get(`/api/v1/posts/${postId}/comments`)).body.comments.map((c: { id: string }) => c.id)).not.toContain(id);
    expect((await manager.delete(`/api/v1/posts/${postId}/comments/${id}`)).status).toBe(404);
    expect((await auditSince(services, seq, { action: "post.comment_deleted" })).map((a) => a.data)).toEqual([{ postId, commentId: id, postVersion: added.body.postVersion }]);
  });

  it("does not accept a comment id of another post", async () => {
    const other = await manager.post("/api/v1/posts", { text: "Another post", channels: [{ channelId }] });
    const onOther = await manager.post(`/api/v1/posts/${other.body.id}/comments`, { body: "on the other post" });
    const wrong = await manager.put(`/api/v1/posts/${postId}/comments/${onOther.body.id}`, { body: "moved?" });
    expect([wrong.status, wrong.body.error.code]).toEqual([404, "not_found"]);
  });

  it("shows repeated saves of a draft by one person as one line of its history, while the audit log keeps each", async () => {
    const created = await manager.post("/api/v1/posts", { text: "Draft 1", channels: [{ channelId }] });
    let version = created.body.version;
    const seq = await lastAuditSeq(services);
    for (const text of ["Draft 12", "Draft 123", "Draft 1234"]) {
      const saved = await manager.put(`/api/v1/posts/${created.body.id}`, { text, channels: [{ channelId }], version });
      expect(saved.status, saved.text).toBe(200);
      version = saved.body.version;
    }
    const history = (await manager.get(`/api/v1/posts/${created.body.id}`)).body.history;
    expect(history.map((e: { type: string }) => e.type)).toEqual(["created", "edited"]);
    expect(history[1].data).toMatchObject({ version: 4, fromVersion: 2, saves: 3, contentChanged: true });
    expect(await auditSince(services, seq, { action: "post.updated" })).toHaveLength(3);
    // Someone else's edit is its own line.
    const byAdmin = await admin.put(`/api/v1/posts/${created.body.id}`, { text: "Draft by admin", channels: [{ channelId }], version });
    expect(byAdmin.status).toBe(200);
    const after = (await manager.get(`/api/v1/posts/${created.body.id}`)).body.history;
    expect(after.map((e: { type: string }) => e.type)).toEqual(["created", "edited", "edited"]);
  });
});
