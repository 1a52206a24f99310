import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../../contracts/roles";
import { createApp } from "../../../http/app";
import { describeEachDatabase } from "../../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../../test/support/services";
import { buildWorkspace, signedInClient } from "../../../../../test/support/factories";
import type { HttpClient } from "../../../../../test/support/http";
import { startLinkPages } from "../../../../../test/support/link-pages";
import { isNonPublicAddress, safeFetch } from "../../../net/safe-fetch";

describe("the address guard", () => {
  it.each([
    ["127.0.0.1", true], ["10.1.2.3", true], ["172.20.0.1", true], ["192.168.1.1", true], ["169.254.169.254", true], ["100.64.0.1", true],
    ["0.0.0.0", true], ["224.0.0.1", true], ["::1", true], ["::", true], ["fe80::1", true], ["fd00::1", true], ["::ffff:127.0.0.1", true],
    ["::ffff:a9fe:a9fe", true], ["not-an-ip", true],
    ["93.184.215.14", false], ["8.8.8.8", false], ["2606:4700:4700::1111", false], ["::ffff:8.8.8.8", false],
  ])("%s is refused: %s", (address, refused) => {
    expect(isNonPublicAddress(address)).toBe(refused);
  });
});

describeEachDatabase("link previews", (kind) => {
  let services: TestServices;
  let pages: Awaited<ReturnType<typeof startLinkPages>>;
  let member: HttpClient;

  beforeAll(async () => {
    pages = await startLinkPages();
    // The test site is on loopback: this server's operator allowed it by name. `guarded` allows nothing.
    services = await createTestServices(kind, { PARAPET_LINK_PREVIEW_ALLOWED_HOSTS: "127.0.0.1", PARAPET_LINK_PREVIEW_TIMEOUT_MS: "1500" });
    const app = createApp(services);
    const { people } = await buildWorkspace(services);
    member = await signedInClient(app, (people as Record<Role, { email: string }>).member);
  });
  afterAll(async () => {
    await services.close();
    await pages.close();
  });

  const preview = (url: string, client = member) => client.post("/api/v1/link-previews", { url });

  it("reads a page's OpenGraph title, description, site and image (kept as checked bytes), and caches it", async () => {
    const res = await preview(`${pages.url}/roast`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      url: `${pages.url}/roast`,
      finalUrl: `${pages.url}/roast`,
      title: "Winter roast: Kettle & Ember",
      description: "Notes of plum and cocoa. Roasted on Mondays, shipped on Tuesdays.",
      siteName: "Ember & Oak",
    });
    expect(res.body.image).toBe(`data:image/png;base64,${pages.png.toString("base64")}`);
    // Asked again: from the cache, the page is not read a second time.
    expect((await preview(`${pages.url}/roast`)).body.title).toBe("Winter roast: Kettle & Ember");
    expect(pages.hits.get("/roast")).toBe(1);
    // After six hours it is read again.
    services.clock.advance(6 * 3_600_000 + 1000);
    expect((await preview(`${pages.url}/roast`)).status).toBe(200);
    expect(pages.hits.get("/roast")).toBe(2);
  });

  it("falls back to the Twitter card, then to <title>, and follows a redirect", async () => {
    expect((await preview(`${pages.url}/twitter`)).body).toMatchObject({ title: "A card from Twitter tags", description: "Described for Twitter", image: null });
    const titled = await preview(`${pages.url}/title-only`);
    expect(titled.body).toMatchObject({ title: "Brewing guide for beginners", description: null, siteName: "127.0.0.1", image: null });
    const redirected = await preview(`${pages.url}/to-roast`);
    expect([redirected.status, redirected.body.finalUrl, redirected.body.title]).toEqual([200, `${pages.url}/roast`, "Winter roast: Kettle & Ember"]);
  });

  it("reads only the start of a huge page and stops the transfer", async () => {
    const started = Date.now();
    const res = await preview(`${pages.url}/huge`);
    expect([res.status, res.body.title, res.body.description]).toEqual([200, "A very long page", "Fifty megabytes of text"]);
    expect(Date.now() - started).toBeLessThan(5000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(pages.huge.finished).toBe(false);
    expect(pages.huge.sent).toBeLessThan(20 * 1024 * 1024);
  });

  it("gives up on a slow page at the deadline", async () => {
    const started = Date.now();
    const res = await preview(`${pages.url}/slow`);
    expect([res.status, res.body.error.code]).toEqual([422, "link_preview_unreachable"]);
    expect(res.body.error.message).toContain("too long");
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it("refuses a redirect to a private or loopback address that is not allowed", async () => {
    const metadata = await preview(`${pages.url}/to-metadata`);
    expect([metadata.status, metadata.body.error.code]).toEqual([422, "link_preview_blocked"]);
    // localhost resolves to 127.0.0.1, but only the name 127.0.0.1 is allowed.
    const localhost = await preview(`${pages.url}/to-localhost`);
    expect([localhost.status, localhost.body.error.code]).toEqual([422, "link_preview_blocked"]);
    expect(pages.hits.get("/roast")).toBe(3); // the redirect test's; never through localhost
  });

  it("refuses loopback and private addresses the operator did not allow, by name or by address", async () => {
    for (const url of [`http://localhost:${pages.port}/roast`, `http://[::1]:${pages.port}/roast`, `http://127.0.0.2:${pages.port}/roast`, "http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/"]) {
      const res = await preview(url);
      expect([res.status, res.body.error.code], url).toEqual([422, "link_preview_blocked"]);
    }
    // Without the operator's setting, the test site itself is refused too.
    const bounds = { timeoutMs: 1500, maxBytes: 10_000, maxRedirects: 5, accept: ["text/html"] };
    await expect(safeFetch(`${pages.url}/roast`, { ...bounds, allowedHosts: [] })).rejects.toMatchObject({ kind: "blocked" });
    await expect(safeFetch(`${pages.url}/roast`, { ...bounds, allowedHosts: ["127.0.0.1"] })).resolves.toMatchObject({ finalUrl: `${pages.url}/roast` });
  });

  it("answers with a stable code what has no preview", async () => {
    const cases: Array<[string, number, string]> = [
      ["ftp://example.com/file", 400, "invalid_input"],
      ["file:///etc/passwd", 400, "invalid_input"],
      ["not a link", 400, "invalid_input"],
      [`http://user:secret@127.0.0.1:${pages.port}/roast`, 400, "invalid_input"],
      [`${pages.url}/missing`, 422, "link_preview_unreachable"],
      [`${pages.url}/loop`, 422, "link_preview_unreachable"],
      [`${pages.url}/data.json`, 422, "link_preview_not_a_page"],
      [`${pages.url}/nothing`, 422, "link_preview_empty"],
      [`http://127.0.0.1:1/`, 422, "link_preview_unreachable"],
    ];
    for (const [url, status, code] of cases) {
      const res = await preview(url);
      expect([res.status, res.body.error?.code], url).toEqual([status, code]);
    }
    // Failures are not cached: the missing page is asked again.
    await preview(`${pages.url}/missing`);
    expect(pages.hits.get("/missing")).toBe(2);
  });
});
