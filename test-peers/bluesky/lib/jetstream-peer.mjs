// The Jetstream TEST PEER: Bluesky's Jetstream (github.com/bluesky-social/jetstream) is a Go program, not on npm or in
// Debian, so this is our own small stand-in written from its documented message format. It reads the REAL local PDS's
// firehose and serves its commits as Jetstream JSON on ws://127.0.0.1:<port>/subscribe, honouring
// `wantedCollections` (exact or `prefix.*`), `wantedDids` and `cursor` (replays kept events from that time_us on).
import { WebSocketServer } from "ws";
import { Firehose } from "@atproto/sync";
import { IdResolver } from "@atproto/identity";
import { lexToJson } from "@atproto/lex-json";

export async function startJetstreamPeer({ pdsUrl, plcUrl }) {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0, path: "/subscribe" });
  await new Promise((resolve) => server.once("listening", resolve));
  const kept = []; // every event of this run, oldest first, for cursor replays
  const clients = new Map(); // socket → its filter
  const wants = (filter, event) => {
    if (filter.dids.length && !filter.dids.includes(event.did)) return false;
    if (event.kind !== "commit" || filter.collections.length === 0) return true;
    return filter.collections.some((wanted) => (wanted.endsWith(".*") ? event.commit.collection.startsWith(wanted.slice(0, -1)) : wanted === event.commit.collection));
  };
  server.on("connection", (socket, req) => {
    const params = new URL(req.url, "http://peer").searchParams;
    const filter = { collections: params.getAll("wantedCollections"), dids: params.getAll("wantedDids") };
    const cursor = params.get("cursor");
    if (cursor !== null) for (const event of kept) if (event.time_us >= Number(cursor) && wants(filter, event)) socket.send(JSON.stringify(event));
    clients.set(socket, filter);
    socket.on("close", () => clients.delete(socket));
  });

  let lastTime = 0;
  const firehose = new Firehose({
    idResolver: new IdResolver({ plcUrl, fetch: globalThis.fetch }), // plain fetch: the local PLC is http
    service: pdsUrl.replace(/^http/, "ws"),
    unauthenticatedHandles: true,
    excludeSync: true,
    onError: (error) => console.error("[jetstream test peer]", error.message),
    handleEvent: async (event) => {
      const time_us = Math.max(Date.now() * 1000, lastTime + 1); // strictly increasing, as Jetstream's cursors are
      lastTime = time_us;
      let message;
      if (event.event === "create" || event.event === "update" || event.event === "delete") {
        const commit = { rev: event.rev, operation: event.event, collection: event.collection, rkey: event.rkey };
        if (event.event !== "delete") Object.assign(commit, { record: lexToJson(event.record), cid: event.cid.toString() });
        message = { did: event.did, time_us, kind: "commit", commit };
      } else if (event.event === "identity") {
        message = { did: event.did, time_us, kind: "identity", identity: { did: event.did, handle: event.handle, seq: event.seq, time: event.time } };
      } else return;
      kept.push(message);
      for (const [socket, filter] of clients) if (wants(filter, message)) socket.send(JSON.stringify(message));
    },
  });
  firehose.start();
  return {
    url: `ws://127.0.0.1:${server.address().port}/subscribe`,
    async close() {
      await firehose.destroy();
      for (const socket of clients.keys()) socket.terminate();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
