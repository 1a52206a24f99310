import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LOCALES, WORKSPACE_ACTIONS } from "../../contracts/roles";

const here = new URL(".", import.meta.url).pathname;
const webRoot = join(here, "..");
type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out[path] = value;
    else Object.assign(out, flatten(value, path));
  }
  return out;
}

const load = (locale: string) => flatten(JSON.parse(readFileSync(join(here, `${locale}.json`), "utf8")) as Tree);
const variables = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
/** "home.ofMembers_one" and "home.ofMembers_other" are one key to the code. */
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, "");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("translations", () => {
  const english = load("en");

  it.each(LOCALES.filter((l) => l !== "en"))("%s has exactly the keys English has, with the same placeholders", (locale) => {
    const other = load(locale);
    const baseKeys = (messages: Record<string, string>) => [...new Set(Object.keys(messages).map(base))].sort();
    expect(baseKeys(other)).toEqual(baseKeys(english));
    for (const [key, text] of Object.entries(other)) {
      const englishText = english[key] ?? english[`${base(key)}_other`] ?? english[base(key)];
      expect({ key, vars: variables(text) }).toEqual({ key, vars: variables(englishText) });
    }
  });

  it("gives every text that counts things a singular and a plural form ('1 held post', not '1 held posts')", () => {
    // Texts that show a number as a figure or a bound, never beside a noun that agrees with it.
    const figures = new Set([
      "validation.passwordLength", "reset.intro", "invitation.newIntro", "account.passwordIntro", // a minimum, never 1
      "home.paused.open", "home.checks.alerts.kind", "crisis.mode.notifiedLine", "crisisEvent.stakeholders_notified", "crisis.held.pendingCount",
    ]);
    const counting = Object.entries(english).filter(([key, text]) => /\{\{(count|formatted)\}\}/.test(text) && base(key) === key && !figures.has(key));
    expect(counting.map(([key, text]) => `${key}: ${text}`)).toEqual([]);
    for (const locale of LOCALES) {
      const messages = load(locale);
      const plurals = Object.keys(english).filter((key) => key.endsWith("_one")).map(base); // "kind_other" is a kind, not a plural
      const missing = plurals.flatMap((key) => ["_one", "_other"].map((suffix) => key + suffix).filter((key) => !(key in messages)));
      expect({ locale, missing }).toEqual({ locale, missing: [] });
    }
  });

  it("has every key the web app asks for", () => {
    const known = new Set(Object.keys(english).map(base));
    const namespaces = new Set(Object.keys(english).map((key) => key.split(".")[0]));
    const missing: string[] = [];
    for (const file of sourceFiles(webRoot)) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/["`]([a-zA-Z]+(?:\.[a-zA-Z_:]+)+)["`]/g)) {
        const key = match[1];
        const isAction = (WORKSPACE_ACTIONS as readonly string[]).includes(key); // "members.read" is a permission, not text
        if (namespaces.has(key.split(".")[0]) && !isAction && !known.has(key)) missing.push(`${key} (${file.slice(webRoot.length)})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("translates every role, token scope and invitation status", async () => {
    const { ROLES, TOKEN_SCOPES } = await import("../../contracts/roles");
    for (const role of ROLES) expect(english[`roles.${role}`]).toBeTruthy();
    for (const scope of TOKEN_SCOPES) expect(english[`scopes.${scope}`]).toBeTruthy();
    for (const status of ["pending", "accepted", "revoked", "expired"]) expect(english[`members.statuses.${status}`]).toBeTruthy();
  });
});

describe("audit action names", () => {
  it("has a readable name for every audit event type the server writes", async () => {
    // A test may look at the server's list; the web bundle itself never imports server code.
    const { AUDIT_EVENT_TYPES } = await import("../../server/audit/events");
    const english = load("en");
    expect(AUDIT_EVENT_TYPES.filter((type) => !english[`audit.actions.${type}`])).toEqual([]);
  });
});

describe("error messages", () => {
  it("has a message in the user's language for every error code the server can answer with", () => {
    // Read from the server's sources as text: the codes are stable API, the web bundle never imports them.
    const serverRoot = join(webRoot, "..", "server");
    const codes = new Set<string>();
    for (const file of sourceFiles(serverRoot)) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/(?:new AppError|conflict|gone)\(\s*"([a-z_]+)"/g)) codes.add(match[1]);
    }
    // Raised at process start (a second server on the same embedded database), never in an HTTP answer.
    codes.delete("database_in_use");
    expect(codes.size).toBeGreaterThan(5);
    const english = load("en");
    expect([...codes].filter((code) => !english[`errors.${code}`]).sort()).toEqual([]);
  });
});
