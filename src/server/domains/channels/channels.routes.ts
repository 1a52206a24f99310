import { z } from "@hono/zod-openapi";
import * as api from "../../../contracts/api";
import { defineRoute, may } from "../../http/access";
import { ERRORS, idParam, jsonBody, newRouter, ok } from "../../http/openapi-kit";
import type { ConnectInput } from "../../networks/types";
import * as channels from "./index";

const tags = ["Channels"];
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
    return c.json(channels.presentChannel(row, c.var.ctx.now()), 200);
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
    return c.json({ channel: channels.presentChannel(channel, c.var.ctx.now()), outcome }, 200);
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
    return c.json({ channel: channels.presentChannel(channel, c.var.ctx.now()), revokedAtNetwork }, 200);
  },
);
