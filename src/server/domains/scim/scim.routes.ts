import * as api from "../../../contracts/api";
import { defineRoute, may } from "../../http/access";
import { ERRORS, idParam, jsonBody, newRouter, noContent, ok } from "../../http/openapi-kit";
import * as scim from "./index";

const tags = ["Provisioning (SCIM)"];
export const scimRoutes = newRouter();

scimRoutes.openapi(
  defineRoute(may("workspace.update"), {
    method: "get", path: "/workspace/scim", tags, summary: "The SCIM base URL and the workspace's SCIM tokens (never their values)",
    responses: { 200: ok(api.ScimSettings), 403: ERRORS[403] },
  }),
  async (c) => c.json(await scim.getScimSettings(c.var.ctx), 200),
);

scimRoutes.openapi(
  defineRoute(may("workspace.update"), {
    method: "post", path: "/workspace/scim/tokens", tags, summary: "Create a SCIM token for the identity provider (returned once)",
    description:
      "The identity provider sends it as `Authorization: Bearer scim_…` to the base URL (`/scim/v2`). Whoever holds it can add and remove the workspace's people: give it only to the provider. Audited as `scim.token_created`.",
    request: jsonBody(api.CreateScimTokenBody),
    responses: { 201: ok(api.CreatedScimToken, "Created"), 400: ERRORS[400], 403: ERRORS[403] },
  }),
  async (c) => c.json(await scim.createScimToken(c.var.ctx, c.req.valid("json")), 201),
);

scimRoutes.openapi(
  defineRoute(may("workspace.update"), {
    method: "delete", path: "/workspace/scim/tokens/{tokenId}", tags, summary: "Revoke a SCIM token: the provider's next request is refused",
    request: { params: idParam("tokenId") },
    responses: { 204: noContent, 403: ERRORS[403], 404: ERRORS[404] },
  }),
  async (c) => {
    await scim.revokeScimToken(c.var.ctx, { tokenId: c.req.valid("param").tokenId });
    return c.body(null, 204);
  },
);
