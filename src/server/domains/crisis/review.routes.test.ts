import { afterAll, beforeAll, expect, it } from "vitest";
import type { Role } from "../../../contracts/roles";
import { createApp } from "../../http/app";
import { describeEachDatabase } from "../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { buildWorkspace, signedInClient } from "../../../../test/support/factories";
import type { HttpClient } from "../../../../test/support/http";
import { actionsSince, lastAuditSeq } from "../../../../test/support/audit";
import { insertPlan } from "../../../../test/support/crisis-fixtures";
import { pdfText } from "../../../../test/support/pdf-text";
import { crisisEvents, crisisStatements } from "./crisis.schema";

const MINUTE = 60_000;

describeEachDatabase("post-crisis review API", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let people: Record<Role, { id: string; email: string }>;
  let manager: HttpClient;
  let member: HttpClient;
  let crisisId: string;
  let planId: string;

  beforeAll(async () => {
    services = await createTestServices(kind);
    app = createApp(services);
    const built = await buildWorkspace(services);
    people = built.people;
    manager = await signedInClient(app, people.manager);
    member = await signedInClient(app, people.member);
    const plan = await insertPlan(services, built.workspace.id, "viral_complaint", { roles: [{ role: "lead", holderId: people.manager.id, backupId: people.admin.id }] });
    planId = plan.id;

    // A crisis declared, worked on for 40 minutes and closed, through the lifecycle's API.
    const declared = await manager.post("/api/v1/crisis/crises", { title: "Mouldy beans video", originKind: "manual", severityLevel: 3, planId: plan.id, triage: true });
    expect(declared.status, declared.text).toBe(200);
    crisisId = declared.body.id;
    services.clock.advance(5 * MINUTE);
    const active = await manager.post(`/api/v1/crisis/crises/${crisisId}/transition`, { to: "active", version: declared.body.version });
    expect(active.status, active.text).toBe(200);
    services.clock.advance(35 * MINUTE);
    const closed = await manager.post(`/api/v1/crisis/crises/${crisisId}/transition`, { to: "closed", version: active.body.version, resolution: "Batch recalled, refunds sent" });
    expect(closed.status, closed.text).toBe(200);
  });
  afterAll(() => services.close());

  /** A binary download with the client's session. */
  const download = async (client: HttpClient, path: string) => {
    const res = await app.request(path, { headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } });
    return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
  };

  it("drafts the review with the figures from the timeline; everyone reads it, only the team writes it", async () => {
    const drafted = await manager.post(`/api/v1/crisis/crises/${crisisId}/review`, {});
    expect(drafted.status, drafted.text).toBe(200);
    expect(drafted.body).toMatchObject({ status: "draft", ownerId: people.manager.id, crisisTitle: "Mouldy beans video", planName: expect.any(String), can: { edit: true, publish: true } });
    expect(drafted.body.figures).toMatchObject({ durationMinutes: 40, stateMinutes: { triage: 5, active: 35, stable: 0 }, heldPosts: { total: 0 } });
    expect(drafted.body.figures.timeline.map((m: { type: string }) => m.type)).toEqual(expect.arrayContaining(["declared", "status_changed"]));

    const read = await member.get(`/api/v1/crisis/crises/${crisisId}/review`);
    expect(read.status).toBe(200);
    expect(read.body.can).toEqual({ edit: false, publish: false });
    const refused = await member.patch(`/api/v1/crisis/crises/${crisisId}/review`, { content: { summary: "x" } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("crisis_review_not_on_team");
  });

  it("keeps the sections people write; an owner must be a member; bad input gets a clear error", async () => {
    const before = await lastAuditSeq(services);
    const written = await manager.patch(`/api/v1/crisis/crises/${crisisId}/review`, {
      content: { summary: "A video of mouldy beans spread for an hour.", wentWell: "The holding statement was ready.", toChange: "Pause the calendar sooner." },
    });
    expect(written.status, written.text).toBe(200);
    expect(written.body.content).toMatchObject({ summary: "A video of mouldy beans spread for an hour.", whatHappened: "" });
    expect(await actionsSince(services, before)).toContain("crisis.review_updated");

    const stranger = await manager.patch(`/api/v1/crisis/crises/${crisisId}/review`, { ownerId: "00000000-0000-4000-8000-000000000000" });
    expect(stranger.status).toBe(400);
    expect(stranger.body.error.code).toBe("crisis_review_owner_not_member");
    const unknownField = await manager.patch(`/api/v1/crisis/crises/${crisisId}/review`, { content: { blame: "Alex" } });
    expect(unknownField.status).toBe(400);
  });

  it("publishes only when every action item has an owner; then the review is kept as it is, but items can still be done", async () => {
    const added = await manager.post(`/api/v1/crisis/crises/${crisisId}/review/action-items`, { title: "Add a batch-number check to the plan", updatesPlan: true });
    expect(added.status, added.text).toBe(201);
    const item = added.body.actionItems[0];
    expect(item).toMatchObject({ title: "Add a batch-number check to the plan", ownerId: null, updatesPlan: true, status: "open" });

    const refused = await manager.post(`/api/v1/crisis/crises/${crisisId}/review/publish`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("crisis_review_items_without_owner");

    const owned = await manager.patch(`/api/v1/crisis/crises/${crisisId}/review/action-items/${item.id}`, { ownerId: people.admin.id, dueAt: "2026-12-01T09:00:00Z" });
    expect(owned.status, owned.text).toBe(200);
    expect(owned.body.actionItems[0]).toMatchObject({ ownerId: people.admin.id, ownerName: "Admin" });

    const published = await manager.post(`/api/v1/crisis/crises/${crisisId}/review/publish`, {});
    expect(published.status, published.text).toBe(200);
    expect(published.body).toMatchObject({ status: "published", can: { edit: false } });

    const late = await manager.patch(`/api/v1/crisis/crises/${crisisId}/review`, { content: { summary: "rewritten" } });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe("crisis_review_not_editable");
    const done = await manager.patch(`/api/v1/crisis/crises/${crisisId}/review/action-items/${item.id}`, { status: "done" });
    expect(done.status, done.text).toBe(200);
    expect(done.body.actionItems[0].status).toBe("done");
    const renamed = await manager.patch(`/api/v1/crisis/crises/${crisisId}/review/action-items/${item.id}`, { title: "Other" });
    expect(renamed.status).toBe(409);
  });

  it("exports Markdown and a PDF in the reader's language, audited", async () => {
    const before = await lastAuditSeq(services);
    const md = await download(member, `/api/v1/crisis/crises/${crisisId}/review/export.md`);
    expect(md.status).toBe(200);
    expect(md.headers.get("content-type")).toContain("text/markdown");
    const text = md.body.toString("utf8");
    expect(text).toMatch(/^# Post-crisis review: CR-\d+ Mouldy beans video/);
    expect(text).toContain("| Duration | 40 min |");
    expect(text).toContain("| Time in triage | 5 min |");
    expect(text).toContain("A video of mouldy beans spread for an hour.");
    expect(text).toContain("[done] Add a batch-number check to the plan — Admin, due");

    const pdf = await download(member, `/api/v1/crisis/crises/${crisisId}/review/export.pdf?locale=de`);
    expect(pdf.status).toBe(200);
    expect(pdf.body.subarray(0, 5).toString()).toBe("%PDF-");
    const words = pdfText(pdf.body);
    expect(words).toContain("Krisennachbereitung");
    expect(words).toContain("Dauer");
    expect(words).toContain("Pause the calendar sooner.");

    const persian = await download(member, `/api/v1/crisis/crises/${crisisId}/review/export.pdf?locale=fa`);
    // The extractor reads glyphs in the order they are drawn: a Persian word comes out right to left (visual order).
    expect(pdfText(persian.body)).toContain([..."ارقام"].reverse().join("")); // "Figures"
    expect((await actionsSince(services, before)).filter((a) => a === "crisis.review_exported")).toHaveLength(3);
  });

  it("lists the workspace's reviews; a crisis without a review answers crisis_review_not_found", async () => {
    const list = await member.get("/api/v1/crisis/reviews");
    expect(list.status).toBe(200);
    expect(list.body.reviews).toEqual([expect.objectContaining({ crisisId, status: "published", isDrill: false })]);
    const other = await manager.post("/api/v1/crisis/crises", { title: "Another", originKind: "manual", severityLevel: 4 });
    const missing = await member.get(`/api/v1/crisis/crises/${other.body.id}/review`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("crisis_review_not_found");
  });

  it("names each statement's kind in the reader's language in the Markdown and the PDF, not the stored word", async () => {
    const declared = await manager.post("/api/v1/crisis/crises", { title: "Cold brew cans", originKind: "manual", severityLevel: 3, planId, triage: false });
    expect(declared.status, declared.text).toBe(200);
    const id = declared.body.id as string;
    // Two statements as the room stores them: a holding statement approved after 12 minutes, an update after 4.
    const at = (minutes: number) => new Date(services.clock().getTime() + minutes * MINUTE);
    await services.database.db.insert(crisisStatements).values([
      { crisisId: id, kind: "holding", locale: "en", body: "We are looking into it.", status: "approved", submittedAt: at(1), decidedAt: at(13), decidedBy: people.manager.id },
      { crisisId: id, kind: "update", locale: "de", body: "Wir rufen die Charge zurück.", status: "approved", submittedAt: at(20), decidedAt: at(24), decidedBy: people.manager.id },
    ]);
    services.clock.advance(30 * MINUTE);
    const current = await manager.get(`/api/v1/crisis/crises/${id}`);
    const closed = await manager.post(`/api/v1/crisis/crises/${id}/transition`, { to: "closed", version: current.body.version, resolution: "Cans replaced" });
    expect(closed.status, closed.text).toBe(200);
    expect((await manager.post(`/api/v1/crisis/crises/${id}/review`, {})).status).toBe(200);

    // A German reader (their account's language): the Markdown says the kinds in German.
    expect((await member.patch("/api/v1/me", { locale: "de" })).status).toBe(200);
    const md = (await download(member, `/api/v1/crisis/crises/${id}/review/export.md`)).body.toString("utf8");
    expect(md).toContain("| Art | Sprache | Freigabezeit | Hinweis |");
    // Each statement's language by name in German, not its code.
    const rows = md.split("\n").filter((line) => /^\| .+ \| (Englisch|Deutsch) \|/.test(line)).map((line) => line.split("|").slice(1, 3).map((cell) => cell.trim()));
    expect(rows).toEqual([["Erste Stellungnahme", "Englisch"], ["Aktualisierung", "Deutsch"]]);
    expect(md).not.toMatch(/\| (en|de) \|/);
    expect(md).not.toMatch(/\| (holding|update) \|/);
    // An Italian PDF, asked for by `locale`.
    const words = pdfText((await download(member, `/api/v1/crisis/crises/${id}/review/export.pdf?locale=it`)).body);
    expect(words).toContain("Dichiarazione di attesa");
    expect(words).toContain("Aggiornamento");
    expect(words).not.toContain("holding");
    expect((await member.patch("/api/v1/me", { locale: "en" })).status).toBe(200);
  });

  it("says in the reader's language who acted — Parapet's jobs and the drill script in words, not their internal names — and writes numbers in the reader's digits", async () => {
    const declared = await manager.post("/api/v1/crisis/crises", { title: "Roastery smoke", originKind: "manual", severityLevel: 3, planId, triage: false });
    expect(declared.status, declared.text).toBe(200);
    const id = declared.body.id as string;
    // Key moments (pinned) as the room's jobs write them: a reminder by crisis.deadlines, an inject by the drill script.
    const at = (minutes: number) => new Date(services.clock().getTime() + minutes * MINUTE);
    await services.database.db.insert(crisisEvents).values([
      { crisisId: id, occurredAt: at(2), type: "reminder_sent", actorLabel: "crisis.deadlines", data: { about: "status_update" }, pinned: true },
      { crisisId: id, occurredAt: at(3), type: "inject", actorLabel: "drill injects", data: { kind: "message" }, pinned: true },
      // The lifecycle's note when another crisis is merged into this one: stored in English, exported in the reader's words.
      { crisisId: id, occurredAt: at(4), type: "note", actorLabel: "Manager", text: "CR-9 was merged into this crisis", data: { mergedFromNumber: 9 }, pinned: true },
    ]);
    await services.database.db.insert(crisisStatements).values([
      { crisisId: id, kind: "holding", locale: "en", body: "We are looking into it.", status: "approved", submittedAt: at(1), decidedAt: at(13), decidedBy: people.manager.id },
    ]);
    services.clock.advance(30 * MINUTE);
    const current = await manager.get(`/api/v1/crisis/crises/${id}`);
    expect((await manager.post(`/api/v1/crisis/crises/${id}/transition`, { to: "closed", version: current.body.version, resolution: "A neighbour's barbecue" })).status).toBe(200);
    expect((await manager.post(`/api/v1/crisis/crises/${id}/review`, {})).status).toBe(200);

    const md = (await download(member, `/api/v1/crisis/crises/${id}/review/export.md?locale=fa`)).body.toString("utf8");
    const timeline = md.split("\n").filter((line) => line.startsWith("- ") && line.includes(" — "));
    expect(timeline.find((line) => line.includes("یادآوری فرستاده شد"))).toMatch(/\(Parapet \(خودکار\)\)$/);
    expect(timeline.find((line) => line.includes("رویداد تمرین"))).toMatch(/\(سناریوی تمرین\)$/);
    expect(timeline.find((line) => line.includes(" — اعلام شد"))).toMatch(/\(Manager\)$/); // a person by name
    expect(timeline.find((line) => line.includes(" — یادداشت"))).toMatch(/یادداشت: CR-9 در این بحران ادغام شد \(Manager\)$/);
    expect(md).not.toMatch(/crisis\.deadlines|drill injects|reminder_sent|was merged/);
    expect(md).toMatch(/\| [^|]+ \| انگلیسی \|/); // the statement's language by name
    expect(md.split("\n").find((line) => line.includes("انجام شد ("))).toMatch(/^\| [^|]+ \| [۰-۹]+ از [۰-۹]+ انجام شد \([۰-۹]+ پس از موعد\) \|$/);
  });
});
