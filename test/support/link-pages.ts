import http from "node:http";
import { deflateSync } from "node:zlib";
import type { AddressInfo } from "node:net";

/** A real PNG (a 2×2 orange square), made here so no file is needed. */
export function tinyPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  const row = Buffer.from([0, 0xe8, 0x6a, 0x1c, 0xe8, 0x6a, 0x1c]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(Buffer.concat([row, row]))), chunk("IEND", Buffer.alloc(0))]);
}

/**
 * A small web site on loopback for link-preview tests: a page with OpenGraph tags and an image, one with only a
 * <title>, a huge page (it counts what it managed to send), a slow page, redirects (to a private address, in a loop),
 * JSON, a 404 and a page with nothing to show. `hits` counts requests per path.
 */
export async function startLinkPages() {
  const hits = new Map<string, number>();
  const huge = { sent: 0, finished: false };
  const png = tinyPng();
  const html = (head: string, body = "<p>Hello</p>") => `<!doctype html><html><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const page = (body: string) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(body);
    switch (path) {
      case "/roast":
        return page(
          html(`<title>Ignored when OpenGraph is there</title>
            <meta property="og:title" content="Winter roast: Kettle &amp; Ember">
            <meta property="og:description" content="Notes of plum and cocoa. Roasted on Mondays, shipped on Tuesdays.">
            <meta property="og:site_name" content="Ember &amp; Oak">
            <meta property="og:image" content="/images/roast.png">`),
        );
      case "/images/roast.png":
        return res.writeHead(200, { "content-type": "image/png" }).end(png);
      case "/twitter":
        return page(html(`<meta name="twitter:title" content="A card from Twitter tags"><meta name="twitter:description" content="Described for Twitter"><title>t</title>`));
      case "/title-only":
        return page(html("<title>  Brewing   guide\n for beginners </title>"));
      case "/nothing":
        return page(html("", "<h1>No head at all</h1>"));
      case "/huge": {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.write(html('<title>A very long page</title><meta name="description" content="Fifty megabytes of text">', ""));
        const block = Buffer.alloc(64 * 1024, "x");
        const pump = () => {
          while (huge.sent < 50 * 1024 * 1024) {
            huge.sent += block.length;
            if (!res.write(block)) return void res.once("drain", pump);
          }
          huge.finished = true;
          res.end();
        };
        res.on("close", () => res.destroy());
        return pump();
      }
      case "/slow": {
        const timer = setTimeout(() => page(html("<title>Finally</title>")), 10_000);
        res.on("close", () => clearTimeout(timer));
        return;
      }
      case "/to-metadata":
        return res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
      case "/to-localhost":
        return res.writeHead(301, { location: `http://localhost:${(server.address() as AddressInfo).port}/roast` }).end();
      case "/to-roast":
        return res.writeHead(302, { location: "/roast" }).end();
      case "/loop":
        return res.writeHead(302, { location: "/loop" }).end();
      case "/data.json":
        return res.writeHead(200, { "content-type": "application/json" }).end("{}");
      default:
        return res.writeHead(404, { "content-type": "text/html" }).end("<title>Not found</title>");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    port: (server.address() as AddressInfo).port,
    hits,
    huge,
    png,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
