import AxeBuilder from "@axe-core/playwright";
import { describe, expect, it } from "vitest";
import { canRunBrowser, useBrowser } from "../support/browser";

/** Settings → Security, "Provisioning (SCIM)": an admin makes a token for the identity provider, sees it once, revokes it. */
describe.skipIf(!canRunBrowser)("SCIM settings in a browser", () => {
  const t = useBrowser("scim");
  const signedIn = (next: string) =>
    t.signedIn({ next, viewport: { width: 1400, height: 1100 }, prepare: (context) => context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: t.server.url }) });
  const scimUsers = (token: string) => fetch(`${t.server.url}/scim/v2/Users`, { headers: { authorization: `Bearer ${token}` } });

  it("creates a token that is shown once, with a copy button; the provider can use it until it is revoked", async () => {
    const page = await signedIn("/settings/security");
    const section = page.getByRole("region", { name: "Provisioning (SCIM)" });
    await section.waitFor();
    expect(await section.getByRole("textbox", { name: "SCIM base URL" }).inputValue()).toBe(`${t.server.url}/scim/v2`);
    await section.getByText("No SCIM tokens yet").waitFor();

    // An empty name is refused in the form.
    await section.getByRole("button", { name: "Create token" }).click();
    await section.getByText("Fill this in").waitFor();

    await section.getByRole("textbox", { name: /^Token name/ }).fill("Okta");
    await section.getByRole("button", { name: "Create token" }).click();
    const dialog = page.getByRole("dialog", { name: "Copy your new SCIM token" });
    await dialog.waitFor();
    const token = await dialog.getByRole("textbox", { name: /^SCIM token \W*Okta/ }).inputValue();
    expect(token).toMatch(/^scim_[A-Za-z0-9_-]{43}$/);
    await dialog.getByText("This is the only time the token is shown").waitFor();
    await dialog.getByRole("button", { name: /Copy/ }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    if (t.shots) await page.screenshot({ path: `${t.shots}/scim-token-created-en.png` });
    await dialog.getByRole("button", { name: "Done" }).click();
    await dialog.waitFor({ state: "hidden" });

    // Shown once: the page no longer holds it anywhere.
    await page.reload();
    await section.getByRole("table", { name: "SCIM tokens" }).waitFor();
    expect(await page.content()).not.toContain(token);
    const row = section.getByRole("row", { name: /Okta/ });
    await row.getByText("Active").waitFor();
    await row.getByText("Not used yet").waitFor();
    const violations = (await new AxeBuilder({ page }).include("section[aria-labelledby=scim-heading]").analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(violations.map((v) => v.id)).toEqual([]);

    // The identity provider uses it; the list says when, and the audit log names the token as the actor.
    expect((await scimUsers(token)).status).toBe(200);
    const provisioned = await fetch(`${t.server.url}/scim/v2/Users`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
      body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "noor@ember-oak.test", displayName: "Noor Haddad", active: true }),
    });
    expect(provisioned.status).toBe(201);
    await page.goto(`${t.server.url}/settings/audit`);
    const entry = page.getByRole("row", { name: /Provisioned a person \(SCIM\)/ });
    await entry.getByText(/SCIM \(token "Okta", scim_/).waitFor();
    if (t.shots) await page.screenshot({ path: `${t.shots}/scim-audit-en.png` });
    await page.goto(`${t.server.url}/settings/security`);
    await section.getByRole("row", { name: /Okta/ }).getByText("Not used yet").waitFor({ state: "detached" });
    if (t.shots) await page.screenshot({ path: `${t.shots}/scim-settings-en.png`, fullPage: true });

    await section.getByRole("button", { name: /^Revoke the SCIM token \W*Okta/ }).click();
    const confirm = page.getByRole("dialog", { name: "Revoke this SCIM token?" });
    await confirm.getByText(/can no longer add, change or remove people/).waitFor();
    await confirm.getByRole("button", { name: "Revoke" }).click();
    await page.getByText(/^SCIM token \W*Okta\W* revoked\.$/).waitFor();
    await section.getByRole("row", { name: /Okta/ }).getByText("Revoked").waitFor();
    expect(await section.getByRole("button", { name: /^Revoke the SCIM token \W*Okta/ }).count()).toBe(0);
    const refused = await scimUsers(token);
    expect(refused.status).toBe(401);
    expect((await refused.json()).schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);

    // In Persian the card reads right to left.
    await t.setLanguage(page, "fa");
    await page.reload();
    await page.getByRole("region", { name: "تأمین خودکار کاربران (SCIM)" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
    await page.getByRole("region", { name: "تأمین خودکار کاربران (SCIM)" }).getByText("باطل‌شده").waitFor();
    if (t.shots) {
      await page.getByRole("region", { name: "تأمین خودکار کاربران (SCIM)" }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${t.shots}/scim-settings-fa.png`, fullPage: true });
    }
    await page.getByRole("region", { name: "تأمین خودکار کاربران (SCIM)" }).getByRole("textbox", { name: /^نام توکن/ }).fill("Entra ID");
    await page.getByRole("button", { name: "ساختن توکن" }).click();
    const persianDialog = page.getByRole("dialog", { name: "توکن SCIM جدید را کپی کنید" });
    await persianDialog.getByText(/فقط همین یک بار نمایش داده می‌شود/).waitFor();
    expect(await persianDialog.getByRole("textbox").inputValue()).toMatch(/^scim_/);
    if (t.shots) await page.screenshot({ path: `${t.shots}/scim-token-created-fa.png` });
    await persianDialog.getByRole("button", { name: /./ }).last().click();
    await t.setLanguage(page, "en");
  });
});
