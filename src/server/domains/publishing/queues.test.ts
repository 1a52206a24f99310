import { afterAll, beforeAll, expect, it } from "vitest";
import type { Role } from "../../../contracts/roles";
import { createApp } from "../../http/app";
import { seedSandboxNetwork } from "../../networks/sandbox/seed";
import { describeEachDatabase } from "../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { buildUser, buildWorkspace, signedInClient } from "../../../../test/support/factories";
import type { HttpClient } from "../../../../test/support/http";
import { auditSince, lastAuditSeq } from "../../../../test/support/audit";
import { inTransaction, unsafeSystemCtx } from "../../context";
import { unsafeAddMemberDirectly } from "../workspaces";

const weekdays = (...times: string[]) => [1, 2, 3, 4, 5].flatMap((weekday) => times.map((time) => ({ weekday, time })));

describeEachDatabase("posting queues", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let people: Record<Role, { id: string; email: string }>;
  let admin: HttpClient;
  let manager: HttpClient;
  let member: HttpClient;
  let outsider: HttpClient;
  const channel = {} as Record<"main" | "de" | "support", string>;

  beforeAll(async () => {
    services = await createTestServices(kind, { LOGIN_RATE_PER_MINUTE: "1000" });
    // Monday 23 November 2026, 09:00 UTC = 10:00 in Berlin.
    services.clock.set(new Date("2026-11-23T09:00:00Z"));
    app = createApp(services);
    const built = await buildWorkspace(services);
    people = built.people;
    admin = await signedInClient(app, people.admin);
    manager = await signedInClient(app, people.manager);
    member = await signedInClient(app, people.member);
    const stranger = await buildUser(services);
    await inTransaction(unsafeSystemCtx(services, "test", built.workspace.id), (tx) => unsafeAddMemberDirectly(tx, { userId: stranger.id, role: "member" }));
    outsider = await signedInClient(app, stranger);
    await seedSandboxNetwork(services.database.db, services.clock());
    for (const [key, handle] of [["main", "emberoak"], ["de", "emberoak_de"], ["support", "emberoak_support"]] as const) {
      const res = await admin.post("/api/v1/channels", { network: "sandbox", kind: "sandbox", handle });
      expect(res.status, res.text).toBe(200);
      channel[key] = res.body.id;
    }
    const changes = Object.values(channel).flatMap((channelId) => [
      { channelId, userId: people.manager.id, level: "publish" },
      { channelId, userId: people.member.id, level: "approval_required" },
    ]);
    expect((await admin.put("/api/v1/channel-access", { changes })).status).toBe(200);
  });
  afterAll(() => services.close());

  const queue = (client: HttpClient, channelId: string, body: Record<string, unknown>) => client.put(`/api/v1/channels/${channelId}/queue`, body);
  const addToQueue = (client: HttpClient, channelIds: string[], text: string, extra: Record<string, unknown> = {}) =>
    client.post("/api/v1/posts", { text, channels: channelIds.map((channelId) => ({ channelId })), queue: true, ...extra });

  it("lets those who manage channels set a channel's slots in a named time zone, audited; others are refused", async () => {
    const seq = await lastAuditSeq(services);
    const set = await queue(admin, channel.main, { timeZone: "Europe/Berlin", slots: weekdays("17:30", "09:00") });
    expect(set.status, set.text).toBe(200);
    expect(set.body.slots.slice(0, 2)).toEqual([{ weekday: 1, time: "09:00" }, { weekday: 1, time: "17:30" }]);
    // Monday 10:00 in Berlin: the next slots are today 17:30 and Tuesday 09:00 (CET, UTC+1).
    expect(set.body.upcoming.slice(0, 2)).toEqual(["2026-11-23T16:30:00.000Z", "2026-11-24T08:00:00.000Z"]);
    const [event] = await auditSince(services, seq, { action: "channel.queue_changed" });
    expect(event.data).toMatchObject({ channelId: channel.main, timeZone: "Europe/Berlin", before: null });
    expect((event.data as { slots: string[] }).slots).toContain("1 17:30");

    for (const client of [manager, member]) {
      const refused = await queue(client, channel.main, { timeZone: "Europe/Berlin", slots: [] });
      expect([refused.status, refused.body.error.code]).toEqual([403, "forbidden"]);
    }
    const list = await manager.get("/api/v1/posting-queues");
    expect(list.body.queues.map((q: { channelId: string }) => q.channelId)).toEqual([channel.main]);
    // Someone without access to the channel does not see its queue.
    expect((await outsider.get("/api/v1/posting-queues")).body.queues).toEqual([]);
  });

  it("refuses an unknown time zone, a malformed time and a slot given twice", async () => {
    const zone = await queue(admin, channel.support, { timeZone: "Europe/Atlantis", slots: weekdays("09:00") });
    expect([zone.status, zone.body.error.code, Object.keys(zone.body.error.fields)]).toEqual([400, "invalid_input", ["timeZone"]]);
    const time = await queue(admin, channel.support, { timeZone: "Europe/Berlin", slots: [{ weekday: 1, time: "9am" }] });
    expect([time.status, time.body.error.code]).toEqual([400, "invalid_input"]);
    const twice = await queue(admin, channel.support, { timeZone: "Europe/Berlin", slots: [{ weekday: 1, time: "09:00" }, { weekday: 1, time: "09:00" }] });
    expect([twice.status, twice.body.error.fields]).toEqual([400, { "slots.1": ["This slot is listed twice"] }]);
    expect((await admin.get("/api/v1/posting-queues")).body.queues.some((q: { channelId: string }) => q.channelId === channel.support)).toBe(false);
  });

  it("schedules at the next free slot, shown before saving, and the next post at the slot after", async () => {
    const preview = await manager.post("/api/v1/posting-queues/next-slot", { channelIds: [channel.main] });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body).toEqual({ at: "2026-11-23T16:30:00.000Z", channels: [{ channelId: channel.main, timeZone: "Europe/Berlin" }] });
    const first = await addToQueue(manager, [channel.main], "First in the queue");
    expect([first.status, first.body.state, first.body.scheduledAt]).toEqual([200, "scheduled", "2026-11-23T16:30:00.000Z"]);
    const second = await addToQueue(manager, [channel.main], "Second in the queue");
    expect(second.body.scheduledAt).toBe("2026-11-24T08:00:00.000Z");
    // A post scheduled by hand at a slot's time takes it too; the queue goes past it.
    const byHand = await manager.post("/api/v1/posts", { text: "By hand", channels: [{ channelId: channel.main }], scheduledAt: "2026-11-24T16:30:00Z" });
    expect(byHand.status).toBe(200);
    expect((await addToQueue(manager, [channel.main], "Third")).body.scheduledAt).toBe("2026-11-25T08:00:00.000Z");
    // Cancelling a post frees its slot.
    expect((await manager.post(`/api/v1/posts/${second.body.id}/cancel`)).status).toBe(200);
    expect((await addToQueue(manager, [channel.main], "Takes the freed slot")).body.scheduledAt).toBe("2026-11-24T08:00:00.000Z");
  });

  it("keeps an edited post in its own slot, and refuses a time and the queue at once", async () => {
    const created = await addToQueue(manager, [channel.main], "Edited later");
    const at = created.body.scheduledAt;
    const edited = await manager.put(`/api/v1/posts/${created.body.id}`, { text: "Edited later, new words", channels: [{ channelId: channel.main }], queue: true, version: created.body.version });
    expect([edited.status, edited.body.scheduledAt]).toEqual([200, at]);
    const both = await addToQueue(manager, [channel.main], "Both", { scheduledAt: "2026-12-01T09:00:00Z" });
    expect([both.status, both.body.error.code, both.body.error.fields]).toEqual([400, "invalid_input", { scheduledAt: ["Choose a time or the queue, not both"] }]);
  });

  it("finds the slot shared by several channels and free on each, and says when there is none", async () => {
    // @emberoak_de: only Monday and Wednesday 17:30 in Berlin. On @emberoak, Monday's and Wednesday's 17:30 are taken
    // (the first post, the edited one): the pair's next slot is next Monday's.
    expect((await queue(admin, channel.de, { timeZone: "Europe/Berlin", slots: [{ weekday: 1, time: "17:30" }, { weekday: 3, time: "17:30" }] })).status).toBe(200);
    const both = await addToQueue(manager, [channel.main, channel.de], "On both");
    expect([both.status, both.body.scheduledAt]).toEqual([200, "2026-11-30T16:30:00.000Z"]);
    // Alone, @emberoak_de still has this Monday's.
    expect((await addToQueue(manager, [channel.de], "Only DE")).body.scheduledAt).toBe("2026-11-23T16:30:00.000Z");

    const empty = await addToQueue(manager, [channel.main, channel.support], "Support has no queue");
    expect([empty.status, empty.body.error.code, empty.body.error.channelId]).toEqual([422, "queue_empty", channel.support]);
    expect(empty.body.error.message).toContain("@emberoak_support");
    // New York 10:00 never meets Berlin 09:00 or 17:30.
    expect((await queue(admin, channel.support, { timeZone: "America/New_York", slots: weekdays("10:00") })).status).toBe(200);
    const none = await manager.post("/api/v1/posting-queues/next-slot", { channelIds: [channel.main, channel.support] });
    expect([none.status, none.body.error.code]).toEqual([422, "queue_no_shared_slot"]);
    // Removing every slot removes the queue.
    expect((await queue(admin, channel.support, { timeZone: "America/New_York", slots: [] })).body.slots).toEqual([]);
    expect((await manager.post("/api/v1/posting-queues/next-slot", { channelIds: [channel.support] })).body.error.code).toBe("queue_empty");
  });

  it("says the queue is full when every slot for 12 weeks is taken", async () => {
    expect((await queue(admin, channel.support, { timeZone: "UTC", slots: [{ weekday: 7, time: "06:00" }] })).status).toBe(200);
    const times = [];
    for (let i = 0; i < 12; i++) times.push((await addToQueue(manager, [channel.support], `Sunday ${i}`)).body.scheduledAt);
    expect(times[0]).toBe("2026-11-29T06:00:00.000Z");
    expect(times[11]).toBe("2027-02-14T06:00:00.000Z");
    const full = await addToQueue(manager, [channel.support], "One too many");
    expect([full.status, full.body.error.code]).toEqual([409, "queue_full"]);
  });

  it("gives two posts added at the same moment two different slots", async () => {
    expect((await queue(admin, channel.support, { timeZone: "UTC", slots: weekdays("12:00") })).status).toBe(200);
    const [a, b] = await Promise.all([addToQueue(manager, [channel.support], "Race A"), addToQueue(admin, [channel.support], "Race B")]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(new Set([a.body.scheduledAt, b.body.scheduledAt]).size).toBe(2);
  });

  it("sends an intern's queued post for approval at its slot, which it holds meanwhile; a channel without access stays hidden", async () => {
    const intern = await addToQueue(member, [channel.de], "Intern's idea");
    expect([intern.status, intern.body.state]).toEqual([200, "in_review"]);
    const after = await addToQueue(manager, [channel.de], "After the intern");
    expect(new Date(after.body.scheduledAt).getTime()).toBeGreaterThan(new Date(intern.body.scheduledAt).getTime());
    const hidden = await outsider.post("/api/v1/posting-queues/next-slot", { channelIds: [channel.main] });
    expect(hidden.status).toBe(404);
  });

  it("warns when the channel is paused, as scheduling does", async () => {
    const pause = await admin.post("/api/v1/publishing/pauses", { reason: "Storm", channelIds: [channel.main] });
    expect(pause.status, pause.text).toBe(200);
    const warned = await addToQueue(manager, [channel.main], "During the pause");
    expect([warned.status, warned.body.error.code]).toEqual([409, "publishing_paused"]);
    const anyway = await addToQueue(manager, [channel.main], "During the pause", { acknowledgePause: true });
    expect([anyway.status, anyway.body.state]).toEqual([200, "scheduled"]);
    for (const active of (await admin.get("/api/v1/publishing/status")).body.pauses) {
      const resumed = await admin.post(`/api/v1/publishing/pauses/${active.id}/resume`);
      expect(resumed.status, resumed.text).toBe(200);
    }
  });

  it("follows the queue's time zone across the change to summer time", async () => {
    services.clock.set(new Date("2027-03-26T18:00:00Z")); // Friday evening, CET
    manager = await signedInClient(app, people.manager); // the old session ended months ago
    const next = await manager.post("/api/v1/posting-queues/next-slot", { channelIds: [channel.main] });
    expect(next.status, next.text).toBe(200);
    // Monday 29 March 09:00 in Berlin is CEST (UTC+2).
    expect(next.body.at).toBe("2027-03-29T07:00:00.000Z");
    const queued = await addToQueue(manager, [channel.main], "After the clocks moved");
    expect(queued.body.scheduledAt).toBe("2027-03-29T07:00:00.000Z");
  });
});
