import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../../../../test/support/databases";
import { httpClient, type HttpClient } from "../../../../test/support/http";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { createApp } from "../../http/app";
import type { Connected, Connector } from "../types";
import { createSandboxPost, ensureSandboxAccount, reactToSandboxPost, type SandboxAccount } from "./network";

describeEachDatabase("the Sandbox's website", (kind) => {
  let services: TestServices;
  let visitor: HttpClient;
  let sandbox: Connector;
  let brand: Connected;
  let fan: SandboxAccount;
  const publish = (text: string) => sandbox.publish!(brand.credentials, { text, idempotencyKey: randomUUID() });
  const pathOf = (url: string | null) => new URL(url!).pathname;

  beforeAll(async () => {
    services = await createTestServices(kind, { PARAPET_PUBLIC_URL: "https://parapet.example.test" });
    visitor = httpClient(createApp(services));
    sandbox = services.networks.connectorFor("sandbox");
    await ensureSandboxAccount(services.database.db, {
      handle: "kettle_co",
      displayName: "Kettle & Co",
      kind: "brand",
      bio: "Kettles since 1921",
      followers: 48_200,
      verified: true,
      createdAt: services.clock(),
    });
    fan = await ensureSandboxAccount(services.database.db, { handle: "sara_ahmadi", displayName: "سارا احمدی", kind: "audience", language: "fa", createdAt: services.clock() });
    brand = await sandbox.connect({ kind: "sandbox", handle: "kettle_co" });
  });
  afterAll(() => services.close());

  it("shows a published post on the home timeline and on its own page, where its url points", async () => {
    const post = await publish("Our winter kettle is out <b>today</b>");
    expect(post.url).toBe(`https://parapet.example.test/sandbox/posts/${post.networkPostId}`);
    const home = await visitor.get("/sandbox");
    expect(home.status).toBe(200);
    expect(home.headers.get("content-type")).toContain("text/html");
    expect(home.text).toContain("Our winter kettle is out &lt;b&gt;today&lt;/b&gt;");
    const page = await visitor.get(pathOf(post.url));
    expect(page.status).toBe(200);
    expect(page.text).toContain("Our winter kettle is out &lt;b&gt;today&lt;/b&gt;");
    expect(page.text).toContain('href="/sandbox/@kettle_co"');
  });

  it("shows a post's replies and reaction counts, with right-to-left text marked for the browser", async () => {
    const post = await publish("Which colour do you want next?");
    const { post: reply } = await createSandboxPost(services.database.db, fan.id, { text: "سبز لطفاً", lang: "fa", replyToId: post.networkPostId, createdAt: services.clock() });
    await reactToSandboxPost(services.database.db, { accountId: fan.id, postId: post.networkPostId, reaction: "❤️", createdAt: services.clock() });
    const page = await visitor.get(`/sandbox/posts/${post.networkPostId}`);
    expect(page.text).toContain("1 reply");
    expect(page.text).toMatch(/<li><span>❤️<\/span> 1<\/li>/);
    expect(page.text).toContain('<p class="text" dir="auto" lang="fa">سبز لطفاً</p>');
    expect(page.text).toContain(`/sandbox/posts/${reply.id}`);
    const home = await visitor.get("/sandbox");
    expect(home.text).toContain(`<p class="context">Replying to <a href="/sandbox/posts/${post.networkPostId}" dir="ltr">@kettle_co</a></p>`);
  });

  it("shows a removed post as removed, and no longer on the timeline", async () => {
    const post = await publish("A post we will regret");
    await sandbox.remove!(brand.credentials, post.networkPostId);
    const page = await visitor.get(pathOf(post.url));
    expect(page.status).toBe(410);
    expect(page.text).toContain("This post was removed");
    expect(page.text).not.toContain("A post we will regret");
    expect((await visitor.get("/sandbox")).text).not.toContain("A post we will regret");
  });

  it("shows an account's profile as the network sees it, with its posts", async () => {
    const profile = await sandbox.lookupProfile!(brand.credentials, "kettle_co");
    expect(profile!.url).toBe("https://parapet.example.test/sandbox/@kettle_co");
    const page = await visitor.get("/sandbox/@kettle_co");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Kettle &amp; Co");
    expect(page.text).toContain("Kettles since 1921");
    expect(page.text).toContain("48,200");
    expect(page.text).toContain("✓ Verified");
    expect(page.text).toContain("Our winter kettle is out");
  });

  it("pages the timeline to older posts", async () => {
    for (let n = 0; n < 25; n++) await createSandboxPost(services.database.db, fan.id, { text: `Paged post number ${n}.`, createdAt: services.clock() });
    const first = await visitor.get("/sandbox");
    expect(first.text).toContain("Paged post number 24.");
    expect(first.text).not.toContain("Paged post number 4.");
    const older = /href="(\/sandbox\?before=\d+)" rel="next"/.exec(first.text);
    expect(older).not.toBeNull();
    const second = await visitor.get(older![1]);
    expect(second.text).toContain("Paged post number 4.");
    expect(second.text).not.toContain("Paged post number 24.");
  });

  it("answers 404 for a post, account or page that does not exist", async () => {
    for (const path of [`/sandbox/posts/${randomUUID()}`, "/sandbox/posts/not-an-id", "/sandbox/@nobody_here", "/sandbox/nothing", "/sandbox/a/b"]) {
      const res = await visitor.get(path);
      expect(res.status, path).toBe(404);
      expect(res.text, path).toContain("Not found");
    }
    const slash = await visitor.get("/sandbox/");
    expect(slash.status).toBe(301);
    expect(slash.headers.get("location")).toBe("/sandbox");
  });

  it("serves under the strict CSP: no inline script or style, a stylesheet from the same server", async () => {
    const home = await visitor.get("/sandbox");
    expect(home.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(home.text).not.toMatch(/<script|style=/);
    const css = await visitor.get("/sandbox/site.css");
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toContain("text/css");
  });
});
