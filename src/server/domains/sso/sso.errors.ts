import { AppError } from "../../errors";

export const ssoNotConfigured = () => new AppError("sso_not_configured", 404, "Single sign-on is not set up for this email domain or workspace");
export const ssoRequired = () =>
  new AppError("sso_required", 403, "Your workspace requires single sign-on: use “Sign in with SSO” with your work email");
export const ssoStateInvalid = () =>
  new AppError("sso_state_invalid", 400, "This single sign-on attempt is unknown, used, expired or was started in another browser: start again");
export const ssoProviderRefused = (detail: string) => new AppError("sso_provider_refused", 401, `The identity provider did not sign you in: ${detail}`);
export const ssoTokenInvalid = () => new AppError("sso_token_invalid", 401, "The identity provider's answer could not be verified (ID token, SAML signature or conditions, state or nonce): start again");
export const ssoEmailNotAllowed = () =>
  new AppError("sso_email_not_allowed", 403, "Your identity provider account's email is not verified or its domain is not allowed for this workspace");
export const ssoNotAMember = () =>
  new AppError("sso_not_a_member", 403, "You were removed from this workspace: ask an admin for a new invitation");
export const ssoProviderUnreachable = () => new AppError("sso_provider_unreachable", 503, "The identity provider could not be reached or did not answer as an OpenID provider");
export const ssoSessionConfined = () =>
  new AppError("sso_session_confined", 403, "You signed in by single sign-on for another workspace: sign out and sign in again to switch");
export const ssoUnsolicited = () =>
  new AppError("sso_unsolicited", 400, "The identity provider sent a sign-in nobody started here (IdP-initiated): start from Parapet's sign-in page with “Sign in with SSO”");
export const ssoNameIdTransient = () =>
  new AppError("sso_name_id_transient", 400, "The identity provider sent a one-time (transient) NameID, which cannot identify you again: an admin must set it to send a persistent NameID or the email address");
