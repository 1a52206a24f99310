import { readFileSync } from "node:fs";
import { and, desc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { Hono } from "hono";
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { Db } from "../../db/client";
import { findSandboxAccount, findSandboxPost, isSandboxId, type SandboxAccount, type SandboxPost } from "./network";
import { sandboxAccounts, sandboxMedia, sandboxPosts, sandboxReactions } from "./sandbox.schema";

/**
 * The Sandbox's own website: the simulated network as its public sees it, read-only and without signing in. It shows
 * what was really published (and that a removed post is gone), so a Parapet user sees the effect of every action.
 * Server-rendered HTML with no script; its stylesheet is a static file (the strict CSP allows nothing inline).
 */

const PAGE_SIZE = 20;
const STYLESHEET = readFileSync(new URL("./site.css", import.meta.url), "utf8");

type Html = HtmlEscapedString;
const h = (strings: TemplateStringsArray, ...values: unknown[]) => html(strings, ...values) as Html;

type Author = Pick<SandboxAccount, "handle" | "displayName" | "verified">;
type Shown = { post: SandboxPost; author: Author };
type Counts = {
  replies: Map<string, number>;
  reactions: Map<string, Array<{ reaction: string; count: number }>>;
  /** Who wrote the post each reply answers (by the reply's id). */
  parents: Map<string, { postId: string; handle: string; removed: boolean }>;
};

/** The site's routes, to mount at `/sandbox` (links are made from `base`). */
export function createSandboxSite(db: Db, base = "/sandbox"): Hono {
  const site = new Hono();
  const at = (path = "") => `${base}${path}`;

  site.get("/site.css", (c) => c.body(STYLESHEET, 200, { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=300" }));

  // An image of a live post (a removed post's images are gone with it).
  site.get("/media/:mediaId", async (c) => {
    const mediaId = c.req.param("mediaId");
    if (!isSandboxId(mediaId)) return c.notFound();
    const [row] = await db
      .select({ mimeType: sandboxMedia.mimeType, bytes: sandboxMedia.bytes })
      .from(sandboxMedia)
      .innerJoin(sandboxPosts, eq(sandboxPosts.id, sandboxMedia.postId))
      .where(and(eq(sandboxMedia.id, mediaId), isNull(sandboxPosts.deletedAt)));
    if (!row) return c.notFound();
    return c.body(new Uint8Array(row.bytes), 200, { "Content-Type": row.mimeType, "Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff" });
  });

  site.get("/", async (c) => {
    const before = positionParam(c.req.query("before"));
    const rows = await db
      .select({ post: sandboxPosts, author: authorColumns })
      .from(sandboxPosts)
      .innerJoin(sandboxAccounts, eq(sandboxAccounts.id, sandboxPosts.accountId))
      .where(and(isNull(sandboxPosts.deletedAt), before === null ? undefined : lt(sandboxPosts.seq, before)))
      .orderBy(desc(sandboxPosts.seq))
      .limit(PAGE_SIZE + 1);
    const shown = rows.slice(0, PAGE_SIZE);
    const counts = await countsOf(db, shown.map((row) => row.post));
    const older = rows.length > PAGE_SIZE ? at(`?before=${shown.at(-1)!.post.seq}`) : null;
    return c.html(
      page(
        "Home",
        h`<h1>Latest posts</h1>
          ${shown.length === 0 ? h`<p class="empty">Nobody has posted anything yet.</p>` : shown.map((row) => postCard(row, counts))}
          ${pager(before !== null ? at() : null, older)}`,
      ),
    );
  });

  site.get("/posts/:postId", async (c) => {
    const postId = c.req.param("postId");
    const post = isSandboxId(postId) ? await findSandboxPost(db, postId) : null;
    if (!post) return c.html(notFound("There is no such post."), 404);
    const [author] = await db.select(authorColumns).from(sandboxAccounts).where(eq(sandboxAccounts.id, post.accountId));
    const parent = post.replyToId ? await findShown(db, post.replyToId) : null;
    const replies = await db
      .select({ post: sandboxPosts, author: authorColumns })
      .from(sandboxPosts)
      .innerJoin(sandboxAccounts, eq(sandboxAccounts.id, sandboxPosts.accountId))
      .where(and(eq(sandboxPosts.replyToId, post.id), isNull(sandboxPosts.deletedAt)))
      .orderBy(sandboxPosts.seq)
      .limit(200);
    const counts = await countsOf(db, [post, ...replies.map((row) => row.post)]);
    const context = parent ? replyingTo({ postId: parent.post.id, handle: parent.author.handle, removed: parent.post.deletedAt !== null }) : "";
    const main = post.deletedAt
      ? h`<article class="post large" aria-labelledby="removed-title">
            <p class="removed" id="removed-title">This post was removed</p>
            <p class="meta">It was posted by <a href="${at(`/@${author.handle}`)}">@${author.handle}</a> and is no longer public.</p>
          </article>`
      : postCard({ post, author }, counts, { large: true, context });
    const repliesSection =
      post.deletedAt && replies.length === 0
        ? ""
        : h`<h2>${replies.length === 1 ? "1 reply" : `${replies.length} replies`}</h2>
          ${replies.length === 0 ? h`<p class="empty">No replies yet.</p>` : replies.map((row) => postCard(row, counts, { context: "" }))}`;
    const title = post.deletedAt ? "This post was removed" : `@${author.handle}: ${excerpt(post.text)}`;
    return c.html(
      page(
        title,
        h`<h1 class="visually-hidden">${post.deletedAt ? "Removed post" : `Post by @${author.handle}`}</h1>
          ${main}
          ${repliesSection}`,
      ),
      post.deletedAt ? 410 : 200,
    );
  });

  site.get("/:account", async (c) => {
    const name = c.req.param("account");
    const account = name.startsWith("@") ? await findSandboxAccount(db, name) : null;
    if (!account) return c.html(notFound("There is no such account."), 404);
    const before = positionParam(c.req.query("before"));
    const rows = await db
      .select({ post: sandboxPosts, author: authorColumns })
      .from(sandboxPosts)
      .innerJoin(sandboxAccounts, eq(sandboxAccounts.id, sandboxPosts.accountId))
      .where(and(eq(sandboxPosts.accountId, account.id), isNull(sandboxPosts.deletedAt), before === null ? undefined : lt(sandboxPosts.seq, before)))
      .orderBy(desc(sandboxPosts.seq))
      .limit(PAGE_SIZE + 1);
    const shown = rows.slice(0, PAGE_SIZE);
    const counts = await countsOf(db, shown.map((row) => row.post));
    const [{ posts }] = await db
      .select({ posts: sql<number>`count(*)::int` })
      .from(sandboxPosts)
      .where(and(eq(sandboxPosts.accountId, account.id), isNull(sandboxPosts.deletedAt)));
    const older = rows.length > PAGE_SIZE ? at(`/@${account.handle}?before=${shown.at(-1)!.post.seq}`) : null;
    return c.html(
      page(
        `${account.displayName} (@${account.handle})`,
        h`<section class="profile" aria-labelledby="profile-name">
            <h1 id="profile-name"><bdi>${account.displayName}</bdi> ${account.verified ? h`<span class="verified" title="Verified account">✓ Verified</span>` : ""}</h1>
            <p class="handle" dir="ltr">@${account.handle}</p>
            ${account.bio ? h`<p class="bio" dir="auto">${account.bio}</p>` : ""}
            <p class="stats">
              <span><strong>${formatCount(account.followers)}</strong> followers</span>
              <span><strong>${formatCount(posts)}</strong> posts</span>
              <span>Joined ${formatMonth(account.createdAt)}</span>
            </p>
          </section>
          <h2>Posts</h2>
          ${shown.length === 0 ? h`<p class="empty">@${account.handle} has not posted anything yet.</p>` : shown.map((row) => postCard(row, counts))}
          ${pager(before !== null ? at(`/@${account.handle}`) : null, older)}`,
      ),
    );
  });

  site.all("*", (c) => {
    // "/sandbox/" and "/sandbox/@handle/": the same page without the slash.
    if (c.req.method === "GET" && c.req.path.length > 1 && c.req.path.endsWith("/")) return c.redirect(c.req.path.replace(/\/+$/, ""), 301);
    return c.html(notFound("There is no such page on the Sandbox."), 404);
  });
  return site;

  function page(title: string, body: Html | string): Html {
    return h`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="robots" content="noindex" />
    <title>${title} · Sandbox</title>
    <link rel="stylesheet" href="${at("/site.css")}" />
  </head>
  <body>
    <header class="top">
      <div class="top-inner">
        <a class="site-name" href="${at()}">Sandbox</a>
        <span class="site-tagline">A simulated social network for demos and drills. Everything here is made up.</span>
      </div>
    </header>
    <main id="main">${body}</main>
  </body>
</html>`;
  }

  function notFound(message: string): Html {
    return page("Not found", h`<h1>Not found</h1><p class="notice">${message} <a href="${at()}">Go to the latest posts</a>.</p>`);
  }

  function pager(newest: string | null, older: string | null): Html | string {
    if (!newest && !older) return "";
    return h`<nav class="pager" aria-label="Pages">
      ${newest ? h`<a href="${newest}">Newest posts</a>` : h`<span></span>`}
      ${older ? h`<a href="${older}" rel="next">Older posts</a>` : ""}
    </nav>`;
  }

  function postCard({ post, author }: Shown, counts: Counts, options: { large?: boolean; context?: Html | string } = {}): Html {
    const replies = counts.replies.get(post.id) ?? 0;
    const reactions = counts.reactions.get(post.id) ?? [];
    const permalink = at(`/posts/${post.id}`);
    return h`<article class="post${options.large ? " large" : ""}">
      <header class="post-head">
        <a class="author" href="${at(`/@${author.handle}`)}"><bdi class="name">${author.displayName}</bdi> <span class="handle" dir="ltr">@${author.handle}</span></a>
        ${author.verified ? h`<span class="verified" title="Verified account">✓</span>` : ""}
        <a class="time" href="${permalink}"><time datetime="${post.createdAt.toISOString()}">${formatTime(post.createdAt)}</time></a>
      </header>
      ${options.context ?? (counts.parents.has(post.id) ? replyingTo(counts.parents.get(post.id)!) : "")}
      ${post.text ? h`<p class="text" dir="auto"${post.lang ? h` lang="${post.lang}"` : ""}>${linkMentions(post.text)}</p>` : ""}
      ${post.media.some((item) => item.id) ? h`<div class="images count-${Math.min(post.media.length, 4)}">${post.media.map((item) => (item.id ? h`<img src="${at(`/media/${item.id}`)}" alt="${item.altText}" loading="lazy">` : ""))}</div>` : ""}
      ${post.media.filter((item) => !item.id).map((item) => h`<div class="media" role="img" aria-label="Image: ${item.altText || "no description"}">🖼 Image: ${item.altText || "(no description)"}</div>`)}
      <footer class="post-foot">
        <a href="${permalink}">${replies === 1 ? "1 reply" : `${formatCount(replies)} replies`}</a>
        ${reactions.length > 0 ? h`<ul class="reactions" aria-label="Reactions">${reactions.map((r) => h`<li><span>${r.reaction}</span> ${formatCount(r.count)}</li>`)}</ul>` : ""}
      </footer>
    </article>`;
  }

  function replyingTo(parent: { postId: string; handle: string; removed: boolean }): Html {
    return h`<p class="context">Replying to ${parent.removed ? h`a removed post` : h`<a href="${at(`/posts/${parent.postId}`)}" dir="ltr">@${parent.handle}</a>`}</p>`;
  }

  /** Text with each "@handle" linked to its account page (escaped like any other text). */
  function linkMentions(text: string): Html[] {
    const parts: Html[] = [];
    let last = 0;
    for (const match of text.matchAll(/(^|[^a-z0-9_])@([a-z0-9_]{1,30})(?![a-z0-9_])/gi)) {
      const start = match.index + match[1].length;
      parts.push(h`${text.slice(last, start)}`);
      parts.push(h`<a href="${at(`/@${match[2].toLowerCase()}`)}" dir="ltr">@${match[2]}</a>`);
      last = start + 1 + match[2].length;
    }
    parts.push(h`${text.slice(last)}`);
    return parts;
  }
}

const authorColumns = { handle: sandboxAccounts.handle, displayName: sandboxAccounts.displayName, verified: sandboxAccounts.verified };

async function findShown(db: Db, postId: string): Promise<Shown | null> {
  const [row] = await db
    .select({ post: sandboxPosts, author: authorColumns })
    .from(sandboxPosts)
    .innerJoin(sandboxAccounts, eq(sandboxAccounts.id, sandboxPosts.accountId))
    .where(eq(sandboxPosts.id, postId));
  return row ?? null;
}

/** Live replies and reactions (by kind) of each post, and whom the replies among them answer. */
async function countsOf(db: Db, posts: SandboxPost[]): Promise<Counts> {
  const counts: Counts = { replies: new Map(), reactions: new Map(), parents: new Map() };
  if (posts.length === 0) return counts;
  const postIds = posts.map((post) => post.id);
  const parentIds = [...new Set(posts.flatMap((post) => (post.replyToId ? [post.replyToId] : [])))];
  if (parentIds.length > 0) {
    const parents = await db
      .select({ id: sandboxPosts.id, handle: sandboxAccounts.handle, deletedAt: sandboxPosts.deletedAt })
      .from(sandboxPosts)
      .innerJoin(sandboxAccounts, eq(sandboxAccounts.id, sandboxPosts.accountId))
      .where(inArray(sandboxPosts.id, parentIds));
    const byId = new Map(parents.map((parent) => [parent.id, parent]));
    for (const post of posts) {
      const parent = post.replyToId ? byId.get(post.replyToId) : undefined;
      if (parent) counts.parents.set(post.id, { postId: parent.id, handle: parent.handle, removed: parent.deletedAt !== null });
    }
  }
  const replies = await db
    .select({ postId: sandboxPosts.replyToId, count: sql<number>`count(*)::int` })
    .from(sandboxPosts)
    .where(and(inArray(sandboxPosts.replyToId, postIds), isNull(sandboxPosts.deletedAt)))
    .groupBy(sandboxPosts.replyToId);
  for (const row of replies) counts.replies.set(row.postId!, Number(row.count));
  const reactions = await db
    .select({ postId: sandboxReactions.postId, reaction: sandboxReactions.reaction, count: sql<number>`count(*)::int` })
    .from(sandboxReactions)
    .where(inArray(sandboxReactions.postId, postIds))
    .groupBy(sandboxReactions.postId, sandboxReactions.reaction)
    .orderBy(sandboxReactions.postId, desc(sql`count(*)`), sandboxReactions.reaction);
  for (const row of reactions) {
    const list = counts.reactions.get(row.postId) ?? [];
    list.push({ reaction: row.reaction, count: Number(row.count) });
    counts.reactions.set(row.postId, list);
  }
  return counts;
}

/** `?before=` of a page link: a position on the activity sequence; anything else means the first page. */
function positionParam(value: string | undefined): number | null {
  return value && /^\d{1,15}$/.test(value) ? Number(value) : null;
}

const TIME = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const MONTH = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
const COUNT = new Intl.NumberFormat("en-GB");
const formatTime = (date: Date) => `${TIME.format(date)} UTC`;
const formatMonth = (date: Date) => MONTH.format(date);
const formatCount = (n: number) => COUNT.format(n);
const excerpt = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}…` : text);
