// The chat TEST PEER: a minimal chat.bsky.convo.* service written from the published lexicons
// (lexicons/chat/bsky/convo/*.json in bluesky-social/atproto). Bluesky's real chat service is closed source, so
// the tests talk to this one — through the REAL PDS, which proxies `atproto-proxy: <did>#bsky_chat` calls here
// with a service-auth JWT that this peer verifies. It keeps conversations in memory, for one test run.
import express from "express";
import { Client as PlcClient } from "@did-plc/lib";
import { Secp256k1Keypair } from "@atproto/crypto";
import { verifyJwt } from "@atproto/xrpc-server";
import { IdResolver } from "@atproto/identity";

class XrpcFailure extends Error {
  constructor(status, error, message) {
    super(message);
    this.status = status;
    this.error = error;
  }
}

/** Starts the chat test peer and registers it in the local PLC as a `bsky_chat` service; returns its DID and URL. */
export async function startChatPeer({ plcUrl, appviewUrl }) {
  const app = express();
  app.use(express.json());
  const server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const url = `http://127.0.0.1:${server.address().port}`;
  const key = await Secp256k1Keypair.create();
  const plc = new PlcClient(plcUrl);
  const did = await plc.createDid({ signingKey: key.did(), rotationKeys: [key.did()], handle: "chat-peer.test", pds: url, signer: key });
  await plc.updateData(did, key, (op) => ({ ...op, services: { ...op.services, bsky_chat: { type: "BskyChatService", endpoint: url } } }));
  // The PDS signs service-auth JWTs with the account's key; resolve it from the local PLC (plain fetch: http).
  const idResolver = new IdResolver({ plcUrl, fetch: globalThis.fetch });

  const conversations = new Map(); // id -> { members: did[], messages: [] }
  let sequence = 0;
  const nextRev = () => String(++sequence).padStart(12, "0");

  async function profiles(dids) {
    const params = new URLSearchParams();
    for (const member of dids) params.append("actors", member);
    const response = await fetch(`${appviewUrl}/xrpc/app.bsky.actor.getProfiles?${params}`);
    const found = response.ok ? (await response.json()).profiles : [];
    return Promise.all(
      dids.map(async (member) => {
        const profile = found.find((candidate) => candidate.did === member);
        if (profile) return { did: member, handle: profile.handle, ...(profile.displayName ? { displayName: profile.displayName } : {}) };
        const data = await idResolver.did.resolveAtprotoData(member).catch(() => null);
        return { did: member, handle: data?.handle ?? "handle.invalid" };
      }),
    );
  }
  const messageView = (message) => ({
    $type: "chat.bsky.convo.defs#messageView",
    id: message.id,
    rev: message.rev,
    text: message.text,
    sender: { did: message.sender },
    sentAt: message.sentAt,
  });
  async function convoView(id, viewer) {
    const conversation = conversations.get(id);
    const last = conversation.messages.at(-1);
    return {
      id,
      rev: last?.rev ?? conversation.rev,
      members: await profiles(conversation.members),
      ...(last ? { lastMessage: messageView(last) } : {}),
      muted: false,
      unreadCount: conversation.messages.filter((message) => message.sender !== viewer && message.rev > (conversation.readRev[viewer] ?? "")).length,
    };
  }
  function memberOf(id, viewer) {
    const conversation = conversations.get(id);
    if (!conversation || !conversation.members.includes(viewer)) throw new XrpcFailure(400, "InvalidConvo", "Convo not found");
    return conversation;
  }
  const page = (items, limit) => ({ items: items.slice(0, limit), more: items.length > limit });

  const methods = {
    "chat.bsky.convo.getConvoForMembers": async (viewer, query) => {
      const members = [...new Set([viewer, ...[query.members ?? []].flat()])].sort();
      const id = `convo-${members.join("-").replace(/[^a-z0-9]/gi, "")}`.slice(0, 120);
      if (!conversations.has(id)) conversations.set(id, { members, messages: [], rev: nextRev(), readRev: {} });
      return { convo: await convoView(id, viewer) };
    },
    "chat.bsky.convo.getConvo": async (viewer, query) => {
      memberOf(query.convoId, viewer);
      return { convo: await convoView(query.convoId, viewer) };
    },
    "chat.bsky.convo.listConvos": async (viewer, query) => {
      const limit = Math.min(Number(query.limit ?? 50), 100);
      const revOf = (id) => conversations.get(id).messages.at(-1)?.rev ?? conversations.get(id).rev;
      const ids = [...conversations.keys()]
        .filter((id) => conversations.get(id).members.includes(viewer))
        .filter((id) => !query.cursor || revOf(id) < query.cursor)
        .sort((a, b) => (revOf(a) < revOf(b) ? 1 : -1));
      const { items, more } = page(ids, limit);
      return { convos: await Promise.all(items.map((id) => convoView(id, viewer))), ...(more ? { cursor: revOf(items.at(-1)) } : {}) };
    },
    "chat.bsky.convo.getMessages": async (viewer, query) => {
      const limit = Math.min(Number(query.limit ?? 50), 100);
      const newestFirst = memberOf(query.convoId, viewer)
        .messages.filter((message) => !query.cursor || message.rev < query.cursor)
        .slice()
        .reverse();
      const { items, more } = page(newestFirst, limit);
      return { messages: items.map(messageView), ...(more ? { cursor: items.at(-1).rev } : {}) };
    },
    "chat.bsky.convo.sendMessage": async (viewer, _query, body) => {
      const conversation = memberOf(body?.convoId, viewer);
      const text = body?.message?.text;
      if (typeof text !== "string" || text.length === 0) throw new XrpcFailure(400, "InvalidRequest", "message.text is required");
      if ([...new Intl.Segmenter().segment(text)].length > 1000) throw new XrpcFailure(400, "InvalidRequest", "message.text is longer than 1000 graphemes");
      const rev = nextRev();
      const message = { id: rev, rev, text, sender: viewer, sentAt: new Date().toISOString() };
      conversation.messages.push(message);
      return messageView(message);
    },
    "chat.bsky.convo.updateRead": async (viewer, _query, body) => {
      const conversation = memberOf(body?.convoId, viewer);
      conversation.readRev[viewer] = conversation.messages.at(-1)?.rev ?? "";
      return { convo: await convoView(body.convoId, viewer) };
    },
  };

  app.all("/xrpc/:nsid", async (req, res) => {
    const method = methods[req.params.nsid];
    if (!method) return res.status(501).json({ error: "MethodNotImplemented", message: `the chat test peer does not implement ${req.params.nsid}` });
    let viewer;
    try {
      const jwt = req.headers.authorization?.replace(/^Bearer /, "") ?? "";
      const payload = await verifyJwt(jwt, did, req.params.nsid, (issuer, forceRefresh) => idResolver.did.resolveAtprotoKey(issuer, forceRefresh));
      viewer = payload.iss;
    } catch (error) {
      return res.status(401).json({ error: "AuthenticationRequired", message: error.message });
    }
    try {
      res.json(await method(viewer, req.query, req.body));
    } catch (error) {
      if (error instanceof XrpcFailure) return res.status(error.status).json({ error: error.error, message: error.message });
      console.error("[chat test peer]", error);
      res.status(500).json({ error: "InternalServerError", message: "chat test peer failure" });
    }
  });

  return { did, url, close: () => new Promise((resolve) => server.close(resolve)) };
}
