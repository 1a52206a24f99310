import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPublisher, type Publisher } from "../../src/server/domains/publishing";
import { canRunBrowser, useBrowser } from "../support/browser";
import { GIF_1X1, pngImage } from "../support/images";

/**
 * Images in a browser, on the demo workspace: the social media manager adds pictures to a post (a PNG renamed .jpg is
 * taken as the PNG it is), describes one, sees the Sandbox's limit of four images checked as she adds a fifth,
 * removes and reorders, publishes now, sees the image on the post's page and then on the Sandbox's web view; the
 * composer and the post's page in Persian.
 */
describe.skipIf(!canRunBrowser)("media in a browser", () => {
  const b = useBrowser("media");
  const shots = b.shots;
  let publisher: Publisher;

  beforeAll(() => {
    publisher = startPublisher(b.server.services, { pollMs: 300 });
  });
  afterAll(async () => {
    await publisher?.stop();
  });

  async function noSeriousViolations(page: Page) {
    const violations = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  }
  const file = (name: string, mimeType: string, buffer: Buffer) => ({ name, mimeType, buffer });

  it("a manager adds images with alt text, publishes, and the Sandbox shows them", async () => {
    const page = await b.signedIn({ email: b.demoPerson("sofia"), next: "/publishing/new" });
    await page.getByRole("checkbox", { name: /@emberoak · Sandbox/ }).check();
    const words = `Our new roastery, in pictures ${Date.now()}`;
    await page.getByRole("textbox", { name: "Text" }).fill(words);
    const input = page.locator('input[type="file"]');
    // A PNG renamed .jpg: the server finds it is a PNG.
    await input.setInputFiles([file("roastery.jpg", "image/jpeg", pngImage(240, 160, { color: [196, 98, 45] })), file("dot.gif", "image/gif", GIF_1X1)]);
    const items = page.getByTestId("media-item");
    await expect.poll(() => items.count(), { timeout: 15_000 }).toBe(2);
    await items.first().getByText(/PNG/).waitFor();
    await page.getByText("No alt text yet: please describe the image").first().waitFor();
    await page.getByLabel(/^Alt text for image \W*1\W*$/).fill("The copper roaster in the morning light");
    // A fifth image is one more than the Sandbox takes: said at once, per channel.
    await input.setInputFiles([1, 2, 3].map((i) => file(`extra-${i}.png`, "image/png", pngImage(40, 40, { color: [i * 60, 120, 90] }))));
    await expect.poll(() => items.count(), { timeout: 15_000 }).toBe(5);
    await page.getByText(/emberoak\W*: at most \W*4\W* images per post/).waitFor();
    for (let i = 0; i < 3; i++) await page.getByRole("button", { name: /^Remove image \W*3\W*$/ }).click();
    await expect.poll(() => items.count()).toBe(2);
    expect(await page.getByText(/emberoak\W*: at most \W*4\W* images per post/).count()).toBe(0);
    // The GIF goes first.
    await page.getByRole("button", { name: /^Move image \W*2\W* earlier$/ }).click();
    await expect.poll(() => page.getByLabel(/^Alt text for image \W*2\W*$/).inputValue()).toBe("The copper roaster in the morning light");
    await page.getByLabel(/^Alt text for image \W*1\W*$/).fill("A single white dot");
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/media-composer-en.png`, fullPage: true });

    await page.getByRole("radio", { name: "Publish now" }).check();
    await page.getByRole("button", { name: "Publish now" }).click();
    await page.waitForURL((url) => /^\/publishing\/posts\/[0-9a-f-]+$/.test(url.pathname));
    const gallery = page.getByTestId("post-media");
    await gallery.getByRole("img", { name: "The copper roaster in the morning light" }).waitFor();
    await gallery.getByText("A single white dot").waitFor();
    const card = page.locator('[data-channel="emberoak"]');
    await card.locator('[data-status="published"]').waitFor({ timeout: 30_000 });
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/media-detail-en.png`, fullPage: true });

    // On the Sandbox's web view: the two images, in order, with their descriptions, loaded.
    const href = (await card.getByRole("link", { name: /View the post on \W*emberoak/ }).getAttribute("href"))!;
    const sandbox = await page.context().newPage();
    await sandbox.goto(`${b.server.url}${href}`);
    await sandbox.getByText(words).first().waitFor();
    const images = sandbox.locator("article.post.large img");
    expect(await images.evaluateAll((imgs) => imgs.map((img) => [(img as HTMLImageElement).alt, (img as HTMLImageElement).naturalWidth]))).toEqual([
      ["A single white dot", 1],
      ["The copper roaster in the morning light", 240],
    ]);
    if (shots) await sandbox.screenshot({ path: `${shots}/media-sandbox.png`, fullPage: true });

    // Persian: the composer with an image, and the post's page.
    await b.setLanguage(page, "fa");
    const postPath = new URL(page.url()).pathname;
    await page.goto(`${b.server.url}${postPath}`);
    await page.getByTestId("post-media").waitFor();
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/media-detail-fa.png`, fullPage: true });
    await page.goto(`${b.server.url}/publishing/new`);
    await page.getByRole("checkbox", { name: /emberoak/ }).first().check();
    await page.locator('input[type="file"]').setInputFiles([file("قهوه.png", "image/png", pngImage(200, 120, { color: [90, 60, 30] }))]);
    await page.getByTestId("media-item").waitFor();
    await page.getByText("هنوز متن جایگزینی ندارد: لطفاً تصویر را توصیف کنید").waitFor();
    await page.locator('input[type="file"]').setInputFiles([1, 2, 3, 4].map((i) => file(`${i}.png`, "image/png", pngImage(30, 30, { color: [i * 50, 40, 40] }))));
    await page.getByText(/حداکثر .* تصویر در هر پست/).waitFor({ timeout: 15_000 });
    await noSeriousViolations(page);
    if (shots) await page.screenshot({ path: `${shots}/media-composer-fa.png`, fullPage: true });
    await b.setLanguage(page, "en");
  }, 240_000);

  it("a file that is not an image is refused whatever its name, and said so", async () => {
    const page = await b.signedIn({ email: b.demoPerson("sofia"), next: "/publishing/new" });
    await page.locator('input[type="file"]').setInputFiles([file("totally-a-photo.png", "image/png", Buffer.from("just some text, not a picture\n"))]);
    await page.getByRole("alert").getByText(/totally-a-photo\.png.*not a JPEG, PNG, GIF or WebP image/).waitFor();
    expect(await page.getByTestId("media-item").count()).toBe(0);
  }, 120_000);
});
