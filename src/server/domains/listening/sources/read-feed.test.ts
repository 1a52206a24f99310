import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FeedError, readFeed, type FeedCursor } from "./read-feed";

const rss = (items: string) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Coffee Trade News</title><link>https://news.example/</link>${items}</channel></rss>`;
const rssItem = (id: string, title: string, description: string, date: string) =>
  `<item><title>${title}</title><link>https://news.example/${id}</link><guid>${id}</guid><description>${description}</description><pubDate>${date}</pubDate></item>`;

const atom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>وبلاگ قهوه</title>
<entry><id>tag:blog.example,2026:1</id><title>امبراوک قیمت‌ها را بالا برد</title><link href="https://blog.example/1"/>
<updated>2026-11-23T08:00:00Z</updated><summary type="html">&lt;p&gt;مشتریان &lt;b&gt;ناراضی&lt;/b&gt; هستند&lt;/p&gt;</summary></entry></feed>`;

describe("RSS and Atom feeds as a listening source", () => {
  let server: http.Server;
  let base: string;
  let newsItems = [
    rssItem("a1", "Emberoak recalls a batch", "&lt;p&gt;Beans &amp;amp; grounds from lot 42&lt;/p&gt;", "Mon, 23 Nov 2026 08:00:00 GMT"),
    rssItem("a2", "Market report", "Prices up", "Mon, 23 Nov 2026 09:00:00 GMT"),
  ];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === "/news.xml") return void res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" }).end(rss(newsItems.join("")));
      if (req.url === "/blog.atom") return void res.writeHead(200, { "content-type": "application/atom+xml" }).end(atom);
      if (req.url === "/page") return void res.writeHead(200, { "content-type": "text/html" }).end("<html><body>Not a feed</body></html>");
      if (req.url === "/broken.xml") return void res.writeHead(200, { "content-type": "application/xml" }).end("<html><body>no</body></html>");
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const allowed = { timeoutMs: 2000, allowedHosts: ["127.0.0.1"] };

  it("reads an RSS feed's items as plain text, oldest first, and hands each on once across reads", async () => {
    const first = await readFeed(`${base}/news.xml`, null, allowed);
    expect(first.title).toBe("Coffee Trade News");
    expect(first.fresh.map((i) => [i.id, i.text, i.url, i.publishedAt?.toISOString()])).toEqual([
      ["a1", "Emberoak recalls a batch\nBeans & grounds from lot 42", "https://news.example/a1", "2026-11-23T08:00:00.000Z"],
      ["a2", "Market report\nPrices up", "https://news.example/a2", "2026-11-23T09:00:00.000Z"],
    ]);
    // The stored cursor is plain JSON (it goes into listening_sources.cursor).
    const cursor = JSON.parse(JSON.stringify(first.cursor)) as FeedCursor;
    expect((await readFeed(`${base}/news.xml`, cursor, allowed)).fresh).toEqual([]);
    newsItems = [rssItem("a3", "Emberoak answers", "A statement", "Mon, 23 Nov 2026 10:00:00 GMT"), ...newsItems];
    const third = await readFeed(`${base}/news.xml`, cursor, allowed);
    expect(third.fresh.map((i) => i.id)).toEqual(["a3"]);
    expect(third.cursor.seen).toEqual(["a3", "a2", "a1"]);
  });

  it("reads Atom, in Persian, with the markup of its summary removed", async () => {
    const { fresh } = await readFeed(`${base}/blog.atom`, null, allowed);
    expect(fresh).toEqual([
      { id: "tag:blog.example,2026:1", url: "https://blog.example/1", title: "امبراوک قیمت‌ها را بالا برد", text: "امبراوک قیمت‌ها را بالا برد\nمشتریان ناراضی هستند", site: "وبلاگ قهوه", publishedAt: new Date("2026-11-23T08:00:00Z") },
    ]);
  });

  it("refuses what is not a feed, a missing feed, and an address only the server can reach", async () => {
    const kindOf = (p: Promise<unknown>) => p.then(() => "read", (err: FeedError) => err.kind);
    expect(await kindOf(readFeed(`${base}/page`, null, allowed))).toBe("not_a_feed");
    expect(await kindOf(readFeed(`${base}/broken.xml`, null, allowed))).toBe("not_a_feed");
    expect(await kindOf(readFeed(`${base}/missing.xml`, null, allowed))).toBe("unreachable");
    expect(await kindOf(readFeed(`${base}/news.xml`, null, { timeoutMs: 2000, allowedHosts: [] }))).toBe("blocked");
    expect(await kindOf(readFeed("file:///etc/passwd", null, allowed))).toBe("blocked");
  });
});
