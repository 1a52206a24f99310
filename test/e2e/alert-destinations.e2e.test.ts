import http from "node:http";
import type { AddressInfo } from "node:net";
import AxeBuilder from "@axe-core/playwright";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canRunBrowser, useBrowser } from "../support/browser";

/**
 * Alert destinations in a browser: the owner adds a signed webhook pointing at a local receiver, copies the signing
 * secret shown once, presses "Send test" and sees "Delivered" (the receiver got it); a receiver answering 500 is
 * reported as failed with the reason. Then the page in Persian (right to left).
 */
describe.skipIf(!canRunBrowser)("alert destinations in a browser", () => {
  // The local receiver stands in for a public one: the operator allows its address.
  const b = useBrowser("alert-destinations", { PARAPET_WEBHOOK_ALLOWED_HOSTS: "127.0.0.1" });
  const shots = b.shots;
  const received: string[] = [];
  let base = "";
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received.push(req.url!);
      res.writeHead(req.url === "/broken" ? 500 : 200).end();
    });
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Adds a webhook through the dialog that `opener` (by default the page's "Add destination" button) opens. */
  async function add(page: import("playwright-core").Page, name: string, url: string, opener = page.getByRole("button", { name: "Add destination" })) {
    await opener.click();
    const dialog = page.getByRole("dialog", { name: "Add destination" });
    // Every dialog's close button (an icon) has a name for screen readers (the app's theme gives it).
    await dialog.getByRole("button", { name: "Close", exact: true }).waitFor();
    await dialog.getByText("Webhook", { exact: true }).click();
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByLabel("Webhook URL").fill(url);
    await dialog.getByRole("button", { name: "Add", exact: true }).click();
  }

  it("adds a webhook, shows its secret once, sends a test and shows the outcome", { timeout: 90_000 }, async () => {
    const page = await b.signedIn({ next: "/settings/alert-destinations" });
    await page.getByRole("heading", { name: "Alert destinations", level: 1 }).waitFor();
    // None yet: the app's empty state says what the page is for, in English and Persian, with a button to add one.
    const empty = page.getByTestId("destinations-empty");
    await empty.getByText("No alert destinations yet").waitFor();
    await empty.getByText("Alerts are always shown in Parapet", { exact: false }).waitFor();
    if (shots) await page.screenshot({ path: `${shots}/alert-destinations-empty-en.png`, fullPage: true });
    await b.setLanguage(page, "fa");
    await page.reload();
    await empty.getByText("هنوز مقصد هشداری نیست").waitFor();
    await empty.getByRole("button", { name: "افزودن مقصد" }).waitFor();
    if (shots) await page.screenshot({ path: `${shots}/alert-destinations-empty-fa.png`, fullPage: true });
    await b.setLanguage(page, "en");
    await page.reload();
    await add(page, "Ticketing", `${base}/hook`, empty.getByRole("button", { name: "Add destination" }));
    const secretDialog = page.getByRole("dialog", { name: "Signing secret" });
    await secretDialog.waitFor();
    expect(await secretDialog.getByRole("textbox").inputValue()).toMatch(/^whsec_/);
    if (shots) await page.screenshot({ path: `${shots}/alert-destinations-secret-en.png`, fullPage: true });
    await secretDialog.getByRole("button", { name: "Done" }).click();

    const row = page.getByTestId("destination").filter({ hasText: "Ticketing" });
    await row.getByText("127.0.0.1:", { exact: false }).waitFor();
    await row.getByRole("button", { name: "Send test: Ticketing" }).click();
    await row.getByText("Delivered", { exact: true }).waitFor({ timeout: 25_000 });
    expect(received).toContain("/hook");

    await add(page, "Broken receiver", `${base}/broken`);
    await page.getByRole("dialog", { name: "Signing secret" }).getByRole("button", { name: "Done" }).click();
    const broken = page.getByTestId("destination").filter({ hasText: "Broken receiver" });
    await broken.getByRole("button", { name: "Send test: Broken receiver" }).click();
    // The reason is inserted bidi-isolated (it stays readable inside right-to-left text).
    await broken.getByText(/^Failed: \u2068?HTTP 500 Internal Server Error\u2069?$/).waitFor({ timeout: 25_000 });
    expect(received).toContain("/broken");

    const violations = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
    if (shots) await page.screenshot({ path: `${shots}/alert-destinations-en.png`, fullPage: true });

    await page.getByRole("button", { name: "Add destination" }).click();
    await page.getByRole("dialog", { name: "Add destination" }).getByText("Slack", { exact: true }).click();
    await page.waitForTimeout(300); // the kind switch's slide
    if (shots) await page.screenshot({ path: `${shots}/alert-destinations-add-en.png`, fullPage: true });
    await page.keyboard.press("Escape");

    await b.setLanguage(page, "fa");
    await page.goto(`${b.server.url}/settings/alert-destinations`);
    await page.getByRole("heading", { name: "مقصدهای هشدار", level: 1 }).waitFor();
    expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
    if (shots) await page.screenshot({ path: `${shots}/alert-destinations-fa.png`, fullPage: true });
    await page.getByRole("button", { name: "افزودن مقصد" }).click();
    await page.getByRole("dialog").getByText("وب‌هوک", { exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "بستن", exact: true }).waitFor();
    // Messages default to the admin's own language.
    expect(await page.getByRole("dialog").getByLabel("زبان", { exact: true }).inputValue()).toBe("فارسی");
    await page.waitForTimeout(300); // the kind switch's slide
    if (shots) await page.screenshot({ path: `${shots}/alert-destinations-add-fa.png`, fullPage: true });
  });
});
