import type { MiddlewareHandler } from "hono";
import { AppError } from "../errors";

const tooLarge = (maxSize: number) => new AppError("payload_too_large", 413, `The request body is larger than ${Math.round(maxSize / 1024 / 1024)} MiB`);

/**
 * Refuses request bodies over `maxSize` before anything reads them. Hono's own bodyLimit rebuilds the request from
 * the server's request object, which fails (a 500) under @hono/node-server with Node's global Request kept (see
 * main.ts) whenever a request has no Content-Length: a DELETE without a body, a chunked upload. Here such a body is
 * read up to the limit and the request rebuilt from its URL, method and headers.
 */
export function limitBodySize(maxSize: number): MiddlewareHandler {
  return async (c, next) => {
    const headers = c.req.raw.headers;
    if (headers.has("content-length") && !headers.has("transfer-encoding")) {
      if (Number(headers.get("content-length")) > maxSize) throw tooLarge(maxSize);
      return next();
    }
    if (c.req.method === "GET" || c.req.method === "HEAD" || !c.req.raw.body) return next();
    const reader = c.req.raw.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > maxSize) throw tooLarge(maxSize);
      chunks.push(value);
    }
    const rebuilt = new Headers(headers);
    rebuilt.delete("transfer-encoding");
    rebuilt.set("content-length", String(size));
    c.req.raw = new Request(c.req.url, { method: c.req.method, headers: rebuilt, body: size ? Buffer.concat(chunks) : null });
    return next();
  };
}
