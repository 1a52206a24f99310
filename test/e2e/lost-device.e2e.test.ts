import { describe, expect, it } from "vitest";
import { canRunBrowser, useBrowser } from "../support/browser";

const PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 19_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/19.0 Mobile/15E148 Safari/604.1";
const LAPTOP = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";

/**
 * Members in a browser: an admin secures a member's lost phone (its session ends, the laptop's stays but must set up a
 * new second factor), then removes the member and hands their work to someone who stays.
 */
describe.skipIf(!canRunBrowser)("lost device and removal in a browser", () => {
  const t = useBrowser("lost-device");

  it("ends the phone's session, keeps the laptop's, and sends the laptop to set up a new second factor", async () => {
    const phone = await t.signedIn({ email: t.demoPerson("jan"), next: "/", userAgent: PHONE });
    const laptop = await t.signedIn({ email: t.demoPerson("jan"), next: "/", userAgent: LAPTOP });

    const admin = await t.signedIn({ next: "/settings/members" });
    await admin.getByRole("button", { name: /Secure a lost device of \W*Jan de Vries/ }).click();
    const dialog = admin.getByRole("dialog");
    await dialog.getByText(/Lost device: \W*Jan de Vries/).waitFor();
    // Devices read "Safari on iOS"; the names come wrapped in direction isolates, hence \W+.
    await dialog.getByRole("checkbox", { name: /Safari\W+on\W+iOS/ }).check();
    expect(await dialog.getByRole("checkbox", { name: /Firefox\W+on\W+Linux/ }).isChecked()).toBe(false);
    expect(await dialog.getByRole("checkbox", { name: "Require a new second factor" }).isChecked()).toBe(true);
    if (t.shots) await admin.screenshot({ path: `${t.shots}/lost-device-en.png` });
    await dialog.getByRole("button", { name: "Secure now" }).click();
    await admin.getByText(/1\W* session of \W*Jan de Vries\W* ended\. Second factors removed/).waitFor();

    await phone.reload();
    await phone.waitForURL((url) => url.pathname === "/sign-in");
    await laptop.reload();
    await laptop.waitForURL((url) => url.pathname === "/mfa/setup");
    await laptop.getByText(/An administrator removed your second factors because a device of yours was lost/).waitFor();
    if (t.shots) await laptop.screenshot({ path: `${t.shots}/lost-device-reenrol-en.png` });

    // The admin's view in Persian reads right to left.
    await t.setLanguage(admin, "fa");
    await admin.reload();
    await admin.getByRole("button", { name: /ایمن کردن دستگاه گمشدهٔ/ }).first().click();
    await admin.getByRole("dialog").getByText("نشست‌هایی که پایان می‌یابند").waitFor();
    expect(await admin.evaluate(() => document.documentElement.dir)).toBe("rtl");
    if (t.shots) await admin.screenshot({ path: `${t.shots}/lost-device-fa.png` });
    await t.setLanguage(admin, "en");
  });

  it("removing a member says what happens, hands their posts to the person chosen, and reports the counts", async () => {
    const admin = await t.signedIn({ next: "/settings/members" });
    await admin.getByRole("button", { name: /Remove \W*Jan de Vries/ }).click();
    const dialog = admin.getByRole("dialog");
    await dialog.getByText(/their scheduled posts are held for review/).waitFor();
    await dialog.getByLabel(/^Hand their work over to/).click();
    await admin.getByRole("option", { name: "Sofia Greco" }).click();
    if (t.shots) await admin.screenshot({ path: `${t.shots}/remove-member-en.png` });
    await dialog.getByRole("button", { name: "Remove" }).click();
    await admin.getByText(/Jan de Vries\W* is removed\..*Posts handed to \W*Sofia Greco\W*: \W*[1-9]/).waitFor();
    await admin.getByRole("row", { name: /Jan de Vries/ }).waitFor({ state: "detached" });
  });
});
