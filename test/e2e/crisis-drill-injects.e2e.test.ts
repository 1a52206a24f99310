import AxeBuilder from "@axe-core/playwright";
import { and, eq, like } from "drizzle-orm";
import type { Locator } from "playwright-core";
import { describe, expect, it } from "vitest";
import { apiAs, canRunBrowser, useBrowser } from "../support/browser";
import { crises, crisisDrills, crisisTasks } from "../../src/server/domains/crisis/crisis.schema";
import { unsafeDeliverDrillInjects } from "../../src/server/domains/crisis/drills";
import { findSandboxAccount } from "../../src/server/networks/sandbox/network";
import { sandboxDirectMessages, sandboxPosts } from "../../src/server/networks/sandbox/sandbox.schema";

/**
 * Drill injects that act, in a browser on the demo workspace: a drill of the viral complaint plan runs; its injects
 * come (the job run here with a clock 31 minutes on): the journalist writes to @emberoak on the Sandbox, a second wave
 * of complaints is posted. On the crises page the declare dialog asks whether this is the running drill or a real
 * crisis (declaring waits for the answer); "the drill" declares the drill's crisis, and the executive's request
 * becomes a task for the lead. The drill page says what each inject did, in English and in Persian.
 */
describe.skipIf(!canRunBrowser)("drill injects in a browser", () => {
  const b = useBrowser("crisis-drill-injects");
  const shots = b.shots;
  const plain = async (locator: Locator) => ((await locator.textContent()) ?? "").replace(/[\u2066-\u2069]/g, "");

  it("delivers acting injects, declares the drill's crisis from the crises page's dialog, and shows what each inject did", async () => {
    const services = b.server.services;
    const db = services.database.db;
    const owner = await b.signedIn({ next: "/crisis" });
    const plans = (await apiAs(owner, "GET", "/crisis/plans")).body.plans as Array<{ id: string; scenario: string }>;
    const viral = plans.find((p) => p.scenario === "viral_complaint")!;
    const started = await apiAs(owner, "POST", "/crisis/drills", { planId: viral.id });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const drillId = started.body.id as string;
    const startedAt = new Date(started.body.startedAt).getTime();

    // 31 minutes on: every inject is due. The Sandbox gets the journalist's message and the second wave.
    expect(await unsafeDeliverDrillInjects({ ...services, clock: () => new Date(startedAt + 31 * 60_000) })).toBe(4);
    const brand = (await findSandboxAccount(db, "emberoak"))!;
    const journalist = (await findSandboxAccount(db, "mara_ledger"))!;
    const dms = await db.select().from(sandboxDirectMessages).where(and(eq(sandboxDirectMessages.senderId, journalist.id), like(sandboxDirectMessages.idempotencyKey, `drill:${drillId}:%`)));
    expect(dms.map((m) => m.recipientId)).toEqual([brand.id]);
    expect(await db.select().from(sandboxPosts).where(like(sandboxPosts.idempotencyKey, `drill:${drillId}:second_wave:%`))).toHaveLength(6);

    // The crises page's declare dialog: a drill is running, so it asks which this is before declaring.
    await owner.reload();
    await owner.getByRole("button", { name: "Declare a crisis" }).click();
    const dialog = owner.getByRole("dialog");
    await dialog.getByText("A drill is running").waitFor();
    await dialog.getByLabel("What is happening").fill("Mould complaint going viral");
    const declare = dialog.getByRole("button", { name: "Declare a crisis" });
    expect(await declare.isDisabled()).toBe(true);
    await dialog.getByText("Choose one before declaring.").waitFor();
    await dialog.getByLabel(/^The drill of /).check();
    expect(await dialog.getByLabel("Plan", { exact: true }).count()).toBe(0); // the drill's plan is used
    if (shots) await owner.screenshot({ path: `${shots}/drill-declare-dialog-en.png` });
    await declare.click();
    await owner.waitForURL(/\/crisis\/[0-9a-f-]{36}$/);
    const crisisId = owner.url().split("/").pop()!;
    const [drill] = await db.select().from(crisisDrills).where(eq(crisisDrills.id, drillId));
    expect(drill.crisisId).toBe(crisisId);
    const [crisis] = await db.select().from(crises).where(eq(crises.id, crisisId));
    expect(crisis).toMatchObject({ title: "Mould complaint going viral", isDrill: true, originKind: "drill", planId: viral.id });
    const tasks = await db.select().from(crisisTasks).where(and(eq(crisisTasks.crisisId, crisisId), eq(crisisTasks.ownerRole, "lead"), eq(crisisTasks.kind, "communication")));
    expect(tasks.filter((t) => t.title === "The executive asks for a status update")).toHaveLength(1); // beside the plan's checklist

    // The drill page: what each inject did.
    await owner.goto(`${b.server.url}/crisis/drills/${drillId}`);
    await owner.getByRole("heading", { name: /^Drill: /, level: 1 }).waitFor();
    await expect.poll(() => plain(owner.getByTestId("inject-journalist_dm"))).toContain("@mara_ledger wrote to @emberoak: a direct message and a public mention.");
    expect(await plain(owner.getByTestId("inject-second_wave"))).toContain("6 more complaint posts on the Sandbox.");
    expect(await plain(owner.getByTestId("inject-executive_asks"))).toContain("A task for the lead in the crisis room");
    expect(await plain(owner.getByTestId("inject-approver_unreachable"))).toContain("after the deadline the backup decides");
    const violations = (await new AxeBuilder({ page: owner }).analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(violations.map((v) => v.id)).toEqual([]);
    if (shots) await owner.screenshot({ path: `${shots}/drill-injects-en.png`, fullPage: true });

    // Finishing stops the drill's Sandbox scenario; in Persian the page reads right to left.
    const finished = await apiAs(owner, "POST", `/crisis/drills/${drillId}/finish`, {});
    expect(finished.status, JSON.stringify(finished.body)).toBe(200);
    await b.setLanguage(owner, "fa");
    await owner.reload();
    await owner.getByTestId("inject-journalist_dm").getByText("@mara_ledger", { exact: false }).waitFor();
    expect(await owner.locator("html").getAttribute("dir")).toBe("rtl");
    if (shots) await owner.screenshot({ path: `${shots}/drill-injects-fa.png`, fullPage: true });
    await b.setLanguage(owner, "en");
  });
});
