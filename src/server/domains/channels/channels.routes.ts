import { z } from "@hono/zod-openapi";
import * as api from "../../../contracts/api";
import { PUBLIC, defineRoute, may, mayOnChannel } from "../../http/access";
import { AppError } from "../../errors";
import { levelByRole } from "../../authz";
import type { Ctx } from "../../context";
import { authorizationInvalid } from "./channels.errors";
import { ERRORS, idParam, jsonBody, newRouter, ok } from "../../http/openapi-kit";
import type { ConnectInput } from "../../networks/types";
import * as channels from "./index";

const tags = ["Channels"];
/** Whoever may manage channels (owners, admins, the system) may do everything on each. */
const managerLevel = (ctx: Ctx) => levelByRole(ctx.actor.type === "user" ? ctx.actor.role : "owner");
export const channelRoutes = newRouter();

const unprocessable = { content: { "application/json": { schema: ERRORS[400].content["application/json"].schema } }, description: "The network refused (`channel_connect_refused`) or is not available here (`network_unknown`)" };
const unavailable = { content: { "application/json": { schema: ERRORS[400].content["application/json"].schema } }, description: "The network did not answer as expected (`network_unreachable`); try again" };

channelRoutes.openapi(
  defineRoute(may("channels.read"), {
    method: "get", path: "/networks", tags, summary: "Networks a channel can be connected to on this server",
    description: "Each network's name, how it connects (`connectMethod`) and what it can do (`capabilities`, `limits`).",
    responses: { 200: ok(z.object({ networks: z.array(api.NetworkInfo) })) },
  }),
  (c) => c.json({ networks: channels.listNetworks(c.var.ctx) }, 200),
);

channelRoutes.openapi(
  defineRoute(may("channels.read"), {
    method: "get", path: "/channels", tags, summary: "Connected channels with their health",
    description: "Health: `status` (active, needs_reconnect), whether the token is valid, when it expires, the last success and the last error. Credentials are never returned.",
    responses: { 200: ok(z.object({ channels: z.array(api.Channel) })) },
  }),
  async (c) => c.json({ channels: await channels.listChannels(c.var.ctx) }, 200),
);

channelRoutes.openapi(
  defineRoute(mayOnChannel("read"), {
    method: "get", path: "/channels/{channelId}", tags, summary: "One channel, with its health and your level on it",
    description: "Needs Read only or more on the channel (owners and admins have Full publishing on every channel). A channel you have no access to answers 404.",
    request: { params: idParam("channelId") },
    responses: { 200: ok(api.Channel), 404: ERRORS[404] },
  }),
  async (c) => c.json(await channels.getChannel(c.var.ctx, { channelId: c.req.valid("param").channelId }), 200),
);

channelRoutes.openapi(
  defineRoute(may("channels.manage"), {
    method: "post", path: "/channels", tags, summary: "Connect an account",
    description:
      "Signs in at the network with the fields its connect method asks for; the credentials it gives are sealed (AES-256-GCM) and never leave the server. Errors: `channel_already_connected` (409), `channel_connect_refused` (422), `network_unknown` (422), `network_unreachable` (503).",
    request: jsonBody(api.ConnectChannelBody),
    responses: { 200: ok(api.Channel), 400: ERRORS[400], 403: ERRORS[403], 409: ERRORS[409], 422: unprocessable, 503: unavailable },
  }),
  async (c) => {
    const { network, ...input } = c.req.valid("json");
    const row = await channels.connectChannel(c.var.ctx, { network, input: input as ConnectInput });
    return c.json(channels.presentChannel(row, c.var.ctx.now(), managerLevel(c.var.ctx)), 200);
  },
);

channelRoutes.openapi(
  defineRoute(may("channels.manage"), {
    method: "post", path: "/channels/{channelId}/verify", tags, summary: "Check a channel now",
    description: "Asks the network whether the credentials still work. Expired access moves the channel to `needs_reconnect` with the reason; another failure is kept as the last error. Errors: `channel_disconnected` (409).",
    request: { params: idParam("channelId") },
    responses: { 200: ok(api.ChannelCheckResult), 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => {
    const { channel, outcome } = await channels.verifyChannel(c.var.ctx, { channelId: c.req.valid("param").channelId });
    return c.json({ channel: channels.presentChannel(channel, c.var.ctx.now(), managerLevel(c.var.ctx)), outcome }, 200);
  },
);

channelRoutes.openapi(
  defineRoute(may("channels.manage"), {
    method: "delete", path: "/channels/{channelId}", tags, summary: "Disconnect a channel",
    description: "Revokes the credentials at the network where it can (`revokedAtNetwork`), then forgets them. Errors: `channel_disconnected` (409).",
    request: { params: idParam("channelId") },
    responses: { 200: ok(api.ChannelDisconnectResult), 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => {
    const { channel, revokedAtNetwork } = await channels.disconnectChannel(c.var.ctx, { channelId: c.req.valid("param").channelId });
    return c.json({ channel: channels.presentChannel(channel, c.var.ctx.now(), managerLevel(c.var.ctx)), revokedAtNetwork }, 200);
  },
);

// ── OAuth networks: leave for the network, come back with a code ─────────────────────────────────────────

channelRoutes.openapi(
  defineRoute(may("channels.manage"), {
    method: "post", path: "/channels/authorizations", tags, summary: "Start connecting an account of an OAuth network",
    description:
      "For networks whose connect method is `oauth2_pkce` (Mastodon, …): registers Parapet at the account's server where needed and returns the network's authorisation URL (PKCE S256) to send the person to. They come back to `GET /channels/oauth/callback`, in the same browser session, within 15 minutes. With `channelId`, reconnects that channel (the same account must sign in). Errors: `network_unknown` (422), `network_unreachable` (503), `invalid_input` (400) when the method is not OAuth or the server address is missing.",
    request: jsonBody(api.BeginChannelAuthorizationBody),
    responses: { 200: ok(api.ChannelAuthorizationStart), 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404], 422: unprocessable, 503: unavailable },
  }),
  async (c) => c.json(await channels.beginChannelAuthorization(c.var.ctx, c.req.valid("json")), 200),
);

const callbackQuery = z.object({
  state: z.string().max(200).optional(),
  code: z.string().max(2000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
});
channelRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "get", path: "/channels/oauth/callback", tags, summary: "Where the network sends the person back (OAuth redirect URI)",
    description:
      "A browser navigation, not an API call: finishes the connect and redirects to the Channels page (`?connected=<channelId>` or `?connectError=<code>`), or to the reconnect page when a reconnect link started it (`/reconnect?done=1` or `?error=<code>`). The state is used once and must come back to the person who started it.",
    request: { query: callbackQuery },
    responses: { 302: { description: "Redirect to the web app with the outcome" } },
  }),
  async (c) => {
    const query = c.req.valid("query");
    const signedIn = c.var.ctx.actor.type === "user";
    try {
      if (!query.state) throw authorizationInvalid();
      const { channel, startedByLink } = await channels.completeChannelAuthorization(c.var.ctx, {
        state: query.state,
        code: query.code,
        error: query.error,
        errorDescription: query.error_description,
      });
      return c.redirect(startedByLink ? "/reconnect?done=1" : `/settings/channels?connected=${channel.id}`, 302);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      c.var.ctx.log.info({ code: err.code }, "connecting a channel through OAuth did not finish");
      return c.redirect(signedIn ? `/settings/channels?connectError=${err.code}` : `/reconnect?error=${err.code}`, 302);
    }
  },
);

// ── Reconnect links: the account's owner reconnects one channel without a seat ─────────────────────────────

const linkParams = z.object({ channelId: z.uuid(), linkId: z.uuid() });
channelRoutes.openapi(
  defineRoute(may("channels.manage"), {
    method: "post", path: "/channels/{channelId}/reconnect-links", tags, summary: "Make a reconnect link for the account's owner",
    description:
      "A link (valid 7 days, works once) that lets whoever holds it reconnect this channel — sign in at the network as the same account — and nothing else; no Parapet account needed. Mailed when `email` is given (in `locale`, default: yours), and returned in `url` to pass on another way; it is not shown again. Errors: `channel_disconnected` (409).",
    request: { params: idParam("channelId"), ...jsonBody(api.CreateReconnectLinkBody) },
    responses: { 200: ok(api.CreatedReconnectLink), 400: ERRORS[400], 404: ERRORS[404], 409: ERRORS[409] },
  }),
  async (c) => c.json(await channels.createReconnectLink(c.var.ctx, { channelId: c.req.valid("param").channelId, ...c.req.valid("json") }), 200),
);

channelRoutes.openapi(
  defineRoute(may("channels.manage"), {
    method: "get", path: "/channels/{channelId}/reconnect-links", tags, summary: "A channel's reconnect links, newest first",
    request: { params: idParam("channelId") },
    responses: { 200: ok(z.object({ links: z.array(api.ReconnectLink) })), 404: ERRORS[404] },
  }),
  async (c) => c.json({ links: await channels.listReconnectLinks(c.var.ctx, { channelId: c.req.valid("param").channelId }) }, 200),
);

channelRoutes.openapi(
  defineRoute(may("channels.manage"), {
    method: "delete", path: "/channels/{channelId}/reconnect-links/{linkId}", tags, summary: "Revoke a reconnect link",
    description: "A link already used, revoked or expired is returned as it is.",
    request: { params: linkParams },
    responses: { 200: ok(api.ReconnectLink), 404: ERRORS[404] },
  }),
  async (c) => c.json(await channels.revokeReconnectLink(c.var.ctx, c.req.valid("param")), 200),
);

// Only length-capped: a wrong or truncated link answers 410 reconnect_link_invalid, not 400.
const linkToken = z.object({ token: z.string().min(1).max(200) });
channelRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "get", path: "/reconnect-links/{token}", tags, summary: "What a reconnect link is for",
    description: "The account, the workspace's name and how its network connects. Errors: `reconnect_link_invalid` (410) when used, revoked, expired or unknown.",
    request: { params: linkToken },
    responses: { 200: ok(api.ReconnectLinkView), 410: ERRORS[410] },
  }),
  async (c) => c.json(await channels.viewReconnectLink(c.var.ctx, c.req.valid("param")), 200),
);

channelRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "post", path: "/reconnect-links/{token}/connect", tags, summary: "Reconnect with the network's sign-in form (app password, Sandbox)",
    description: "Signs in at the network as the link's account and uses the link up. Errors: `reconnect_link_invalid` (410), `channel_account_mismatch` (422) when another account signed in, `channel_connect_refused` (422), `network_unreachable` (503).",
    request: { params: linkToken, ...jsonBody(api.ReconnectWithLinkBody) },
    responses: { 200: ok(api.ReconnectedWithLink), 400: ERRORS[400], 410: ERRORS[410], 422: unprocessable, 503: unavailable },
  }),
  async (c) => c.json(await channels.reconnectWithLink(c.var.ctx, { token: c.req.valid("param").token, connect: c.req.valid("json") as ConnectInput }), 200),
);

channelRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "post", path: "/reconnect-links/{token}/authorize", tags, summary: "Reconnect at an OAuth network: where to go to authorise",
    description: "Returns the network's authorisation URL; the network sends the person back to `GET /channels/oauth/callback`. Errors: `reconnect_link_invalid` (410), `network_unreachable` (503).",
    request: { params: linkToken },
    responses: { 200: ok(api.ChannelAuthorizationStart), 400: ERRORS[400], 410: ERRORS[410], 503: unavailable },
  }),
  async (c) => c.json(await channels.beginReconnectWithLink(c.var.ctx, c.req.valid("param")), 200),
);

// ── Who may do what on each channel ─────────────────────────────────────────────────────────────────────────

channelRoutes.openapi(
  defineRoute(may("channels.manage"), {
    method: "get", path: "/channel-access", tags, summary: "The people × channels access matrix",
    description: "Every live channel; every member with their level on each channel and where it comes from (`role`: owners and admins have Full publishing everywhere; `direct`: their own grant; `teams`: their teams' grants) — the level is the highest of these; every team with its grants.",
    responses: { 200: ok(api.ChannelAccessMatrix), 403: ERRORS[403] },
  }),
  async (c) => c.json(await channels.channelAccessMatrix(c.var.ctx), 200),
);

channelRoutes.openapi(
  defineRoute(may("channels.manage"), {
    method: "put", path: "/channel-access", tags, summary: "Set levels in the access matrix (all or nothing)",
    description: "Each change gives one person (`userId`) or one team (`teamId`) a level on one channel; `none` removes the grant. Only real changes are stored, audited together as `channel_access.changed`. Errors: `invalid_input` (400) naming each change that refers to an unknown channel, member or team.",
    request: jsonBody(api.SetChannelAccessBody),
    responses: { 200: ok(z.object({ changed: z.number() })), 400: ERRORS[400], 403: ERRORS[403] },
  }),
  async (c) => c.json(await channels.setChannelAccess(c.var.ctx, c.req.valid("json")), 200),
);
