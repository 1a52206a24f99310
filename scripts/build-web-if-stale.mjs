#!/usr/bin/env node
// Builds the web app (vite → dist/web) only when a source is newer than dist/web/index.html.
// Sources: src/web/**, src/contracts/**, vite.config.ts, postcss.config.cjs, package-lock.json.
// Prints one line; exits non-zero (with vite's output) when the build fails.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const output = join(root, "dist", "web", "index.html");
const sources = ["src/web", "src/contracts", "vite.config.ts", "postcss.config.cjs", "package-lock.json"].map((p) => join(root, p));

/** The newest file under a path (file or folder), as [mtimeMs, path]. */
function newest(path) {
  if (!existsSync(path)) return [0, path];
  const stat = statSync(path);
  if (!stat.isDirectory()) return [stat.mtimeMs, path];
  let best = [0, path];
  for (const entry of readdirSync(path)) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    const candidate = newest(join(path, entry));
    if (candidate[0] > best[0]) best = candidate;
  }
  return best;
}

const [sourceTime, sourcePath] = sources.map(newest).reduce((a, b) => (b[0] > a[0] ? b : a));
const builtTime = existsSync(output) ? statSync(output).mtimeMs : 0;

if (builtTime >= sourceTime) {
  console.log("web: dist/web is up to date");
  process.exit(0);
}

const reason = builtTime === 0 ? "no build yet" : `${relative(root, sourcePath)} changed`;
const started = Date.now();
const vite = join(root, "node_modules", "vite", "bin", "vite.js");
const result = spawnSync(process.execPath, [vite, "build", "--logLevel", "warn"], { cwd: root, encoding: "utf8" });
if (result.status !== 0) {
  process.stderr.write(result.stdout ?? "");
  process.stderr.write(result.stderr ?? "");
  console.error(`web: build failed (${reason}); see above`);
  process.exit(result.status ?? 1);
}
console.log(`web: built dist/web in ${((Date.now() - started) / 1000).toFixed(1)} s (${reason})`);
