/** Single sign-on: a workspace's OpenID Connect provider, just-in-time provisioning, "SSO required". */
export { configureSso } from "./commands/configure-sso";
export { removeSso } from "./commands/remove-sso";
export { beginSsoSignIn, SSO_SIGN_IN_VALID_MINUTES } from "./commands/begin-sso-sign-in";
export { completeSsoSignIn } from "./commands/complete-sso-sign-in";
export { getSsoSettings } from "./queries/sso-settings";
export { passwordSignInBlockedBySso } from "./queries/sso-provider";
export { ssoWorkspaceOfSession } from "./queries/sso-session";
