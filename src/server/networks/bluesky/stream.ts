import { createRequire } from "node:module";
import { NetworkError, type StreamedPost } from "../types";
import { CidLink, decodeAll, readCarBlocks, type CborValue } from "./dag-cbor";

/** The part of the `ws` client this file uses (`ws` ships without types; Node 20 has no WebSocket client). */
type Socket = {
  once(event: "open", listener: () => void): void;
  once(event: "error", listener: (error: Error) => void): void;
  on(event: "message", listener: (data: Buffer) => void): void;
  on(event: "error", listener: (error: Error) => void): void;
  on(event: "close", listener: () => void): void;
  pause(): void;
  resume(): void;
  terminate(): void;
};
const WebSocket = createRequire(import.meta.url)("ws") as new (url: string) => Socket;

/** Items held before the socket is paused (the consumer is slower than the stream), and resumed below. */
const HIGH_WATER = 1_000;
const LOW_WATER = 100;
const POST_COLLECTION = "app.bsky.feed.post/";

type Frame = { [key: string]: CborValue };
const asMap = (value: CborValue | undefined): Frame => (value && typeof value === "object" && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof CidLink) ? value : {});
const asString = (value: CborValue | undefined): string | null => (typeof value === "string" ? value : null);

/**
 * Opens a repository event stream (`com.atproto.sync.subscribeRepos`, of a PDS or a relay) and yields the posts
 * created in it, each with its frame's sequence number as the cursor. With `cursor`, the server replays from right
 * after it. Resolves once connected; the iteration ends when `signal` aborts and throws `transient` when the stream
 * breaks (reopen from the last cursor).
 */
export function openFirehose(
  url: string,
  options: { cursor: string | null; signal: AbortSignal; postUrl: (uri: string) => string | null },
): Promise<AsyncIterable<StreamedPost>> {
  const target = new URL(url);
  if (options.cursor !== null) target.searchParams.set("cursor", options.cursor);
  const handles = new Map<string, string>(); // DID → handle, as #identity events tell
  return openSocketStream(target, options.signal, (data) => postsInFrame(data, handles, options.postUrl));
}

/**
 * Opens a Jetstream (JSON over WebSocket, `…/subscribe`) for posts. Its cursor is the event's time in microseconds;
 * Jetstream replays from that time on, so events up to the cursor (already handled) are left out.
 */
export function openJetstream(
  url: string,
  options: { cursor: string | null; signal: AbortSignal; postUrl: (uri: string) => string | null },
): Promise<AsyncIterable<StreamedPost>> {
  const target = new URL(url);
  target.searchParams.set("wantedCollections", POST_COLLECTION.slice(0, -1));
  if (options.cursor !== null) target.searchParams.set("cursor", options.cursor);
  const after = options.cursor === null ? -1 : Number(options.cursor);
  const handles = new Map<string, string>();
  return openSocketStream(target, options.signal, (data) => postsInJetstreamEvent(data, after, handles, options.postUrl));
}

/** A WebSocket read as an async iterable of the posts `decode` finds in each message, with backpressure. */
async function openSocketStream(target: URL, signal: AbortSignal, decode: (data: Buffer) => StreamedPost[]): Promise<AsyncIterable<StreamedPost>> {
  const socket = new WebSocket(target.toString());
  const queue: StreamedPost[] = [];
  let failure: NetworkError | null = null;
  let closed = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };

  socket.on("message", (data) => {
    try {
      queue.push(...decode(data));
    } catch (error) {
      failure = error instanceof NetworkError ? error : new NetworkError("transient", `unreadable stream message: ${(error as Error).message}`, { networkCode: "bad_frame" });
      socket.terminate();
    }
    if (queue.length > HIGH_WATER) socket.pause();
    notify();
  });
  socket.on("error", (error) => {
    failure ??= new NetworkError("transient", `the stream's connection failed: ${error.message}`, { networkCode: "stream_error" });
    notify();
  });
  socket.on("close", () => {
    closed = true;
    notify();
  });
  signal.addEventListener("abort", () => socket.terminate(), { once: true });
  // Listening starts before the socket opens: a replay can arrive in the same packet as the handshake's answer.
  await connected(socket, signal);

  return {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (signal.aborted) return;
        const next = queue.shift();
        if (next) {
          if (queue.length < LOW_WATER) socket.resume();
          yield next;
          continue;
        }
        if (failure) throw failure;
        if (closed) throw new NetworkError("transient", "the network closed the stream", { networkCode: "stream_closed" });
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}

/** Waits for the socket to open; a refused or aborted connection is `transient`. */
function connected(socket: Socket, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      socket.terminate();
      reject(new NetworkError("transient", "opening the firehose was aborted", { networkCode: "aborted" }));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    socket.once("open", () => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
    socket.once("error", (error) => {
      signal.removeEventListener("abort", onAbort);
      reject(new NetworkError("transient", `the firehose could not be opened: ${error.message}`, { networkCode: "stream_error" }));
    });
  });
}

/** The posts created in one firehose frame (none for other events); remembers handles from #identity events. */
function postsInFrame(data: Buffer, handles: Map<string, string>, postUrl: (uri: string) => string | null): StreamedPost[] {
  const [headerValue, bodyValue] = decodeAll(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  const header = asMap(headerValue);
  const body = asMap(bodyValue);
  if (header.op === -1) {
    const name = asString(body.error) ?? "stream_error";
    throw new NetworkError("transient", `the firehose refused: ${name} ${asString(body.message) ?? ""}`.trim(), { networkCode: name });
  }
  const did = asString(body.did) ?? asString(body.repo);
  if (header.t === "#identity" && did && asString(body.handle)) handles.set(did, asString(body.handle)!);
  if (header.t !== "#commit" || !did || !(body.blocks instanceof Uint8Array) || !Array.isArray(body.ops)) return [];

  const blocks = readCarBlocks(body.blocks);
  const cursor = String(body.seq);
  const posts: StreamedPost[] = [];
  for (const op of body.ops.map(asMap)) {
    const path = asString(op.path);
    if (op.action !== "create" || !path?.startsWith(POST_COLLECTION) || !(op.cid instanceof CidLink)) continue;
    const block = blocks.get(op.cid.key);
    if (!block) continue;
    const record = asMap(decodeAll(block)[0]);
    const uri = `at://${did}/${path}`;
    const handle = handles.get(did) ?? did;
    const langs = Array.isArray(record.langs) ? record.langs : [];
    posts.push({
      post: {
        networkPostId: uri,
        author: { networkAccountId: did, handle, displayName: handle },
        text: asString(record.text) ?? "",
        lang: asString(langs[0]),
        createdAt: asString(record.createdAt) ?? asString(body.time) ?? new Date().toISOString(),
        url: postUrl(uri),
      },
      cursor,
    });
  }
  return posts;
}

type JetstreamEvent = {
  did?: string;
  time_us?: number;
  kind?: string;
  identity?: { handle?: string };
  commit?: { operation?: string; collection?: string; rkey?: string; record?: { text?: unknown; langs?: unknown; createdAt?: unknown } };
};

/** The post a Jetstream event created (none for other events, or for events up to `after`, the resume cursor). */
function postsInJetstreamEvent(data: Buffer, after: number, handles: Map<string, string>, postUrl: (uri: string) => string | null): StreamedPost[] {
  const event = JSON.parse(data.toString("utf8")) as JetstreamEvent;
  const { did, time_us: time, commit } = event;
  if (!did || typeof time !== "number" || time <= after) return [];
  if (event.kind === "identity" && event.identity?.handle) handles.set(did, event.identity.handle);
  if (event.kind !== "commit" || commit?.operation !== "create" || `${commit.collection}/` !== POST_COLLECTION || !commit.rkey) return [];
  const record = commit.record ?? {};
  const uri = `at://${did}/${POST_COLLECTION}${commit.rkey}`;
  const handle = handles.get(did) ?? did;
  const langs = Array.isArray(record.langs) ? record.langs : [];
  return [
    {
      post: {
        networkPostId: uri,
        author: { networkAccountId: did, handle, displayName: handle },
        text: typeof record.text === "string" ? record.text : "",
        lang: typeof langs[0] === "string" ? langs[0] : null,
        createdAt: typeof record.createdAt === "string" ? record.createdAt : new Date(time / 1000).toISOString(),
        url: postUrl(uri),
      },
      cursor: String(time),
    },
  ];
}
