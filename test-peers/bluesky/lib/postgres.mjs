// The AppView needs PostgreSQL: a fresh database in the server given (CI's), or a throwaway cluster of our own.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import net from "node:net";
import pg from "pg";

const randomLetters = (length) => Array.from({ length }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("");

/** A database for one run of the peer; `close()` drops it (or stops the cluster). */
export async function openDatabase(serverUrl) {
  return serverUrl ? databaseIn(serverUrl) : throwawayCluster();
}

async function databaseIn(serverUrl) {
  const name = `parapet_bsky_${randomLetters(10)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async close() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

function postgresBin() {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(`${root}/${v}/bin/initdb`)) : [];
  if (versions.length === 0) throw new Error("PostgreSQL is not installed (apt-get install postgresql), and no TEST_DATABASE_URL was given");
  return `${root}/${versions.sort((a, b) => Number(a) - Number(b)).at(-1)}/bin`;
}

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function throwawayCluster() {
  const bin = postgresBin();
  const dir = mkdtempSync("/tmp/parapet-bsky-pg-");
  // PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user.
  const asRoot = process.getuid?.() === 0;
  const run = (command, args) => (asRoot ? execFileSync("runuser", ["-u", "postgres", "--", `${bin}/${command}`, ...args], { stdio: "ignore" }) : execFileSync(`${bin}/${command}`, args, { stdio: "ignore" }));
  if (asRoot) {
    chmodSync(dir, 0o755);
    execFileSync("chown", ["postgres", dir]);
  }
  const port = await freePort();
  run("initdb", ["-D", `${dir}/data`, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  run("pg_ctl", ["-D", `${dir}/data`, "-l", `${dir}/log`, "-w", "-o", options, "start"]);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    async close() {
      run("pg_ctl", ["-D", `${dir}/data`, "-m", "immediate", "-w", "stop"]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
