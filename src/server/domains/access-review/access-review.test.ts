import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Role } from "../../../contracts/roles";
import { createApp } from "../../http/app";
import { pruneExpiredCredentials } from "../../jobs/catalog";
import { mailOutbox } from "../../mail/mail.schema";
import { totpCode } from "../identity";
import { ssoIdentities } from "../sso/sso.schema";
import { describeEachDatabase } from "../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { buildUser, buildWorkspace, signedInClient, PASSWORD } from "../../../../test/support/factories";
import { auditSince, lastAuditSeq } from "../../../../test/support/audit";
import { createTestNetwork } from "../../../../test/support/test-connector";
import { httpClient, type HttpClient } from "../../../../test/support/http";
import { softwareAuthenticator } from "../../../../test/support/software-authenticator";
import { pdfText } from "../../../../test/support/pdf-text";
import { inTransaction, unsafeSystemCtx } from "../../context";
import { unsafeAddMemberDirectly } from "../workspaces";
import { unsafeSendAccessReviewReminders } from "./index";
import { accessReviewSignOffs } from "./access-review.schema";

const DAY = 86_400_000;
const T0 = new Date("2030-11-20T09:00:00Z"); // in 2030-Q4

type Person = { userId: string; name: string; mfa: string; unused: boolean; lastActivitySource: string | null; lastActivityAt: string | null; signIn: Record<string, boolean>; partner: unknown; access: Array<{ channelId: string; level: string; through: unknown[]; overridden: unknown[] }> };

describeEachDatabase("access review", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let workspaceId: string;
  let people: Record<Role | "jurgen" | "maryam" | "mallory", { id: string; email: string }>;
  let brand: string;
  let support: string;
  let adminSecret: string;
  let managerToken: string;
  let memberWorkedAt: Date;

  const signIn = async (who: keyof typeof people) => {
    if (who !== "admin") return signedInClient(app, people[who]);
    services.clock.advance(31_000); // a TOTP code is accepted once: the next sign-in needs the next one
    return signedInClient(app, people.admin, { mfaSecret: adminSecret, services });
  };
  const reviewOf = async (client: HttpClient) => {
    const res = await client.get("/api/v1/access-review");
    expect(res.status, res.text).toBe(200);
    return res.body as { summary: Record<string, number>; people: Person[]; channels: Array<{ id: string }>; contentHash: string; signOffs: Array<Record<string, unknown>>; signedOffThisQuarter: boolean; quarter: string };
  };
  /** A binary download with the client's session (the JSON client reads bodies as text). */
  const download = async (client: HttpClient, path: string) => {
    const res = await app.request(path, { headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } });
    return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
  };
  const personIn = (review: { people: Person[] }, who: keyof typeof people) => review.people.find((p) => p.userId === people[who].id)!;

  beforeAll(async () => {
    services = await createTestServices(kind, { LOGIN_RATE_PER_MINUTE: "1000" });
    services.clock.set(T0);
    const net = createTestNetwork({ network: "testnet", clock: services.clock });
    net.addAccount("brand", "pw");
    net.addAccount("support", "pw");
    services.networks.register(net);
    app = createApp(services);
    const built = await buildWorkspace(services, "Ember & Oak");
    workspaceId = built.workspace.id;
    const extra = {
      jurgen: await buildUser(services, { name: "Jürgen Müller" }),
      maryam: await buildUser(services, { name: "مریم رضایی" }),
      mallory: await buildUser(services, { name: '=HYPERLINK("http://evil.test","click")' }),
    };
    for (const user of Object.values(extra)) await inTransaction(unsafeSystemCtx(services, "test", workspaceId), (tx) => unsafeAddMemberDirectly(tx, { userId: user.id, role: "member" }));
    people = { ...built.people, ...extra };

    const owner = await signIn("owner");
    brand = (await owner.post("/api/v1/channels", { network: "testnet", kind: "app_password", identifier: "brand", password: "pw" })).body.id;
    support = (await owner.post("/api/v1/channels", { network: "testnet", kind: "app_password", identifier: "support", password: "pw" })).body.id;
    const socialMedia = (await owner.get("/api/v1/workspace/teams")).body.teams.find((t: { name: string }) => t.name === "Social media").id;
    expect((await owner.put(`/api/v1/workspace/teams/${socialMedia}/members/${people.member.id}`)).status).toBe(200);
    const granted = await owner.put("/api/v1/channel-access", {
      changes: [
        { channelId: brand, userId: people.manager.id, level: "publish" },
        { channelId: brand, teamId: socialMedia, level: "approval_required" },
        { channelId: brand, userId: people.member.id, level: "read" },
        { channelId: support, userId: people.jurgen.id, level: "reply" },
        { channelId: support, userId: people.maryam.id, level: "read" },
      ],
    });
    expect(granted.status, granted.text).toBe(200);
    const partner = await owner.put(`/api/v1/workspace/members/${people.jurgen.id}/partner`, { organization: "Brightside Agentur", endsAt: new Date(T0.getTime() + 120 * DAY).toISOString() });
    expect(partner.status, partner.text).toBe(200);

    // The admin sets up an authenticator app; Maryam a passkey only; the manager is linked to an identity provider.
    const admin = await signIn("admin");
    const setup = await admin.post("/api/v1/me/mfa/setup");
    adminSecret = setup.body.secret;
    expect((await admin.post("/api/v1/me/mfa/confirm", { code: totpCode(adminSecret, services.clock()) })).status).toBe(200);
    const maryam = await signIn("maryam");
    const options = await maryam.post("/api/v1/me/passkeys/options");
    const authenticator = softwareAuthenticator({ origin: new URL(services.config.publicUrl).origin });
    expect((await maryam.post("/api/v1/me/passkeys", { name: "Phone", answer: authenticator.create(options.body.options).answer })).status).toBe(200);
    await services.database.db.insert(ssoIdentities).values({ userId: people.manager.id, issuer: "https://idp.example.test", subject: "sofia", email: people.manager.email });

    const manager = await signIn("manager");
    managerToken = (await manager.post("/api/v1/me/api-tokens", { name: "reports", scopes: ["members:read"], expiresInDays: 366 })).body.token;
    // The member works once: creates a token (an audited action), then signs out.
    const member = await signIn("member");
    memberWorkedAt = services.clock();
    expect((await member.post("/api/v1/me/api-tokens", { name: "mine", scopes: ["channels:read"], expiresInDays: 30 })).status).toBe(200);
    await member.post("/api/v1/auth/sign-out");
  });
  afterAll(() => services.close());

  it("shows each person's level per channel and the grant it comes from: role, own grant or team", async () => {
    const review = await reviewOf(await signIn("owner"));
    expect(review.channels.map((c) => c.id).sort()).toEqual([brand, support].sort());
    expect(review.people).toHaveLength(7);
    const on = (who: keyof typeof people, channelId: string) => personIn(review, who).access.find((a) => a.channelId === channelId)!;
    expect(on("owner", brand)).toEqual({ channelId: brand, level: "publish", through: [{ type: "role", role: "owner", level: "publish" }], overridden: [] });
    expect(on("manager", brand)).toEqual({ channelId: brand, level: "publish", through: [{ type: "direct", level: "publish" }], overridden: [] });
    expect(on("manager", support)).toEqual({ channelId: support, level: "none", through: [], overridden: [] });
    // The team's Approval required beats the member's own Read only; the weaker grant is shown as overridden.
    expect(on("member", brand)).toMatchObject({ level: "approval_required", through: [{ type: "team", teamName: "Social media", level: "approval_required" }], overridden: [{ type: "direct", level: "read" }] });
    expect(on("jurgen", support)).toMatchObject({ level: "reply", through: [{ type: "direct", level: "reply" }] });

    expect(personIn(review, "admin").mfa).toBe("totp");
    expect(personIn(review, "maryam").mfa).toBe("passkey"); // a passkey counts as MFA
    expect(personIn(review, "member").mfa).toBe("none");
    expect(personIn(review, "manager").signIn).toEqual({ password: true, sso: true, ssoOnly: false });
    expect(personIn(review, "jurgen").partner).toEqual({ organization: "Brightside Agentur", accessEndsAt: new Date(T0.getTime() + 120 * DAY).toISOString() });
    expect(review.summary).toMatchObject({ people: 7, withoutMfa: 5, partners: 1, partnersEndingSoon: 0, fullPublishing: 3, unused: 0 });
    expect(review.quarter).toBe("2030-Q4");
    expect(review.signedOffThisQuarter).toBe(false);
  });

  it("takes last activity from sessions, API tokens and the audit log, and flags access unused for 90 days", async () => {
    // 40 days on, the old sessions are pruned: the member's last sign of life is their audited action.
    services.clock.set(new Date(T0.getTime() + 40 * DAY));
    await pruneExpiredCredentials.run(services);
    let review = await reviewOf(await signIn("owner"));
    const member = personIn(review, "member");
    expect(member.lastActivitySource).toBe("audit");
    expect(member.lastActivityAt).toBe(memberWorkedAt.toISOString());
    expect(member.unused).toBe(false);

    // 100 days on (2031-Q1): the owner signs in, the manager's script uses its token; nobody else did anything.
    services.clock.set(new Date(T0.getTime() + 100 * DAY));
    expect((await httpClient(app, { bearer: managerToken }).get("/api/v1/workspace/members")).status).toBe(200);
    review = await reviewOf(await signIn("owner"));
    expect(personIn(review, "owner")).toMatchObject({ unused: false, lastActivitySource: "session" });
    expect(personIn(review, "manager")).toMatchObject({ unused: false, lastActivitySource: "api_token" });
    expect(personIn(review, "member").unused).toBe(true);
    expect(personIn(review, "jurgen")).toMatchObject({ unused: true, lastActivityAt: null, lastActivitySource: null });
    expect(review.people.filter((p) => p.unused).map((p) => p.name).sort()).toEqual(["Admin", "Jürgen Müller", "Member", "مریم رضایی", '=HYPERLINK("http://evil.test","click")'].sort());
    expect(review.summary).toMatchObject({ people: 7, unused: 5, partnersEndingSoon: 1 });
  });

  it("exports CSV: a header, one row per person × channel, formula-like cells made harmless; audited", async () => {
    const admin = await signIn("admin");
    const seq = await lastAuditSeq(services);
    const res = await admin.get("/api/v1/access-review/export.csv");
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="parapet-access-review-2031-02-28\.csv"/);
    const lines = res.text.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "name,email,role,partner_organization,partner_access_ends_at,mfa,password_sign_in,sso,sso_only,last_activity_at,last_activity_source,unused_90_days,channel_network,channel_handle,channel_name,level,through,overridden_grants",
    );
    expect(lines).toHaveLength(1 + 7 * 2);
    const member = lines.find((l) => l.startsWith(`Member,${people.member.email},`) && l.includes(",brand,"))!;
    expect(member).toContain(`,member,,,none,true,false,false,${memberWorkedAt.toISOString()},audit,true,testnet,brand,`);
    expect(member.endsWith(`,approval_required,"team ""Social media""",direct: read`)).toBe(true);
    const jurgen = lines.find((l) => l.startsWith("Jürgen Müller,") && l.includes(",support,"))!;
    expect(jurgen).toContain(",Brightside Agentur,");
    expect(jurgen).toContain(",reply,direct,");
    // A name that a spreadsheet would run as a formula starts with a quote instead.
    const mallory = lines.filter((l) => l.includes("HYPERLINK"));
    expect(mallory).toHaveLength(2);
    for (const line of mallory) expect(line.startsWith(`"'=HYPERLINK(""http://evil.test"",""click"")",`)).toBe(true);
    expect(lines.some((l) => /(^|,)[=+\-@]/.test(l))).toBe(false);
    const audit = await auditSince(services, seq, { action: "access_review.exported" });
    expect(audit.map((r) => [r.data, r.actorId, r.workspaceId])).toEqual([[{ format: "csv", people: 7 }, people.admin.id, workspaceId]]);
  });

  it("exports a PDF report with the names (umlauts and Persian in an embedded font), the summary and the last sign-off; audited", async () => {
    const admin = await signIn("admin");
    const seq = await lastAuditSeq(services);
    const res = await download(admin, "/api/v1/access-review/export.pdf");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toMatch(/filename="parapet-access-review-2031-02-28\.pdf"/);
    const pdf = res.body;
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.subarray(-6).toString()).toMatch(/%%EOF\s*$/);
    expect(pdf.toString("latin1")).toMatch(/\/FontFile2 \d+ 0 R/); // the TrueType font is embedded
    expect(pdf.toString("latin1")).toContain("Vazirmatn");
    const text = pdfText(pdf);
    expect(text).toContain("Access review — Ember & Oak");
    expect(text).toContain("Jürgen Müller");
    expect(text).toContain("Partner: Brightside Agentur");
    // Persian is drawn right to left: the extracted glyphs come in visual order.
    expect(text).toContain([..."مریم\u00A0رضایی"].reverse().join(""));
    expect(text).toContain("Unused for 90 days");
    expect(text).toContain("@brand: Approval required — team Social media");
    expect(text).toContain("Not signed off yet.");
    // In the reader's language (the admin's by default, or the one asked for).
    const german = pdfText((await download(admin, "/api/v1/access-review/export.pdf?locale=de")).body);
    expect(german).toContain("Zugriffsprüfung — Ember & Oak");
    expect(german).toContain("90 Tage ungenutzt");
    const audit = await auditSince(services, seq, { action: "access_review.exported" });
    expect(audit.map((r) => r.data)).toEqual([{ format: "pdf", people: 7 }, { format: "pdf", people: 7 }]);
  });

  it("sends the quarterly reminder once per quarter to owners and admins in their language, not in the quarter the workspace began", async () => {
    const admin = await signIn("admin");
    expect((await admin.patch("/api/v1/me", { locale: "de" })).status).toBe(200);
    const outbox = async () =>
      (await services.database.db.select().from(mailOutbox).where(eq(mailOutbox.workspaceId, workspaceId))).filter((m) => /access review|Zugriffsprüfung/.test(m.subject));

    // The workspace began in 2030-Q4: no reminder that quarter.
    services.clock.set(new Date(T0.getTime() + 1 * DAY));
    await unsafeSendAccessReviewReminders(services);
    expect(await outbox()).toHaveLength(0);

    services.clock.set(new Date(T0.getTime() + 100 * DAY)); // 2031-Q1, not signed off
    const seq = await lastAuditSeq(services);
    expect((await unsafeSendAccessReviewReminders(services)).reminded).toBeGreaterThanOrEqual(1);
    expect(await unsafeSendAccessReviewReminders(services)).toEqual({ reminded: 0 });
    services.clock.advance(20 * DAY);
    expect(await unsafeSendAccessReviewReminders(services)).toEqual({ reminded: 0 });
    const mails = await outbox();
    expect(mails.map((m) => m.toAddress).sort()).toEqual([people.owner.email, people.admin.email].sort());
    const german = mails.find((m) => m.toAddress === people.admin.email)!;
    expect(german.subject).toBe("Zeit für die Zugriffsprüfung von Ember & Oak (2031-Q1)");
    expect(german.text).toContain("7 Personen, 5 ohne Zwei-Faktor-Authentifizierung");
    expect(german.text).toContain(`${services.config.publicUrl}/settings/access-review`);
    expect(mails.find((m) => m.toAddress === people.owner.email)!.subject).toBe("Time for the access review of Ember & Oak (2031-Q1)");
    const audit = await auditSince(services, seq, { action: "access_review.reminder_sent", workspaceId });
    expect(audit.map((r) => [r.data, r.actorType])).toEqual([[{ quarter: "2031-Q1", recipients: 2 }, "system"]]);
  });

  it("stores a sign-off of exactly the review the admin saw, audited, and shows its history; a changed review is refused", async () => {
    const admin = await signIn("admin");
    const before = await reviewOf(admin);
    // Someone changes access after the admin loaded the review: signing the old content is refused, nothing stored.
    const owner = await signIn("owner");
    await owner.put("/api/v1/channel-access", { changes: [{ channelId: support, userId: people.mallory.id, level: "read" }] });
    const stale = await admin.post("/api/v1/access-review/sign-offs", { contentHash: before.contentHash, note: "old" });
    expect([stale.status, stale.body.error.code]).toEqual([409, "access_review_changed"]);
    expect(await services.database.db.select().from(accessReviewSignOffs).where(eq(accessReviewSignOffs.workspaceId, workspaceId))).toHaveLength(0);

    const current = await reviewOf(admin);
    expect(current.contentHash).not.toBe(before.contentHash);
    const seq = await lastAuditSeq(services);
    const signed = await admin.post("/api/v1/access-review/sign-offs", { contentHash: current.contentHash, note: "  Removed nobody; Jürgen ends in March.  " });
    expect(signed.status, signed.text).toBe(201);
    expect(signed.body).toMatchObject({
      signedBy: { userId: people.admin.id, name: "Admin", email: people.admin.email },
      signedAt: services.clock().toISOString(),
      quarter: "2031-Q1",
      note: "Removed nobody; Jürgen ends in March.",
      contentHash: current.contentHash,
      summary: current.summary,
    });
    const audit = await auditSince(services, seq, { action: "access_review.signed_off" });
    expect(audit.map((r) => [r.data, r.actorId, r.targetType, r.targetId])).toEqual([
      [{ signOffId: signed.body.id, quarter: "2031-Q1", contentHash: current.contentHash, note: "Removed nobody; Jürgen ends in March.", summary: current.summary }, people.admin.id, "workspace", workspaceId],
    ]);
    const after = await reviewOf(admin);
    expect(after.signedOffThisQuarter).toBe(true);
    expect(after.signOffs.map((s) => s.id)).toEqual([signed.body.id]);
    const pdf = pdfText((await download(admin, "/api/v1/access-review/export.pdf?locale=en")).body);
    expect(pdf).toContain("Last sign-off: ");
    expect(pdf).toContain("Removed nobody; Jürgen ends in March.");

    // Bad input: a hash that is not one, a note too long.
    const bad = await admin.post("/api/v1/access-review/sign-offs", { contentHash: "nope", note: "x".repeat(2001) });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(["contentHash", "note"]);
  });

  it("does not remind a workspace that was signed off in the quarter", async () => {
    services.clock.set(new Date("2031-04-02T08:00:00Z")); // 2031-Q2
    const admin = await signIn("admin");
    const review = await reviewOf(admin);
    expect(review.signedOffThisQuarter).toBe(false);
    expect((await admin.post("/api/v1/access-review/sign-offs", { contentHash: review.contentHash })).status).toBe(201);
    const seq = await lastAuditSeq(services);
    await unsafeSendAccessReviewReminders(services);
    expect(await auditSince(services, seq, { action: "access_review.reminder_sent", workspaceId })).toHaveLength(0);
    const history = await reviewOf(admin);
    expect(history.signOffs.map((s) => s.quarter)).toEqual(["2031-Q2", "2031-Q1"]);
    expect(history.signOffs[0].note).toBeNull();
  });

  it("refuses managers, members and partners; a token needs members:read to read and members:write to sign off", async () => {
    for (const who of ["manager", "member", "jurgen"] as const) {
      const client = await signedInClient(app, people[who], { password: PASSWORD });
      for (const path of ["/api/v1/access-review", "/api/v1/access-review/export.csv", "/api/v1/access-review/export.pdf"]) {
        const res = await client.get(path);
        expect([res.status, res.body.error?.code], `${who} ${path}`).toEqual([403, "forbidden"]);
      }
      const post = await client.post("/api/v1/access-review/sign-offs", { contentHash: "0".repeat(64) });
      expect([post.status, post.body.error.code]).toEqual([403, "forbidden"]);
    }
    const owner = await signIn("owner");
    const readToken = (await owner.post("/api/v1/me/api-tokens", { name: "review", scopes: ["members:read"], expiresInDays: 1 })).body.token;
    const api = httpClient(app, { bearer: readToken });
    const review = await api.get("/api/v1/access-review");
    expect(review.status).toBe(200);
    expect((await api.post("/api/v1/access-review/sign-offs", { contentHash: review.body.contentHash })).status).toBe(403);
    const rows = await services.database.db.select().from(accessReviewSignOffs).where(and(eq(accessReviewSignOffs.workspaceId, workspaceId)));
    expect(rows).toHaveLength(2);
  });
});
