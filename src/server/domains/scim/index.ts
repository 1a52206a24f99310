/** Provisioning over SCIM 2.0: a workspace's identity provider creates, updates and deprovisions its people and teams. */
export { createScimToken, SCIM_TOKEN_PREFIX } from "./commands/create-scim-token";
export { revokeScimToken } from "./commands/revoke-scim-token";
export { getScimSettings, scimBaseUrl } from "./queries/scim-settings";
export { scimProtocolRoutes, SCIM_PREFIX } from "./scim-protocol.routes";
