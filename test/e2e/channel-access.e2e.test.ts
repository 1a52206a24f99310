import AxeBuilder from "@axe-core/playwright";
import { describe, expect, it } from "vitest";
import { canRunBrowser, useBrowser } from "../support/browser";

/** The people × channels matrix in a browser: an admin gives the intern access, and the intern then sees the channel. */
describe.skipIf(!canRunBrowser)("channel access in a browser", () => {
  const t = useBrowser("channel-access");
  const signedIn = (email: string, next: string, locale?: string) => t.signedIn({ email, next, locale });
  const jan = () => t.demoPerson("jan");

  it("shows who may do what, and an admin's change takes effect for that person", async () => {
    const intern = await signedIn(jan(), "/settings/channels");
    await intern.getByRole("row", { name: /@emberoak · Sandbox/ }).waitFor();
    expect(await intern.getByText("@emberoak_support").count()).toBe(0);

    const page = await signedIn(t.server.demo.email, "/settings/channel-access");
    const cell = page.getByRole("combobox", { name: /Level of \W*Jan de Vries\W* on @\W*emberoak_support/ });
    expect(await cell.inputValue()).toBe("none");
    // Through the Social media team, Jan drafts for approval on the main account.
    expect(await page.getByRole("row", { name: /Jan de Vries/ }).getByText(/Approval required\W+through\W+Social media/).count()).toBe(2);
    const violations = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(violations.map((v) => v.id)).toEqual([]);

    await cell.selectOption("reply");
    await page.getByRole("button", { name: "Save 1 change" }).click();
    await page.getByText("1 level changed.").waitFor();
    if (t.shots) await page.screenshot({ path: `${t.shots}/channel-access-en.png`, fullPage: true });

    await intern.reload();
    await intern.getByRole("row", { name: /@emberoak_support · Sandbox/ }).waitFor();
  });

  it("reads right to left in Persian", async () => {
    const page = await signedIn(t.server.demo.email, "/settings/channel-access");
    // The account's language wins over the browser's: switch it to Persian for this check, and back afterwards.
    const setLanguage = (locale: string) => t.setLanguage(page, locale);
    await setLanguage("fa");
    await page.reload();
    await page.getByRole("heading", { name: /دسترسی به کانال/, level: 1 }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
    if (t.shots) await page.screenshot({ path: `${t.shots}/channel-access-fa.png`, fullPage: true });
    await setLanguage("en");
  });
});
