import { afterAll, beforeAll, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { Role } from "../../../contracts/roles";
import { UPLOAD_MAX_BYTES } from "../../../contracts/media-rules";
import { createApp } from "../../http/app";
import { findSandboxAccount, injectSandboxFault } from "../../networks/sandbox/network";
import { seedSandboxNetwork } from "../../networks/sandbox/seed";
import { sandboxMedia, sandboxPosts } from "../../networks/sandbox/sandbox.schema";
import { pruneUnattachedMedia } from "../../jobs/catalog";
import { unsafePublishDue } from "./index";
import { postMedia } from "./media.schema";
import { posts } from "./publishing.schema";
import { describeEachDatabase } from "../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { buildWorkspace, signedInClient } from "../../../../test/support/factories";
import { createTestNetwork } from "../../../../test/support/test-connector";
import type { HttpClient } from "../../../../test/support/http";
import { actionsSince, lastAuditSeq } from "../../../../test/support/audit";
import { GIF_1X1, pngImage } from "../../../../test/support/images";

describeEachDatabase("post media", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let people: Record<Role, { id: string; email: string }>;
  let admin: HttpClient;
  let manager: HttpClient;
  let intern: HttpClient;
  let sandboxChannel: string;
  let strictChannel: string;
  let accountId: string;

  beforeAll(async () => {
    services = await createTestServices(kind, { LOGIN_RATE_PER_MINUTE: "1000" });
    // A network that takes PNG and JPEG only, up to 1 MB, 4 per post, 1000 characters of alt text.
    const strict = createTestNetwork({ network: "testnet", clock: services.clock });
    services.networks.register(strict);
    app = createApp(services);
    const built = await buildWorkspace(services);
    people = built.people;
    admin = await signedInClient(app, people.admin);
    manager = await signedInClient(app, people.manager);
    intern = await signedInClient(app, people.member);
    await seedSandboxNetwork(services.database.db, services.clock());
    sandboxChannel = (await admin.post("/api/v1/channels", { network: "sandbox", kind: "sandbox", handle: "emberoak" })).body.id;
    accountId = (await findSandboxAccount(services.database.db, "emberoak"))!.id;
    strict.addAccount("strictbrand", "pw");
    strictChannel = (await admin.post("/api/v1/channels", { network: "testnet", kind: "app_password", identifier: "strictbrand", password: "pw" })).body.id;
    const grants = await admin.put("/api/v1/channel-access", {
      changes: [
        { channelId: sandboxChannel, userId: people.manager.id, level: "publish" },
        { channelId: strictChannel, userId: people.manager.id, level: "publish" },
        { channelId: sandboxChannel, userId: people.member.id, level: "approval_required" },
      ],
    });
    expect(grants.status, grants.text).toBe(200);
  });
  afterAll(() => services.close());

  /** Sends a file as the body, the way the composer does (fetch with the File). */
  async function upload(client: HttpClient, bytes: Buffer, contentType: string, name?: string) {
    if (!client.cookies.has("parapet_csrf")) await client.post("/api/v1/auth/csrf"); // gets the CSRF cookie
    const headers: Record<string, string> = {
      "content-type": contentType,
      cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
      "x-csrf-token": client.cookies.get("parapet_csrf") ?? "",
      "user-agent": "parapet-tests",
    };
    const res = await app.request(`/api/v1/media${name ? `?name=${encodeURIComponent(name)}` : ""}`, { method: "POST", headers, body: new Uint8Array(bytes) });
    const text = await res.text();
    return { status: res.status, body: res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text, text };
  }
  const uploaded = async (bytes: Buffer, name = "picture.png", client = manager) => {
    const res = await upload(client, bytes, "application/octet-stream", name);
    expect(res.status, res.text).toBe(200);
    return res.body as { id: string; mimeType: string; width: number; height: number; sha256: string; url: string };
  };
  const errorOf = (res: { status: number; body: any }) => [res.status, res.body?.error?.code];
  const inMinutes = (minutes: number) => new Date(services.clock().getTime() + minutes * 60_000).toISOString();
  const mediaRow = async (id: string) => (await services.database.db.select().from(postMedia).where(eq(postMedia.id, id)))[0];

  it("finds an upload's real type from its bytes, not its name or header, and reads its dimensions", async () => {
    const before = await lastAuditSeq(services);
    const png = pngImage(64, 48);
    // A PNG renamed to .jpg and sent as image/jpeg is still a PNG.
    const res = await upload(manager, png, "image/jpeg", "holiday.jpg");
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ mimeType: "image/png", width: 64, height: 48, byteSize: png.length, fileName: "holiday.jpg", altText: "" });
    // Its uploader sees it; nobody else does until a post uses it.
    const content = await app.request(res.body.url, { headers: { cookie: [...manager.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } });
    expect([content.status, content.headers.get("content-type")]).toEqual([200, "image/png"]);
    expect(Buffer.from(await content.arrayBuffer()).equals(png)).toBe(true);
    expect((await admin.get(res.body.url)).status).toBe(404);
    expect(await actionsSince(services, before)).toEqual(["media.uploaded"]);
  });

  it("refuses what is not an image it takes, whatever the file is called, and what is too large", async () => {
    const text = await upload(manager, Buffer.from("#!/bin/sh\necho not a picture\n"), "image/png", "cat.png");
    expect(errorOf(text)).toEqual([422, "media_type_not_allowed"]);
    const pdf = await upload(manager, Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"), "image/png", "scan.png");
    expect(errorOf(pdf)).toEqual([422, "media_type_not_allowed"]);
    expect(pdf.body.error.message).toContain("application/pdf");
    // The right first bytes but no image behind them.
    const truncated = await upload(manager, pngImage(10, 10).subarray(0, 20), "image/png");
    expect(errorOf(truncated)).toEqual([422, "media_type_not_allowed"]);
    expect(errorOf(await upload(manager, Buffer.alloc(0), "image/png"))).toEqual([400, "invalid_input"]);
    const huge = Buffer.concat([pngImage(10, 10), Buffer.alloc(UPLOAD_MAX_BYTES)]);
    expect(errorOf(await upload(manager, huge, "image/png"))).toEqual([413, "media_too_large"]);
    const far = Buffer.concat([pngImage(10, 10), Buffer.alloc(UPLOAD_MAX_BYTES * 2)]); // refused before it is read
    expect((await upload(manager, far, "image/png")).status).toBe(413);
    expect(errorOf(await upload(intern, pngImage(2, 2), "image/png")).at(0)).toBe(200); // anyone who writes posts
  });

  it("attaches images with their alt text in order, shows them on the post, and never to a second post", async () => {
    const first = await uploaded(pngImage(20, 10, { color: [10, 20, 30] }));
    const second = await uploaded(GIF_1X1, "dot.gif");
    const res = await manager.post("/api/v1/posts", {
      text: "Two pictures",
      channels: [{ channelId: sandboxChannel }],
      media: [{ mediaId: second.id, altText: "  A single dot  " }, { mediaId: first.id }],
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.media).toMatchObject([
      { id: second.id, mimeType: "image/gif", altText: "A single dot", width: 1, height: 1 },
      { id: first.id, mimeType: "image/png", altText: "", width: 20, height: 10 },
    ]);
    expect((await admin.get(`/api/v1/posts/${res.body.id}`)).body.media.map((m: { id: string }) => m.id)).toEqual([second.id, first.id]);
    expect((await admin.get(first.url)).status).toBe(200); // now a post's image: whoever reads the post sees it
    const again = await manager.post("/api/v1/posts", { text: "Stolen", channels: [{ channelId: sandboxChannel }], media: [{ mediaId: first.id }] });
    expect(errorOf(again)).toEqual([404, "media_not_found"]);
    const unknown = await manager.post("/api/v1/posts", { text: "?", channels: [{ channelId: sandboxChannel }], media: [{ mediaId: "00000000-0000-4000-8000-000000000000" }] });
    expect(errorOf(unknown)).toEqual([404, "media_not_found"]);
    // Reordered and one removed: the removed image is deleted.
    const edited = await manager.put(`/api/v1/posts/${res.body.id}`, { version: 1, text: "One picture", channels: [{ channelId: sandboxChannel }], media: [{ mediaId: first.id, altText: "Orange" }] });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body.media).toMatchObject([{ id: first.id, altText: "Orange" }]);
    expect(await mediaRow(second.id)).toBeUndefined();
    // The same images with the same alt text again, or not mentioned: nothing changed, the same version.
    const same = await manager.put(`/api/v1/posts/${res.body.id}`, { version: 2, text: "One picture", channels: [{ channelId: sandboxChannel }], media: [{ mediaId: first.id, altText: "Orange" }] });
    expect([same.status, same.body.version, same.body.unchanged], same.text).toEqual([200, 2, true]);
    expect((await manager.put(`/api/v1/posts/${res.body.id}`, { version: 2, text: "One picture", channels: [{ channelId: sandboxChannel }] })).body).toMatchObject({ version: 2, unchanged: true });
    // The same picture uploaded again is another image: a change (the first one goes).
    const copy = await uploaded(pngImage(20, 10, { color: [10, 20, 30] }));
    const swapped = await manager.put(`/api/v1/posts/${res.body.id}`, { version: 2, text: "One picture", channels: [{ channelId: sandboxChannel }], media: [{ mediaId: copy.id, altText: "Orange" }] });
    expect([swapped.body.version, swapped.body.unchanged, swapped.body.contentHash], swapped.text).toEqual([3, undefined, edited.body.contentHash]);
    expect(await mediaRow(first.id)).toBeUndefined();
    const back = await manager.put(`/api/v1/posts/${res.body.id}`, { version: 3, text: "One picture", channels: [{ channelId: sandboxChannel }], media: [{ mediaId: copy.id, altText: "Orange" }] });
    expect([back.body.version, back.body.unchanged]).toEqual([3, true]);
    // An edit that does not mention `media` keeps the images; an empty list removes them.
    const textOnly = await manager.put(`/api/v1/posts/${res.body.id}`, { version: 3, text: "Still one picture", channels: [{ channelId: sandboxChannel }] });
    expect([textOnly.status, textOnly.body.media.length], textOnly.text).toEqual([200, 1]);
    const none = await manager.put(`/api/v1/posts/${res.body.id}`, { version: 4, text: "No picture", channels: [{ channelId: sandboxChannel }], media: [] });
    expect(none.body.media).toEqual([]);
    expect(await mediaRow(copy.id)).toBeUndefined();
  });

  it("checks each channel's rules and names the channel; nothing is saved", async () => {
    const postsBefore = (await services.database.db.select().from(posts)).length;
    const gif = await uploaded(GIF_1X1, "dot.gif");
    const both = [{ channelId: sandboxChannel }, { channelId: strictChannel }];
    const wrongType = await manager.post("/api/v1/posts", { text: "A GIF", channels: both, media: [{ mediaId: gif.id }] });
    expect(errorOf(wrongType)).toEqual([422, "media_type_not_allowed"]);
    expect(wrongType.body.error.fields).toEqual({ "media.0": ["@strictbrand takes PNG, JPEG images only"] });
    expect(wrongType.body.error.issues).toEqual([{ code: "media_type_not_allowed", channelId: strictChannel, handle: "strictbrand", index: 0, limit: "PNG, JPEG" }]);
    // Fine on the Sandbox alone.
    expect((await manager.post("/api/v1/posts", { text: "A GIF", channels: [{ channelId: sandboxChannel }], media: [{ mediaId: gif.id }] })).status).toBe(200);

    const big = await uploaded(pngImage(600, 600, { noise: true }), "noise.png"); // about 1.08 MB
    const tooLarge = await manager.post("/api/v1/posts", { text: "Big", channels: both, media: [{ mediaId: big.id }] });
    expect(errorOf(tooLarge)).toEqual([422, "media_too_large"]);
    expect(tooLarge.body.error.fields).toEqual({ "media.0": ["At most 1 MB per image on @strictbrand"] });

    const five = await Promise.all(Array.from({ length: 5 }, (_, i) => uploaded(pngImage(4, 4, { color: [i * 40, 0, 0] }))));
    const tooMany = await manager.post("/api/v1/posts", { text: "Five", channels: both, media: five.map((m) => ({ mediaId: m.id })) });
    expect(errorOf(tooMany)).toEqual([422, "too_many_media"]);
    expect(tooMany.body.error.fields.media).toEqual(["At most 4 images on @emberoak", "At most 4 images on @strictbrand"]);

    const longAlt = await manager.post("/api/v1/posts", { text: "Described", channels: both, media: [{ mediaId: five[0].id, altText: "ü".repeat(1001) }] });
    expect(errorOf(longAlt)).toEqual([422, "alt_text_too_long"]);
    expect(longAlt.body.error.fields).toEqual({ "media.0.altText": ["At most 1000 characters of alt text on @emberoak", "At most 1000 characters of alt text on @strictbrand"] });

    expect((await services.database.db.select().from(posts)).length).toBe(postsBefore + 1);
    for (const m of [big, ...five]) expect((await mediaRow(m.id))!.postId).toBeNull();
  });

  it("an image swapped after approval sends the post back for approval; so does new alt text", async () => {
    const photo = await uploaded(pngImage(8, 8, { color: [0, 128, 0] }), "photo.png", intern);
    const draft = await intern.post("/api/v1/posts", { text: "Our new roastery", channels: [{ channelId: sandboxChannel }], scheduledAt: inMinutes(60), media: [{ mediaId: photo.id, altText: "The roastery" }] });
    expect(draft.status, draft.text).toBe(200);
    expect(draft.body.state).toBe("in_review");
    const withoutImage = await intern.post("/api/v1/posts", { text: "Our new roastery", channels: [{ channelId: sandboxChannel }] });
    expect(withoutImage.body.contentHash).not.toBe(draft.body.contentHash);
    const approved = await manager.post(`/api/v1/posts/${draft.body.id}/approve`, { contentHash: draft.body.contentHash });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body.post.state).toBe("scheduled");

    // The same content saved again keeps the approval.
    const same = await intern.put(`/api/v1/posts/${draft.body.id}`, { version: approved.body.post.version, text: "Our new roastery", channels: [{ channelId: sandboxChannel }], scheduledAt: draft.body.scheduledAt, media: [{ mediaId: photo.id, altText: "The roastery" }] });
    expect([same.body.state, same.body.contentHash]).toEqual(["scheduled", draft.body.contentHash]);

    // Another picture, same text: a new version, back in review.
    const other = await uploaded(pngImage(8, 8, { color: [128, 0, 0] }), "photo.png", intern);
    const swapped = await intern.put(`/api/v1/posts/${draft.body.id}`, { version: same.body.version, text: "Our new roastery", channels: [{ channelId: sandboxChannel }], scheduledAt: draft.body.scheduledAt, media: [{ mediaId: other.id, altText: "The roastery" }] });
    expect(swapped.status, swapped.text).toBe(200);
    expect(swapped.body.state).toBe("in_review");
    expect(swapped.body.contentHash).not.toBe(draft.body.contentHash);
    const history = (await admin.get(`/api/v1/posts/${draft.body.id}`)).body.history.map((e: { type: string }) => e.type);
    expect(history).toContain("approval_invalidated");

    const reapproved = await manager.post(`/api/v1/posts/${draft.body.id}/approve`, { contentHash: swapped.body.contentHash });
    expect(reapproved.body.post.state).toBe("scheduled");
    const described = await intern.put(`/api/v1/posts/${draft.body.id}`, { version: reapproved.body.post.version, text: "Our new roastery", channels: [{ channelId: sandboxChannel }], scheduledAt: draft.body.scheduledAt, media: [{ mediaId: other.id, altText: "The roastery in Bogotá" }] });
    expect(described.body.state).toBe("in_review");
  });

  it("publishes the images with the post, once, also when an answer was lost; the Sandbox shows them", async () => {
    const a = pngImage(30, 20, { color: [250, 200, 0] });
    const b = pngImage(20, 30, { color: [0, 90, 250] });
    const [ma, mb] = [await uploaded(a), await uploaded(b)];
    const res = await manager.post("/api/v1/posts", {
      text: "Fresh beans, two views",
      channels: [{ channelId: sandboxChannel }],
      scheduledAt: inMinutes(0),
      media: [{ mediaId: ma.id, altText: "A yellow square" }, { mediaId: mb.id, altText: "A blue square" }],
    });
    expect(res.status, res.text).toBe(200);
    // The network takes the post but the answer is lost: the retry reconciles it, nothing is posted twice.
    await injectSandboxFault(services.database.db, accountId, { kind: "timeout_after_accept", count: 1 }, services.clock());
    expect(await unsafePublishDue(services)).toEqual(["retry"]);
    services.clock.advance(30_000);
    expect(await unsafePublishDue(services)).toEqual(["reconciled"]);
    const onNetwork = await services.database.db.select().from(sandboxPosts).where(eq(sandboxPosts.text, "Fresh beans, two views"));
    expect(onNetwork).toHaveLength(1);
    expect(onNetwork[0].media).toMatchObject([
      { mimeType: "image/png", altText: "A yellow square", size: a.length },
      { mimeType: "image/png", altText: "A blue square", size: b.length },
    ]);
    const images = await services.database.db.select().from(sandboxMedia).where(eq(sandboxMedia.postId, onNetwork[0].id));
    expect(images).toHaveLength(2);
    // The Sandbox's web view shows the pictures with their descriptions, and serves their bytes.
    const page = await (await app.request(`/sandbox/posts/${onNetwork[0].id}`)).text();
    expect(page).toContain(`alt="A yellow square"`);
    expect(page).toContain(`alt="A blue square"`);
    const firstId = onNetwork[0].media[0].id!;
    const served = await app.request(`/sandbox/media/${firstId}`);
    expect([served.status, served.headers.get("content-type")]).toEqual([200, "image/png"]);
    expect(Buffer.from(await served.arrayBuffer()).equals(a)).toBe(true);
    // Published: the post's page still shows its images.
    const post = (await admin.get(`/api/v1/posts/${res.body.id}`)).body;
    expect(post.targets[0].status).toBe("published");
    expect(post.media.map((m: { altText: string }) => m.altText)).toEqual(["A yellow square", "A blue square"]);
  });

  it("deletes an upload no post used after a day, keeps posts' images, and a post's images go with it", async () => {
    const orphan = await uploaded(pngImage(3, 3));
    const used = await uploaded(pngImage(3, 3));
    const post = await manager.post("/api/v1/posts", { text: "Keep mine", channels: [{ channelId: sandboxChannel }], media: [{ mediaId: used.id }] });
    services.clock.advance(23 * 3600_000);
    await pruneUnattachedMedia.run(services);
    expect(await mediaRow(orphan.id)).toBeDefined();
    services.clock.advance(2 * 3600_000);
    await pruneUnattachedMedia.run(services);
    expect(await mediaRow(orphan.id)).toBeUndefined();
    expect(await mediaRow(used.id)).toBeDefined();
    await services.database.db.delete(posts).where(eq(posts.id, post.body.id));
    expect(await mediaRow(used.id)).toBeUndefined();
  });
});
