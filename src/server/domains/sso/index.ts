/** Single sign-on: a workspace's OpenID Connect or SAML 2.0 identity provider, just-in-time provisioning, "SSO required". */
export { configureSso } from "./commands/configure-sso";
export { removeSso } from "./commands/remove-sso";
export { beginSsoSignIn, SSO_SIGN_IN_VALID_MINUTES } from "./commands/begin-sso-sign-in";
export { completeSsoSignIn } from "./commands/complete-sso-sign-in";
export { receiveSamlResponse } from "./commands/receive-saml-response";
export { finishSamlSignIn } from "./commands/finish-saml-sign-in";
export { samlMetadataOf } from "./queries/saml-metadata";
export { getSsoSettings } from "./queries/sso-settings";
export { passwordSignInBlockedBySso } from "./queries/sso-provider";
export { ssoWorkspaceOfSession } from "./queries/sso-session";
