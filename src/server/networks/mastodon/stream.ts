import { createRequire } from "node:module";
import { createStreamingAPIClient, type mastodon } from "masto";
import { NetworkError, type PublicPost, type StreamedPost } from "../types";

// The WebSocket class masto itself uses (`ws`, its dependency), extended below to notice reconnections.
type WebSocketLike = { addEventListener(type: "open", listener: () => void, options?: { once?: boolean }): void };
const WebSocketBase = createRequire(import.meta.url)("ws") as new (...args: unknown[]) => WebSocketLike;

/** What the stream needs from the connector: the public timeline page after an id, oldest first. */
export type StreamSource = {
  streamingUrl: string;
  accessToken: string;
  /** The newest status id on the public timeline now (null when it is empty). */
  newestId(): Promise<string | null>;
  /** Public statuses after `afterId`, oldest first, at most one page. */
  pageAfter(afterId: string): Promise<mastodon.v1.Status[]>;
  toPost(status: mastodon.v1.Status): PublicPost;
  connectTimeoutMs: number;
};

const newer = (a: string, b: string) => BigInt(a) > BigInt(b);
const SEEN_KEPT = 2000;

/** Connection attempts after a drop (masto waits 1, 2, 4, 8, 16 s) before the stream gives up. */
const RECONNECT_ATTEMPTS = 5;

/**
 * The public timeline, live: subscribes over the streaming API's WebSocket (`/api/v1/streaming`, stream `public`)
 * and, once connected, first catches up from the cursor by reading the public timeline after it (REST), then
 * passes on live updates. Ids already delivered are dropped, so the catch-up and the live updates never repeat a
 * status. The cursor of each item is the newest id delivered so far. masto reconnects a dropped socket; each
 * reconnection catches up again from the cursor, so nothing sent while it was down is lost. When it cannot
 * reconnect, the stream ends with a `transient` NetworkError: reopen it with the last cursor.
 */
export async function openPublicStream(source: StreamSource, options: { cursor: string | null; signal: AbortSignal }): Promise<AsyncIterable<StreamedPost>> {
  // Always asked, so a revoked token fails here as auth_expired rather than as a socket that never opens.
  const newest = await source.newestId();
  let after = options.cursor ?? newest ?? "0";
  let opened = 0;
  let catchUpNeeded = true;
  class ReconnectionAwareWebSocket extends WebSocketBase {
    constructor(...args: unknown[]) {
      super(...args);
      this.addEventListener(
        "open",
        () => {
          if (++opened > 1) {
            catchUpNeeded = true;
            notify();
          }
        },
        { once: true },
      );
    }
  }
  const streaming = createStreamingAPIClient({
    streamingApiUrl: source.streamingUrl,
    accessToken: source.accessToken,
    retry: RECONNECT_ATTEMPTS,
    implementation: ReconnectionAwareWebSocket,
  });
  const live: mastodon.v1.Status[] = [];
  let failure: NetworkError | null = null;
  let ended = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  const stop = () => {
    ended = true;
    streaming.close();
    notify();
  };
  options.signal.addEventListener("abort", stop, { once: true });

  // Subscribing starts the pump at once, so the subscription is sent as soon as the socket opens.
  const subscription = streaming.public.subscribe();
  void (async () => {
    try {
      for await (const event of subscription) {
        if (event.event === "update") live.push(event.payload);
        notify();
      }
    } catch (error) {
      if (!ended) failure = new NetworkError("transient", `The Mastodon stream closed: ${error instanceof Error ? error.message : String(error)}`, { networkCode: "stream_closed" });
    } finally {
      ended = true;
      notify();
    }
  })();

  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      streaming.prepare(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new NetworkError("transient", "Could not connect to the Mastodon streaming API", { networkCode: "stream_unreachable" })), source.connectTimeoutMs);
      }),
    ]);
  } catch (error) {
    stop();
    throw error instanceof NetworkError ? error : new NetworkError("transient", `Could not connect to the Mastodon streaming API: ${String(error)}`, { networkCode: "stream_unreachable" });
  } finally {
    clearTimeout(timer);
  }
  // Let the pump send its subscription before the caller goes on (it runs on the same turn as the socket opening).
  await new Promise((resolve) => setImmediate(resolve));

  const seen = new Set<string>();
  const deliver = (status: mastodon.v1.Status): StreamedPost | null => {
    if (seen.has(status.id)) return null;
    seen.add(status.id);
    if (seen.size > SEEN_KEPT) seen.delete(seen.values().next().value!);
    if (newer(status.id, after)) after = status.id;
    return { post: source.toPost(status), cursor: after };
  };

  async function* items(): AsyncGenerator<StreamedPost> {
    try {
      for (;;) {
        // Catch up (at the start and after a reconnection): what the timeline holds after the cursor.
        while (catchUpNeeded && !options.signal.aborted) {
          catchUpNeeded = false;
          for (;;) {
            const page = await source.pageAfter(after);
            if (page.length === 0 || options.signal.aborted) break;
            for (const status of page) {
              const item = deliver(status);
              if (item) yield item;
            }
          }
        }
        while (live.length > 0) {
          // A live update the catch-up already delivered is dropped (deliver knows the ids).
          const item = deliver(live.shift()!);
          if (item) yield item;
        }
        if (options.signal.aborted) return;
        if (ended) {
          if (failure) throw failure;
          return;
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      stop();
    }
  }
  return { [Symbol.asyncIterator]: items };
}
