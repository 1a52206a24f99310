import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { testSettings } from "../../config";

/**
 * Test support: installs (on first use) and starts the Bluesky test peer in `test-peers/bluesky/` — the real
 * Bluesky servers from @atproto/dev-env on loopback, on that folder's own Node 22 — and talks to its control API.
 * Used by the Bluesky connector's tests only.
 */

export const PEER_DIR = fileURLToPath(new URL("../../../../test-peers/bluesky/", import.meta.url));
const READY_PREFIX = "PARAPET_BLUESKY_PEER ";
const START_TIMEOUT_MS = 120_000;

export type PeerAccount = { did: string; handle: string; password: string; appPassword: string };
export type PeerPost = { uri: string; cid: string };

export type BlueskyTestPeer = {
  pds: string;
  plc: string;
  appview: string;
  firehose: string;
  chatService: string;
  /** The Jetstream test peer's `…/subscribe` URL (our stand-in fed by the PDS's firehose). */
  jetstream: string;
  createAccount(input?: { prefix?: string; displayName?: string }): Promise<PeerAccount>;
  /** Posts as an account the peer made (mentions, links and hashtags become facets), optionally replying or quoting. */
  post(as: string, text: string, extra?: { replyTo?: string; quote?: string }): Promise<PeerPost>;
  like(as: string, uri: string): Promise<PeerPost>;
  repost(as: string, uri: string): Promise<PeerPost>;
  /** Sends a direct message through the PDS to the chat test peer; returns the conversation. */
  message(as: string, to: string, text: string): Promise<{ convoId: string; messageId: string }>;
  /** A further app password of the account; `privileged` ones may read and send direct messages. */
  createAppPassword(as: string, input: { privileged: boolean }): Promise<{ password: string }>;
  /** Waits until the AppView has indexed every write (it indexes asynchronously). */
  processAll(): Promise<void>;
  stop(): Promise<void>;
};

/** Whether this run must not skip the Bluesky suite (CI). */
export const blueskyRequired = () => testSettings().ci;

/** Why the peer cannot run here (no PostgreSQL for its AppView: neither TEST_DATABASE_URL nor the binaries), or null. */
export function missingPostgres(): string | null {
  if (testSettings().databaseUrl) return null;
  const root = "/usr/lib/postgresql";
  const found = existsSync(root) && readdirSync(root).some((version) => existsSync(`${root}/${version}/bin/initdb`));
  return found ? null : "its AppView needs PostgreSQL: set TEST_DATABASE_URL or install postgresql";
}

/** Installs the peer's packages when missing or older than its lock file (test-peers/bluesky/install.mjs); returns why it failed, or null. */
export function ensurePeerInstalled(): string | null {
  const result = spawnSync(process.execPath, [`${PEER_DIR}install.mjs`], { encoding: "utf8", stdio: ["ignore", "inherit", "pipe"], timeout: 15 * 60_000 });
  if (result.status === 0) return null;
  const said = `${result.stderr ?? ""}`.trim().split("\n").slice(-4).join(" | ");
  return `installing test-peers/bluesky failed: ${said || result.error?.message || `exit ${result.status}`}`;
}

/** Starts the peer process and waits for its URLs. */
export async function startPeer(): Promise<BlueskyTestPeer> {
  const child = spawn(`${PEER_DIR}node_modules/.bin/node`, ["start.mjs"], {
    cwd: PEER_DIR,
    // PostgreSQL for the AppView: a fresh database in the one the tests use, else the peer starts its own.
    env: { ...testSettings().childEnv, PEER_DATABASE_URL: testSettings().databaseUrl ?? "" },
    stdio: ["pipe", "pipe", "pipe"], // stdin stays open: the peer stops when it closes (this process died)
  });
  const info = await readyInfo(child);
  const control = info.control;
  const send = async <T>(path: string, body: unknown = {}): Promise<T> => {
    const response = await fetch(`${control}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const answer = (await response.json()) as T & { message?: string };
    if (!response.ok) throw new Error(`Bluesky test peer ${path}: ${answer.message ?? response.status}`);
    return answer;
  };
  return {
    pds: info.pds,
    plc: info.plc,
    appview: info.appview,
    firehose: info.firehose,
    chatService: info.chatService,
    jetstream: info.jetstream,
    createAccount: (input = {}) => send("/accounts", input),
    post: (as, text, extra = {}) => send("/posts", { as, text, ...extra }),
    like: (as, uri) => send("/likes", { as, uri }),
    repost: (as, uri) => send("/reposts", { as, uri }),
    message: (as, to, text) => send("/messages", { as, to, text }),
    createAppPassword: (as, input) => send("/app-passwords", { as, ...input }),
    processAll: () => send<unknown>("/process-all").then(() => undefined),
    stop: () => stopChild(child),
  };
}

type ReadyInfo = { pds: string; plc: string; appview: string; firehose: string; chatService: string; jetstream: string; control: string };

function readyInfo(child: ChildProcess): Promise<ReadyInfo> {
  return new Promise((resolve, reject) => {
    let output = "";
    let errors = "";
    const onExit = (code: number | null, signal: string | null) => fail(`it exited (${signal ?? code})`);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`the Bluesky test peer did not start: ${why}\n${errors.split("\n").slice(-20).join("\n")}`));
    };
    const timer = setTimeout(() => fail(`not ready within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    child.stderr!.on("data", (chunk: Buffer) => {
      errors = (errors + chunk.toString()).slice(-20_000);
    });
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split("\n").find((candidate) => candidate.startsWith(READY_PREFIX));
      if (!line) return;
      clearTimeout(timer);
      child.off("exit", onExit);
      child.stdout!.removeAllListeners("data");
      child.stdout!.resume(); // keep draining what the servers print
      resolve(JSON.parse(line.slice(READY_PREFIX.length)) as ReadyInfo);
    });
    child.once("exit", onExit);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  await exited;
  clearTimeout(timer);
}
