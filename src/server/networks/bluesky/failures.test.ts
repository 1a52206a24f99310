import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { networkFailure } from "../contract";
import type { Credentials } from "../types";
import { createBlueskyConnector } from "./connector";

/**
 * How the connector classifies failures, over real HTTP. The real Bluesky servers (connector.bluesky.test.ts) have
 * no switch for rate limits, outages or lost answers, so here a local server answers the way a PDS (or the proxy in
 * front of it) does when those happen.
 */

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

describe("Bluesky failures, classified", () => {
  let server: Server;
  let url: string;
  let handle: Handler = (_req, res) => res.end();
  const seen: string[] = [];
  const connector = createBlueskyConnector({ timeoutMs: 300, webUrl: null });
  const session = (): Credentials => ({ did: "did:plc:brand", handle: "brand.test", accessJwt: "a.b.c", refreshJwt: "d.e.f", service: url, pds: url });
  const xrpcError = (res: ServerResponse, status: number, error: string, message: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify({ error, message }));
  };
  /** No post under the key yet; `write` decides what happens to the putRecord that follows. */
  const freshPublish = (write: Handler): Handler => (req, res, body) =>
    req.url!.includes("com.atproto.repo.getRecord") ? xrpcError(res, 400, "RecordNotFound", "Could not locate record") : write(req, res, body);

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        seen.push(req.url!.split("?")[0]);
        handle(req, res, body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("a 429 is rate_limited, waiting until ratelimit-reset", async () => {
    const reset = Math.floor(Date.now() / 1000) + 42;
    handle = (_req, res) => xrpcError(res, 429, "RateLimitExceeded", "Rate Limit Exceeded", { "ratelimit-reset": String(reset), "ratelimit-remaining": "0" });
    const failure = await networkFailure(connector.publish!(session(), { text: "Too soon", idempotencyKey: "k1" }));
    expect(failure.kind).toBe("rate_limited");
    expect(failure.details.retryAfterSeconds).toBeGreaterThanOrEqual(41);
    expect(failure.details.retryAfterSeconds).toBeLessThanOrEqual(42);
  });

  it("a 5xx is transient", async () => {
    handle = (_req, res) => xrpcError(res, 503, "NotEnoughResources", "Service Unavailable");
    expect(await networkFailure(connector.verify(session()))).toMatchObject({ kind: "transient", details: { status: 503 } });
  });

  it("an expired access token is auth_expired", async () => {
    handle = (_req, res) => xrpcError(res, 400, "ExpiredToken", "Token has expired");
    expect(await networkFailure(connector.verify(session()))).toMatchObject({ kind: "auth_expired", details: { networkCode: "ExpiredToken" } });
  });

  it("a refused record is invalid_content, with the network's error name", async () => {
    handle = freshPublish((_req, res) => xrpcError(res, 400, "InvalidRequest", "Invalid app.bsky.feed.post record"));
    expect(await networkFailure(connector.publish!(session(), { text: "Hello", idempotencyKey: "k2" }))).toMatchObject({
      kind: "invalid_content",
      details: { networkCode: "InvalidRequest", status: 400 },
    });
  });

  it("a write whose answer never comes is outcome_unknown", async () => {
    handle = freshPublish(() => {}); // the request was read, and no answer follows
    const failure = await networkFailure(connector.publish!(session(), { text: "Did it go out?", idempotencyKey: "k3" }));
    expect(failure).toMatchObject({ kind: "outcome_unknown", details: { networkCode: "timeout" } });
    expect(seen.at(-1)).toBe("/xrpc/com.atproto.repo.putRecord");
  });

  it("a write whose connection drops after sending is outcome_unknown", async () => {
    handle = freshPublish((req) => req.socket.destroy());
    expect((await networkFailure(connector.publish!(session(), { text: "Hello", idempotencyKey: "k4" }))).kind).toBe("outcome_unknown");
  });

  it("a read whose answer never comes is transient", async () => {
    handle = () => {};
    expect(await networkFailure(connector.search!(session(), "kettle", null))).toMatchObject({ kind: "transient", details: { networkCode: "timeout" } });
  });

  it("a refused connection is transient, even for a write", async () => {
    const spare = createServer();
    await new Promise<void>((resolve) => spare.listen(0, "127.0.0.1", resolve));
    const { port } = spare.address() as AddressInfo;
    await new Promise((resolve) => spare.close(resolve)); // nothing listens there any more
    const closed = { ...session(), pds: `http://127.0.0.1:${port}` };
    expect(await networkFailure(connector.remove!(closed, "at://did:plc:brand/app.bsky.feed.post/3kabcdefghijk"))).toMatchObject({ kind: "transient", details: { networkCode: "ECONNREFUSED" } });
  });
});
