import http from "node:http";
import type { AddressInfo } from "node:net";
import AxeBuilder from "@axe-core/playwright";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiAs, canRunBrowser, useBrowser } from "../support/browser";
import { insertPlan } from "../support/crisis-fixtures";
import { alertDestinations } from "../../src/server/domains/listening/listening.schema";
import { unsafeDeliverDrillInjects } from "../../src/server/domains/crisis/drills";

/**
 * The crisis page's stakeholder notices in a browser: crisis mode's notify reaches a Slack channel (sent), a Teams
 * channel whose receiver keeps answering 503 (retrying, with the next attempt), a webhook that answers 410 Gone
 * (failed, with the error; "Retry now" sends it again), a mail list (queued: this server sends no mail) and one
 * without an address (failed, nothing sent); the page lists each by kind and name, never by address — beside the
 * crisis team (name and role) and a stakeholder by plain address (shown, as the plan shows it) — in English and Persian.
 * Then a drill's unreachable approver in Persian: an explanation instead of Approve/Reject.
 */
describe.skipIf(!canRunBrowser)("crisis notices and the unreachable approver in a browser", () => {
  const b = useBrowser("crisis-notices", { PARAPET_WEBHOOK_ALLOWED_HOSTS: "127.0.0.1" });
  const shots = b.shots;
  const received: string[] = [];
  let base = "";
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received.push(req.url!);
      // The legal hook is gone the first time (410) and back when the notice is sent again.
      const firstHook = req.url === "/hook" && received.filter((u) => u === "/hook").length === 1;
      res.writeHead(req.url === "/teams" ? 503 : firstHook ? 410 : 200).end();
    });
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  const plain = async (locator: Locator) => ((await locator.textContent()) ?? "").replace(/[\u2066-\u2069]/g, "");
  async function noSeriousViolations(page: Page) {
    const violations = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  }

  it("lists each stakeholder notice with its delivery on the crisis page: sent, retrying with the next attempt, failed with the error and sent again, a mail list waiting", { timeout: 120_000 }, async () => {
    const services = b.server.services;
    const owner = await b.signedIn({ next: "/crisis" });
    const workspaceId = (await apiAs(owner, "GET", "/me")).body.workspace.id as string;
    // Stakeholders' destinations (Slack's and Teams' addresses stand in for theirs: the local receiver).
    const destination = async (name: string, kind: string, path: string) =>
      (await services.database.db.insert(alertDestinations).values({ workspaceId, kind, name, target: services.secrets.seal(kind === "email" ? path : `${base}${path}`) }).returning())[0].id;
    const plan = await insertPlan(services, workspaceId, "custom", {
      stakeholders: [
        { name: "Executives", email: null, destinationId: await destination("Executives", "slack", "/slack"), fromSeverity: 4 },
        { name: "Board", email: null, destinationId: await destination("Board of directors", "teams", "/teams"), fromSeverity: 4 },
        { name: "Legal", email: null, destinationId: await destination("Legal intake", "webhook", "/hook"), fromSeverity: 4 },
        { name: "Press", email: null, destinationId: await destination("Press office", "email", "press@roastery.test"), fromSeverity: 4 },
        // Emptied behind the app's back (the app refuses a mail list without an address): never "Sent".
        { name: "Works council", email: null, destinationId: await destination("Works council", "email", ""), fromSeverity: 4 },
        { name: "Chief executive", email: "ceo@roastery.test", destinationId: null, fromSeverity: 4 },
      ],
    });
    const declared = await apiAs(owner, "POST", "/crisis/crises", { title: "Supplier strike", originKind: "manual", severityLevel: 3, planId: plan.id });
    expect(declared.status, JSON.stringify(declared.body)).toBe(200);
    const crisisId = declared.body.id as string;
    const started = await apiAs(owner, "POST", `/crisis/crises/${crisisId}/mode`, { reason: "Deliveries stop tomorrow", pause: "none", lockdown: false, notify: true });
    expect(started.status, JSON.stringify(started.body)).toBe(200);

    await owner.goto(`${b.server.url}/crisis/${crisisId}`);
    const list = owner.getByTestId("crisis-notices");
    await list.getByRole("heading", { name: "Who has been told" }).waitFor();
    const row = (name: string) => list.getByRole("row").filter({ hasText: name });
    // Sent at once after crisis mode started; the list refreshes itself while something is on its way.
    await row("Executives").getByText("Sent", { exact: true }).waitFor({ timeout: 25_000 });
    await row("Legal intake").getByText("Failed", { exact: true }).waitFor({ timeout: 25_000 });
    await row("Board of directors").getByText("Retrying", { exact: true }).waitFor({ timeout: 25_000 });
    expect(await plain(row("Executives"))).toMatch(/^SlackExecutivesSent.*Sent .*202\d/);
    expect(await plain(row("Board of directors"))).toContain("Microsoft Teams");
    expect(await plain(row("Board of directors"))).toContain("Error: HTTP 503 Service Unavailable");
    expect(await plain(row("Board of directors"))).toMatch(/Next attempt .* \(tried once\)/);
    expect(await plain(row("Legal intake"))).toContain("Error: HTTP 410 Gone");
    expect(await plain(row("Legal intake"))).toContain("Given up after one attempt");
    // The mail list is listed by kind and name; without SMTP its mail waits in the outbox, and the row says so.
    expect(await plain(row("Press office"))).toMatch(/^EmailPress officeQueuedThis server sends no mail/);
    expect(await list.textContent()).not.toContain("127.0.0.1");
    expect(await list.textContent()).not.toContain("press@roastery.test");
    // The crisis team (the owner who declared it, as its lead) and the stakeholder by plain address: with the address the plan shows.
    expect(await plain(row("Crisis team"))).toMatch(/^Crisis teamOlivia Brandt \(Crisis lead\)Queued/);
    expect(await plain(row("Crisis team"))).not.toContain("@");
    expect(await plain(row("Chief executive"))).toMatch(/^Stakeholder \(email\)Chief executiveceo@roastery\.testQueued/);
    expect(await plain(row("Works council"))).toMatch(/^EmailWorks councilFailedThis mail list has no email address: nothing was sent\..*Nothing was sentRetry now$/);
    expect([...received].sort()).toEqual(["/hook", "/slack", "/teams"]);
    await noSeriousViolations(owner);
    if (shots) await list.screenshot({ path: `${shots}/crisis-notices-en.png` });
    if (shots) await owner.getByTestId("crisis-mode").screenshot({ path: `${shots}/crisis-mode-notices-en.png` });

    expect(await list.getByRole("button", { name: /Retry now/ }).count()).toBe(2); // only the failed notices offer it

    await b.setLanguage(owner, "fa");
    await owner.reload();
    await list.getByRole("heading", { name: "چه کسانی باخبر شده‌اند" }).waitFor();
    expect(await plain(row("تیم بحران"))).toContain("(سرپرست بحران)");
    expect(await plain(row("Chief executive"))).toContain("ذی‌نفع (ایمیل)");
    expect(await plain(row("Works council"))).toContain("چیزی فرستاده نشد");
    expect(await plain(row("Legal intake"))).toContain("ناموفق");
    expect(await plain(row("Press office"))).toContain("ایمیل");
    expect(await plain(row("Press office"))).toContain("این سرور ایمیل نمی‌فرستد");
    await noSeriousViolations(owner);
    if (shots) await owner.getByTestId("crisis-mode").screenshot({ path: `${shots}/crisis-mode-notices-fa.png` });

    // Pressing it (here in Persian) sends the failed notice again: the row turns to Sent, the button goes.
    await row("Legal intake").getByRole("button", { name: "اکنون دوباره بفرست: Legal intake" }).click();
    await owner.getByText(/Legal intake.*دوباره فرستاده می‌شود/).waitFor(); // the name is isolated (bidi marks)
    await row("Legal intake").getByText("فرستاده شد", { exact: true }).waitFor({ timeout: 25_000 });
    expect(received.filter((u) => u === "/hook")).toHaveLength(2);
    expect(await list.getByRole("button", { name: /اکنون دوباره بفرست/ }).count()).toBe(1); // the list without an address
    if (shots) await list.screenshot({ path: `${shots}/crisis-notices-retried-fa.png` });
    await b.setLanguage(owner, "en");
    await apiAs(owner, "POST", `/crisis/crises/${crisisId}/mode/end`);
  });

  it("shows the drill's unreachable approver why they cannot decide, in Persian", { timeout: 120_000 }, async () => {
    const services = b.server.services;
    const owner = await b.signedIn({ next: "/crisis" });
    const plans = (await apiAs(owner, "GET", "/crisis/plans")).body.plans as Array<{ id: string; scenario: string }>;
    const started = await apiAs(owner, "POST", "/crisis/drills", { planId: plans.find((p) => p.scenario === "viral_complaint")!.id, injects: [{ atMinute: 5, kind: "approver_unreachable" }] });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const declared = await apiAs(owner, "POST", `/crisis/drills/${started.body.id}/declare`, { severityLevel: 2 });
    const crisisId = declared.body.crisisId as string;
    const statement = await apiAs(owner, "POST", `/crisis/crises/${crisisId}/statements`, { kind: "holding", body: "We know about the mould reports for batch HB-0923 and are looking into them. Next update by 15:00 UTC." });
    const submitted = await apiAs(owner, "POST", `/crisis/crises/${crisisId}/statements/${statement.body.id}/submit`, { version: statement.body.version });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    expect(await unsafeDeliverDrillInjects({ ...services, clock: () => new Date(new Date(started.body.startedAt).getTime() + 6 * 60_000) })).toBe(1);

    const pieter = await b.signedIn({ email: b.demoPerson("pieter"), next: `/crisis/${crisisId}` });
    await b.setLanguage(pieter, "fa");
    await pieter.reload();
    await pieter.getByTestId("crisis-room").getByRole("tab", { name: "بیانیه‌ها" }).click();
    const card = pieter.getByTestId("statement").first();
    const explained = card.getByTestId("approver-unreachable");
    await explained.waitFor();
    expect(await plain(explained)).toContain("تمرین: شما در دسترس نیستید");
    expect(await card.getByRole("button", { name: "تأیید" }).count()).toBe(0);
    await noSeriousViolations(pieter);
    if (shots) await card.screenshot({ path: `${shots}/drill-approver-unreachable-fa.png` });
    await b.setLanguage(pieter, "en");
    await apiAs(owner, "POST", `/crisis/drills/${started.body.id}/finish`, { abandon: true });
  });
});
