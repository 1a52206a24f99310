import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { Role } from "../../../contracts/roles";
import { createApp } from "../../http/app";
import { mailOutbox } from "../../mail/mail.schema";
import { describeEachDatabase } from "../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { buildWorkspace, signedInClient } from "../../../../test/support/factories";
import { httpClient, type HttpClient } from "../../../../test/support/http";
import { auditSince, lastAuditSeq } from "../../../../test/support/audit";
import { createTestNetwork, type TestNetwork } from "../../../../test/support/test-connector";
import { channelAuthorizations, channels } from "./channels.schema";

type ChannelView = { id: string; handle: string; status: string; serviceUrl: string | null };
const SERVER = "https://social.example.test";

describeEachDatabase("channels: OAuth connect, reconnect links, needs-reconnect notice", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let people: Record<Role, { id: string; email: string }>;
  let workspaceId: string;
  let admin: HttpClient;
  let oauthnet: TestNetwork;
  let formnet: TestNetwork;
  let accounts = 0;

  /** The path and query of a redirect the network sends the browser to (its host is this server's public URL). */
  const pathOf = (url: string) => {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  };
  const begin = async (client: HttpClient, body: Record<string, unknown>) => {
    const res = await client.post("/api/v1/channels/authorizations", body);
    expect(res.status, res.text).toBe(200);
    return res.body.authorizeUrl as string;
  };
  const newAccount = (network: TestNetwork) => {
    const handle = `acct${++accounts}`;
    network.addAccount(handle, "pw-1", { displayName: `Account ${accounts}` });
    return handle;
  };
  const connectByOauth = async (handle: string) => {
    const back = oauthnet.approve(await begin(admin, { network: "oauthnet", serviceUrl: SERVER }), handle);
    const res = await admin.get(pathOf(back));
    expect(res.status).toBe(302);
    const id = new URL(res.headers.get("location")!, "http://x").searchParams.get("connected");
    expect(id, res.headers.get("location")!).not.toBeNull();
    return (await services.database.db.select().from(channels).where(eq(channels.id, id!)))[0];
  };

  beforeAll(async () => {
    services = await createTestServices(kind);
    oauthnet = createTestNetwork({ network: "oauthnet", clock: services.clock, oauth: true, refresh: false });
    formnet = createTestNetwork({ network: "formnet", clock: services.clock });
    services.networks.register(oauthnet);
    services.networks.register(formnet);
    app = createApp(services);
    const built = await buildWorkspace(services);
    people = built.people;
    workspaceId = built.workspace.id;
  });
  afterAll(() => services.close());
  beforeEach(async () => {
    services.clock.set(new Date("2026-11-23T09:00:00Z"));
    admin = await signedInClient(app, people.admin);
  });

  it("connects through the network's OAuth flow with PKCE and lands on the Channels page with the new channel", async () => {
    const handle = newAccount(oauthnet);
    const seq = await lastAuditSeq(services);
    const authorizeUrl = await begin(admin, { network: "oauthnet", serviceUrl: `${SERVER}/` });
    const asked = new URL(authorizeUrl);
    expect(asked.origin).toBe(SERVER);
    expect(asked.searchParams.get("code_challenge_method")).toBe("S256");
    expect(asked.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(asked.searchParams.get("redirect_uri")).toBe(`${services.config.publicUrl}/api/v1/channels/oauth/callback`);
    // The state and verifier are not stored in the clear.
    const [pending] = await services.database.db.select().from(channelAuthorizations).where(eq(channelAuthorizations.workspaceId, workspaceId));
    expect(pending.stateHash).not.toContain(asked.searchParams.get("state"));

    const back = await admin.get(pathOf(oauthnet.approve(authorizeUrl, handle)));
    expect(back.status).toBe(302);
    const location = new URL(back.headers.get("location")!, "http://x");
    expect(location.pathname).toBe("/settings/channels");
    const list = (await admin.get("/api/v1/channels")).body.channels as ChannelView[];
    const channel = list.find((c) => c.id === location.searchParams.get("connected"));
    expect(channel).toMatchObject({ handle, status: "active", serviceUrl: SERVER });
    const audit = await auditSince(services, seq, { action: "channel.connected" });
    expect(audit.map((row) => row.data)).toEqual([expect.objectContaining({ handle, via: "oauth" })]);
  });

  it("a state works once, expires after 15 minutes, and only for the person who started it", async () => {
    const handle = newAccount(oauthnet);
    // Used once: the second arrival with the same state is refused.
    const back = oauthnet.approve(await begin(admin, { network: "oauthnet", serviceUrl: SERVER }), handle);
    expect((await admin.get(pathOf(back))).headers.get("location")).toMatch(/connected=/);
    expect((await admin.get(pathOf(back))).headers.get("location")).toBe("/settings/channels?connectError=channel_authorization_invalid");

    // Another person's browser (say, lured to the link) cannot finish it; nor can nobody.
    const other = newAccount(oauthnet);
    const stolen = oauthnet.approve(await begin(admin, { network: "oauthnet", serviceUrl: SERVER }), other);
    const owner = await signedInClient(app, people.owner);
    expect((await owner.get(pathOf(stolen))).headers.get("location")).toBe("/settings/channels?connectError=channel_authorization_invalid");
    expect((await httpClient(app).get(pathOf(stolen))).headers.get("location")).toBe("/reconnect?error=channel_authorization_invalid");

    const late = oauthnet.approve(await begin(admin, { network: "oauthnet", serviceUrl: SERVER }), other);
    services.clock.advance(15 * 60_000 + 1000);
    admin = await signedInClient(app, people.admin);
    expect((await admin.get(pathOf(late))).headers.get("location")).toBe("/settings/channels?connectError=channel_authorization_invalid");
    expect((await admin.get("/api/v1/channels/oauth/callback")).headers.get("location")).toBe("/settings/channels?connectError=channel_authorization_invalid");
    const list = (await admin.get("/api/v1/channels")).body.channels as ChannelView[];
    expect(list.map((c) => c.handle)).not.toContain(other);
  });

  it("a refusal at the network, or a code whose verifier does not match, connects nothing and says why", async () => {
    const denied = oauthnet.deny(await begin(admin, { network: "oauthnet", serviceUrl: SERVER }));
    expect((await admin.get(pathOf(denied))).headers.get("location")).toBe("/settings/channels?connectError=channel_connect_refused");

    // A code that came back for another authorisation: its PKCE challenge does not match this one's verifier.
    const handle = newAccount(oauthnet);
    const first = await begin(admin, { network: "oauthnet", serviceUrl: SERVER });
    const second = await begin(admin, { network: "oauthnet", serviceUrl: SERVER });
    const code = new URL(oauthnet.approve(first, handle)).searchParams.get("code")!;
    const state = new URL(second).searchParams.get("state")!;
    const crossed = await admin.get(`/api/v1/channels/oauth/callback?${new URLSearchParams({ code, state })}`);
    expect(crossed.headers.get("location")).toBe("/settings/channels?connectError=channel_connect_refused");
  });

  it("refuses to start without the account's server where the network needs one, and for networks that use a form", async () => {
    const missing = await admin.post("/api/v1/channels/authorizations", { network: "oauthnet" });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields.serviceUrl).toBeDefined();
    const form = await admin.post("/api/v1/channels/authorizations", { network: "formnet" });
    expect(form.status).toBe(400);
    expect(form.body.error.code).toBe("invalid_input");
    const member = await signedInClient(app, people.member);
    expect((await member.post("/api/v1/channels/authorizations", { network: "oauthnet", serviceUrl: SERVER })).status).toBe(403);
  });

  it("reconnecting an OAuth channel must sign in as the same account", async () => {
    const handle = newAccount(oauthnet);
    const channel = await connectByOauth(handle);
    oauthnet.expireTokensOf(handle);
    await admin.post(`/api/v1/channels/${channel.id}/verify`);

    const stranger = newAccount(oauthnet);
    const wrong = await admin.get(pathOf(oauthnet.approve(await begin(admin, { network: "oauthnet", channelId: channel.id }), stranger)));
    expect(wrong.headers.get("location")).toBe("/settings/channels?connectError=channel_account_mismatch");

    const seq = await lastAuditSeq(services);
    const right = await admin.get(pathOf(oauthnet.approve(await begin(admin, { network: "oauthnet", channelId: channel.id }), handle)));
    expect(right.headers.get("location")).toBe(`/settings/channels?connected=${channel.id}`);
    const [row] = await services.database.db.select().from(channels).where(eq(channels.id, channel.id));
    expect(row.status).toBe("active");
    expect((await auditSince(services, seq)).map((r) => [r.action, (r.data as { via?: string }).via])).toEqual([["channel.reconnected", "oauth"]]);
  });

  it("a channel that needs reconnecting mails the people who can fix it, once, in their language", async () => {
    const handle = newAccount(formnet);
    const res = await admin.post("/api/v1/channels", { network: "formnet", kind: "app_password", identifier: handle, password: "pw-1" });
    const before = await services.database.db.select().from(mailOutbox);
    formnet.expireTokensOf(handle);
    await admin.post(`/api/v1/channels/${res.body.id}/verify`);
    await admin.post(`/api/v1/channels/${res.body.id}/verify`); // still expired: no second mail
    const mails = (await services.database.db.select().from(mailOutbox)).filter((m) => !before.some((b) => b.id === m.id));
    // Owner and admin may manage channels; the admin also connected it (one mail each, not two).
    expect(mails.map((m) => m.toAddress).sort()).toEqual([people.admin.email, people.owner.email].sort());
    expect(mails[0].subject).toBe(`@${handle} (Test network (formnet)) needs reconnecting`);
    expect(mails[0].text).toContain("The network said: auth_expired: The token is not valid any more");
    expect(mails[0].text).toContain(`${services.config.publicUrl}/settings/channels`);
  });

  it("a reconnect link lets the account's owner reconnect that one channel without a seat, once", async () => {
    const handle = newAccount(formnet);
    const connected = await admin.post("/api/v1/channels", { network: "formnet", kind: "app_password", identifier: handle, password: "pw-1" });
    formnet.expireTokensOf(handle);
    await admin.post(`/api/v1/channels/${connected.body.id}/verify`);

    const made = await admin.post(`/api/v1/channels/${connected.body.id}/reconnect-links`, { email: "Owner@Brand.Example", locale: "de" });
    expect(made.status, made.text).toBe(200);
    expect(made.body.link).toMatchObject({ status: "open", sentTo: "owner@brand.example" });
    const token = new URL(made.body.url).searchParams.get("token")!;
    const [mail] = await services.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, "owner@brand.example"));
    expect(mail.subject).toBe(`Bitte verbinden Sie @${handle} (Test network (formnet)) erneut mit Parapet`);
    expect(mail.text).toContain(made.body.url);

    const holder = httpClient(app); // no account, no session
    const view = await holder.get(`/api/v1/reconnect-links/${token}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ channel: { handle, status: "needs_reconnect" }, network: { network: "formnet", connectMethod: { kind: "app_password" } } });
    expect(JSON.stringify(view.body)).not.toContain(people.admin.email);

    const stranger = newAccount(formnet);
    const wrong = await holder.post(`/api/v1/reconnect-links/${token}/connect`, { kind: "app_password", identifier: stranger, password: "pw-1" });
    expect([wrong.status, wrong.body.error.code]).toEqual([422, "channel_account_mismatch"]);
    const badPassword = await holder.post(`/api/v1/reconnect-links/${token}/connect`, { kind: "app_password", identifier: handle, password: "nope" });
    expect([badPassword.status, badPassword.body.error.code]).toEqual([422, "channel_connect_refused"]);

    const seq = await lastAuditSeq(services);
    const done = await holder.post(`/api/v1/reconnect-links/${token}/connect`, { kind: "app_password", identifier: handle, password: "pw-1" });
    expect(done.status, done.text).toBe(200);
    expect(done.body).toEqual({ handle, status: "active" });
    const audit = await auditSince(services, seq);
    expect(audit.map((r) => [r.action, (r.data as { via?: string }).via])).toEqual([["channel.reconnected", "reconnect_link"]]);

    const again = await holder.get(`/api/v1/reconnect-links/${token}`);
    expect([again.status, again.body.error.code]).toEqual([410, "reconnect_link_invalid"]);
    const links = await admin.get(`/api/v1/channels/${connected.body.id}/reconnect-links`);
    expect(links.body.links[0]).toMatchObject({ id: made.body.link.id, status: "used" });
  });

  it("a revoked or expired reconnect link does nothing; an unknown one says the same", async () => {
    const handle = newAccount(formnet);
    const connected = await admin.post("/api/v1/channels", { network: "formnet", kind: "app_password", identifier: handle, password: "pw-1" });
    const made = await admin.post(`/api/v1/channels/${connected.body.id}/reconnect-links`, {});
    expect(made.body.link.sentTo).toBeNull();
    const token = new URL(made.body.url).searchParams.get("token")!;
    const seq = await lastAuditSeq(services);
    const revoked = await admin.delete(`/api/v1/channels/${connected.body.id}/reconnect-links/${made.body.link.id}`);
    expect(revoked.body.status).toBe("revoked");
    expect((await auditSince(services, seq)).map((r) => r.action)).toEqual(["channel.reconnect_link_revoked"]);
    const holder = httpClient(app);
    expect((await holder.post(`/api/v1/reconnect-links/${token}/connect`, { kind: "app_password", identifier: handle, password: "pw-1" })).body.error.code).toBe("reconnect_link_invalid");

    const later = await admin.post(`/api/v1/channels/${connected.body.id}/reconnect-links`, {});
    services.clock.advance(7 * 86_400_000 + 1000);
    expect((await holder.get(`/api/v1/reconnect-links/${new URL(later.body.url).searchParams.get("token")}`)).status).toBe(410);
    expect((await holder.get("/api/v1/reconnect-links/not-a-real-token")).body.error.code).toBe("reconnect_link_invalid");
  });

  it("a reconnect link for an OAuth channel sends its holder to the network and back, and then to the reconnect page", async () => {
    const handle = newAccount(oauthnet);
    const channel = await connectByOauth(handle);
    const made = await admin.post(`/api/v1/channels/${channel.id}/reconnect-links`, {});
    const token = new URL(made.body.url).searchParams.get("token")!;
    const holder = httpClient(app);
    const started = await holder.post(`/api/v1/reconnect-links/${token}/authorize`, {});
    expect(started.status, started.text).toBe(200);
    expect(new URL(started.body.authorizeUrl).origin).toBe(SERVER); // the channel's own server
    const back = await holder.get(pathOf(oauthnet.approve(started.body.authorizeUrl, handle)));
    expect(back.headers.get("location")).toBe("/reconnect?done=1");
    expect((await holder.get(`/api/v1/reconnect-links/${token}`)).status).toBe(410);
  });
});
