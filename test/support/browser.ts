import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, onTestFailed } from "vitest";
import { startTestServer } from "./server";

export const CHROMIUM = "/usr/bin/chromium";
/** Browser tests run where Debian's Chromium is installed (and always in CI, where a missing one must fail). */
export const canRunBrowser = existsSync(CHROMIUM) || process.env.CI === "true";

/**
 * The API as the person signed in on `page` (their session cookie and CSRF token): for what a browser test sets up or
 * checks beside the UI. `body` is the parsed JSON answer (untyped unless `T` is given: each test reads what it asked for).
 */
export function apiAs<T = any>(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ([m, p, data]) => {
      const csrf = decodeURIComponent(document.cookie.match(/parapet_csrf=([^;]+)/)?.[1] ?? "");
      const res = await fetch(`/api/v1${p}`, { method: m, headers: { "content-type": "application/json", "x-csrf-token": csrf }, body: data === undefined ? undefined : JSON.stringify(data) });
      return { status: res.status, body: await res.json() };
    },
    [method, path, body] as const,
  ) as Promise<{ status: number; body: T }>;
}

export type SignIn = {
  /** Who signs in (default: the demo's owner); the demo password. */
  email?: string;
  /** Where to go after signing in; the sign-in waits until the browser is there. */
  next: string;
  locale?: string;
  viewport?: { width: number; height: number };
  userAgent?: string;
  acceptDownloads?: boolean;
  /** Called with the new context before anything loads (permissions, routes). */
  prepare?: (context: BrowserContext) => Promise<void>;
};

/**
 * A browser test file's fixtures, registered in the caller's `describe`: the web app built if stale, a real Parapet
 * with the demo workspace over real HTTP (`serverEnv` for its settings), and headless Chromium; both closed after.
 * `signedIn` opens a fresh browser context signed in through the sign-in page; a failed test leaves a screenshot of
 * every page it opened in test-results/e2e/<name>-*.png. `shots` is PARAPET_SCREENSHOTS, where tests save the
 * screenshots people look at.
 */
export function useBrowser(name: string, serverEnv: Record<string, string> = {}) {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  const shots = process.env.PARAPET_SCREENSHOTS;

  beforeAll(async () => {
    execFileSync(process.execPath, [fileURLToPath(new URL("../../scripts/build-web-if-stale.mjs", import.meta.url))], { stdio: "inherit" });
    server = await startTestServer(serverEnv);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
    if (shots) mkdirSync(shots, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signedIn(options: SignIn): Promise<Page> {
    const context = await browser.newContext({
      locale: options.locale ?? "en-US",
      viewport: options.viewport ?? { width: 1400, height: 1000 },
      ...(options.userAgent ? { userAgent: options.userAgent } : {}),
      ...(options.acceptDownloads ? { acceptDownloads: true } : {}),
    });
    await options.prepare?.(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    onTestFailed(async () => {
      if (!page.isClosed()) await page.screenshot({ path: `test-results/e2e/${name}-${Date.now()}.png`, fullPage: true }).catch(() => undefined);
    });
    await page.goto(`${server.url}/sign-in?next=${encodeURIComponent(options.next)}`);
    await page.getByLabel(/^(Email|ایمیل)/).fill(options.email ?? server.demo.email);
    await page.getByLabel(/^(Password|رمز عبور)/).fill(server.demo.password);
    await page.getByRole("button", { name: /^(Sign in|ورود)$/ }).click();
    await page.waitForURL((url) => url.pathname === options.next);
    return page;
  }

  /** Switches the signed-in person's language (the account's language wins over the browser's); reload to see it. */
  const setLanguage = async (page: Page, locale: string) => {
    const res = await apiAs(page, "PATCH", "/me", { locale });
    if (res.status !== 200) throw new Error(`could not change the language: ${res.status}`);
  };

  return {
    get server() {
      return server;
    },
    get browser() {
      return browser;
    },
    shots,
    signedIn,
    setLanguage,
    /** Another person of the demo workspace: `jan` → jan@<the demo's domain>. */
    demoPerson: (local: string) => server.demo.email.replace(/^[^@]+/, local),
  };
}
