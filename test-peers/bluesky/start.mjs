// Parapet's Bluesky test peer: the real Bluesky server software (@atproto/dev-env: PLC, PDS, AppView, …) on
// 127.0.0.1, the chat test peer behind the PDS's proxy, the Jetstream test peer, and a small control API the tests
// use to act as the audience. Runs on this folder's Node 22. When ready it prints one line: PARAPET_BLUESKY_PEER {json of urls}.
// Stops on SIGTERM/SIGINT or when its stdin closes (the test process that started it died).
//
//   PEER_DATABASE_URL   a PostgreSQL server to create the AppView's database in (else a throwaway cluster)
import "./lib/loopback-only.mjs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import express from "express";
import { openDatabase } from "./lib/postgres.mjs";
import { startChatPeer } from "./lib/chat-peer.mjs";
import { startJetstreamPeer } from "./lib/jetstream-peer.mjs";

// dev-env leaves data directories in the temporary folder: give this run its own and remove it at the end.
const runDir = mkdtempSync(join(tmpdir(), "parapet-bsky-peer-"));
process.env.TMPDIR = runDir;
process.env.REDIS_HOST ??= "unused:6379"; // TestNetwork asserts it is set; the AppView does not use it

const { TestNetwork } = await import("@atproto/dev-env");
const { AtpAgent, RichText } = await import("@atproto/api");

const started = Date.now();
/** What has been started so far, closed in reverse order when the peer stops (or fails to start). */
const running = [];
async function closeAll() {
  for (const [name, close] of running.reverse()) await close().catch((error) => console.error(`[peer] closing ${name}:`, error));
  rmSync(runDir, { recursive: true, force: true });
}
async function start(name, open, close) {
  const opened = await open();
  running.push([name, () => close(opened)]);
  return opened;
}

let database, network, chat, jetstream;
try {
  database = await start("database", () => openDatabase(process.env.PEER_DATABASE_URL), (db) => db.close());
  network = await start("network", () => TestNetwork.create({ dbPostgresUrl: database.url, dbPostgresSchema: "peer" }), (net) => net.close());
  chat = await start("chat test peer", () => startChatPeer({ plcUrl: network.plc.url, appviewUrl: network.bsky.url }), (peer) => peer.close());
  jetstream = await start("jetstream test peer", () => startJetstreamPeer({ pdsUrl: network.pds.url, plcUrl: network.plc.url }), (peer) => peer.close());
} catch (error) {
  console.error("[peer] could not start:", error);
  await closeAll(); // leave no database or temporary folder behind
  process.exit(1);
}

/** Full-access sessions of the accounts the control API made, by DID (the audience acts through them). */
const agents = new Map();
const letters = () => Math.random().toString(36).replace(/[^a-z]/g, "").slice(0, 8).padEnd(8, "x");

async function createAccount({ prefix = "user", displayName }) {
  const handle = `${prefix}-${letters()}.test`;
  const password = `password-${letters()}`;
  const agent = new AtpAgent({ service: network.pds.url });
  await agent.createAccount({ handle, password, email: `${handle}@example.test` });
  if (displayName) await agent.upsertProfile((profile) => ({ ...profile, displayName }));
  // DMs need a privileged app password, as on bsky.social.
  const { data: appPassword } = await agent.com.atproto.server.createAppPassword({ name: `parapet-${letters()}`, privileged: true });
  agents.set(agent.session.did, agent);
  await network.processAll(); // the AppView knows the account (profiles, notifications) from now on
  return { did: agent.session.did, handle, password, appPassword: appPassword.password };
}

function agentOf(did) {
  const agent = agents.get(did);
  if (!agent) throw Object.assign(new Error(`no account ${did} made by the control API`), { status: 404 });
  return agent;
}

async function strongRef(uri) {
  const [, , repo, collection, rkey] = uri.split("/");
  const { data } = await new AtpAgent({ service: network.pds.url }).com.atproto.repo.getRecord({ repo, collection, rkey });
  return { ref: { uri: data.uri, cid: data.cid }, record: data.value };
}

async function post({ as, text, replyTo, quote }) {
  const agent = agentOf(as);
  const richText = new RichText({ text });
  await richText.detectFacets(agent);
  const record = { text: richText.text, facets: richText.facets, createdAt: new Date().toISOString() };
  if (replyTo) {
    const parent = await strongRef(replyTo);
    record.reply = { root: parent.record.reply?.root ?? parent.ref, parent: parent.ref };
  }
  if (quote) record.embed = { $type: "app.bsky.embed.record", record: (await strongRef(quote)).ref };
  return agent.post(record);
}

const app = express();
app.use(express.json());
const route = (path, handler) =>
  app.post(path, async (req, res) => {
    try {
      res.json((await handler(req.body ?? {})) ?? { ok: true });
    } catch (error) {
      res.status(error.status ?? 500).json({ error: error.error ?? "PeerError", message: error.message });
    }
  });

const info = {
  pds: network.pds.url,
  plc: network.plc.url,
  appview: network.bsky.url,
  firehose: `${network.pds.url.replace(/^http/, "ws")}/xrpc/com.atproto.sync.subscribeRepos`,
  chatDid: chat.did,
  chatService: `${chat.did}#bsky_chat`,
  jetstream: jetstream.url,
};
app.get("/", (_req, res) => res.json(info));
route("/accounts", (body) => createAccount(body));
// Every action waits for the AppView to index it, so notifications and search see it (indexing is asynchronous).
route("/posts", async (body) => {
  const created = await post(body);
  await network.processAll();
  return created;
});
route("/likes", async ({ as, uri }) => {
  const { ref } = await strongRef(uri);
  const created = await agentOf(as).like(ref.uri, ref.cid);
  await network.processAll();
  return created;
});
route("/reposts", async ({ as, uri }) => {
  const { ref } = await strongRef(uri);
  const created = await agentOf(as).repost(ref.uri, ref.cid);
  await network.processAll();
  return created;
});
route("/messages", async ({ as, to, text }) => {
  const proxied = agentOf(as).withProxy("bsky_chat", chat.did);
  const { data: conversation } = await proxied.chat.bsky.convo.getConvoForMembers({ members: [to] });
  const { data: message } = await proxied.chat.bsky.convo.sendMessage({ convoId: conversation.convo.id, message: { text } });
  return { convoId: conversation.convo.id, messageId: message.id };
});
route("/app-passwords", async ({ as, privileged = false }) => {
  const { data } = await agentOf(as).com.atproto.server.createAppPassword({ name: `parapet-${letters()}`, privileged });
  return { password: data.password };
});
route("/process-all", () => network.processAll());

const control = await new Promise((resolve) => {
  const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
});
info.control = `http://127.0.0.1:${control.address().port}`;
info.startupMs = Date.now() - started;
console.log(`PARAPET_BLUESKY_PEER ${JSON.stringify(info)}`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  control.close();
  await closeAll();
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
