import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Imports between domains point one way (ARCHITECTURE.md, dependency rules). The crisis domain builds on channels and
 * publishing (it pauses, holds and decides their posts); they ask a crisis lock down only through their own ports
 * (channels/channel-lockdown.ts, publishing/lockdown-policy.ts) that the composition root fills. A test file may
 * import anything; the code may not.
 */
const DOMAINS = path.dirname(new URL(import.meta.url).pathname);
const FORBIDDEN: Array<{ from: string; to: string }> = [
  { from: "publishing", to: "crisis" },
  { from: "channels", to: "crisis" },
];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** Every module a file imports or re-exports (static and dynamic), resolved to an absolute path when relative. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? m[2]);
  return specifiers.map((s) => (s.startsWith(".") ? path.resolve(path.dirname(file), s) : s));
}

/**
 * Where one domain may enter another: its index.ts (exported commands and queries) and the ports it owns for the
 * other to fill — never its tables or inner modules. The importing domain's schema file is left out: a foreign key
 * to the other's table is the database's integrity, not a use of its rows.
 */
const ENTRANCES: Array<{ from: string; to: string; allowed: string[] }> = [{ from: "crisis", to: "publishing", allowed: ["index.ts", "lockdown-policy.ts"] }];

/** The file a relative import resolves to (`../publishing` → publishing/index.ts; `./x` → x.ts). */
function resolved(spec: string): string {
  if (fs.existsSync(spec + ".ts")) return spec + ".ts";
  if (fs.existsSync(spec + ".tsx")) return spec + ".tsx";
  if (fs.existsSync(path.join(spec, "index.ts"))) return path.join(spec, "index.ts");
  return spec;
}

describe("domain dependencies", () => {
  for (const { from, to, allowed } of ENTRANCES) {
    it(`${from} uses ${to} only through ${allowed.join(" and ")}, never its tables`, () => {
      const files = sourceFiles(path.join(DOMAINS, from)).filter((file) => !file.endsWith(".schema.ts"));
      expect(files.length).toBeGreaterThan(5);
      const target = path.join(DOMAINS, to);
      const entrances = allowed.map((file) => path.join(target, file));
      const offending = files.flatMap((file) =>
        importsOf(file)
          .filter((spec) => spec === target || spec.startsWith(target + path.sep))
          .map(resolved)
          .filter((spec) => !entrances.includes(spec))
          .map((spec) => `${path.relative(DOMAINS, file)} → ${path.relative(DOMAINS, spec)}`),
      );
      expect(offending).toEqual([]);
    });
  }

  for (const { from, to } of FORBIDDEN) {
    it(`${from} imports nothing of ${to}`, () => {
      const files = sourceFiles(path.join(DOMAINS, from));
      expect(files.length).toBeGreaterThan(5);
      const target = path.join(DOMAINS, to);
      const offending = files.flatMap((file) => importsOf(file).filter((spec) => spec === target || spec.startsWith(target + path.sep)).map((spec) => `${path.relative(DOMAINS, file)} → ${path.relative(DOMAINS, spec)}`));
      expect(offending).toEqual([]);
    });
  }
});
