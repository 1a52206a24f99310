import { z } from "zod";
import { ChannelAction, ChannelLevel, Locale, Role, TokenScope, WorkspaceAction } from "./roles";

/** Request and response shapes of the API, shared by the server (validation, OpenAPI) and the web app. */

const email = z.string().trim().pipe(z.email("Enter a valid email address").max(320));
const password = z.string().min(1, "Enter a password").max(200);
const uuid = z.uuid();

export const SignInBody = z.object({ email, password });
export const SignInResult = z.object({ status: z.enum(["signed_in", "mfa_required"]) });
export const MfaCodeBody = z.object({ code: z.string().trim().min(6, "Enter the 6-digit code or a recovery code").max(20) });
export const PasswordResetRequestBody = z.object({ email });
// Tokens are only length-capped here: a wrong or truncated link is the command's 410, not a 400.
export const PasswordResetCompleteBody = z.object({ token: z.string().max(200), password });
export const InvitationView = z.object({ email: z.string(), role: Role, workspaceName: z.string(), expiresAt: z.string(), existingUser: z.boolean() });
export const AcceptInvitationBody = z.object({ name: z.string().trim().max(120).optional(), password });

export const User = z.object({ id: uuid, email: z.string(), name: z.string(), locale: z.string(), mfaEnabled: z.boolean(), mfaReenrolmentRequired: z.boolean(), createdAt: z.string() });
export const Workspace = z.object({ id: uuid, name: z.string(), slug: z.string(), requireMfa: z.boolean(), isDemo: z.boolean(), createdAt: z.string() });
export const Me = z.object({
  user: User,
  state: z.enum(["active", "mfa_challenge", "mfa_enrolment_required"]),
  workspace: Workspace.nullable(),
  role: Role.nullable(),
  can: z.record(WorkspaceAction, z.boolean()),
  workspaces: z.array(z.object({ id: uuid, name: z.string(), role: Role })),
});
export const UpdateProfileBody = z.object({ name: z.string().trim().min(1).max(120).optional(), locale: Locale.optional() });
export const ChangePasswordBody = z.object({ currentPassword: password, newPassword: password });
export const SwitchWorkspaceBody = z.object({ workspaceId: uuid });

export const Session = z.object({
  id: uuid,
  current: z.boolean(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
});
/** "Lost device": which of a member's sessions to end, and what else to secure. */
export const SecureLostDeviceBody = z.object({
  sessionIds: z.array(uuid).max(100).default([]),
  requireMfaReenrolment: z.boolean(),
  revokeApiTokens: z.boolean().default(false),
});
export const SecuredDevice = z.object({
  sessionsEnded: z.number(),
  tokensRevoked: z.number(),
  mfaReenrolmentRequired: z.boolean(),
  authenticatorAppRemoved: z.boolean(),
  passkeysRemoved: z.number(),
});
export const MfaSetup = z.object({ secret: z.string(), otpauthUrl: z.string(), qrCodeDataUrl: z.string() });
export const RecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });
export const DisableMfaBody = z.object({ password, code: z.string().trim().min(6).max(20) });

export const ApiToken = z.object({
  id: uuid,
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(TokenScope),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  active: z.boolean(),
});
export const CreateApiTokenBody = z.object({
  name: z.string().trim().min(1, "Give the token a name").max(80),
  scopes: z.array(TokenScope).min(1, "Choose at least one scope"),
  expiresInDays: z.number().int().min(1).max(366).nullable(),
});

export const UpdateWorkspaceBody = z.object({ name: z.string().trim().min(1).max(120).optional(), requireMfa: z.boolean().optional() });
export const CreateWorkspaceBody = z.object({ name: z.string().trim().min(1, "Name the brand").max(120) });
export const Member = z.object({
  userId: uuid,
  email: z.string(),
  name: z.string(),
  role: Role,
  mfaEnabled: z.boolean(),
  teamIds: z.array(uuid),
  joinedAt: z.string(),
  lastSeenAt: z.string().nullable(),
  /** Set for a partner (an agency): their organisation and when their access ends by itself. */
  partner: z.object({ organization: z.string(), accessEndsAt: z.string().nullable() }).nullable(),
});
export const ChangeRoleBody = z.object({ role: Role });
export const PartnerAccessBody = z.object({
  organization: z.string().trim().max(200).nullable().describe("null: one of the brand's own people again"),
  endsAt: z.iso.datetime({ offset: true, message: "Enter a date and time" }).nullable(),
});
export const Invitation = z.object({
  id: uuid,
  email: z.string(),
  role: Role,
  teamIds: z.array(uuid),
  status: z.enum(["pending", "accepted", "revoked", "expired"]),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export const InviteBody = z.object({ email, role: Role, teamIds: z.array(uuid).max(50).optional(), locale: Locale.optional().describe("Language of the invitation mail; default: the inviter's") });
export const Team = z.object({ id: uuid, name: z.string(), description: z.string(), memberIds: z.array(uuid), createdAt: z.string() });
export const CreateTeamBody = z.object({ name: z.string().trim().min(1, "Name the team").max(80), description: z.string().max(500).optional() });
export const UpdateTeamBody = z.object({ name: z.string().trim().min(1).max(80).optional(), description: z.string().max(500).optional() });
export const OutboxMail = z.object({
  id: uuid,
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  lastError: z.string().nullable(),
});

export const AuditQuery = z.object({
  actor: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;
export const AuditEventView = z.object({
  seq: z.number(),
  id: uuid,
  occurredAt: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  actorLabel: z.string(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  data: z.unknown(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export const AuditVerifyResult = z.object({
  ok: z.boolean(),
  rows: z.number(),
  firstBadSeq: z.number().optional(),
  problem: z.string().optional(),
  message: z.string().optional(),
});

// ── Channels ─────────────────────────────────────────────────────────────────────────────────────────────

export const ChannelStatus = z.enum(["active", "needs_reconnect", "disconnected"]);
/** A connected account as clients see it: profile and health, never credentials. */
export const Channel = z.object({
  id: uuid,
  network: z.string(),
  networkAccountId: z.string(),
  handle: z.string(),
  displayName: z.string(),
  avatarUrl: z.string().nullable(),
  profileUrl: z.string().nullable(),
  serviceUrl: z.string().nullable(),
  status: ChannelStatus,
  health: z.object({
    tokenValid: z.boolean(),
    expiresAt: z.string().nullable(),
    expiresInSeconds: z.number().nullable(),
    lastVerifiedAt: z.string().nullable(),
    lastSuccessAt: z.string().nullable(),
    lastErrorAt: z.string().nullable(),
    lastError: z.string().nullable(),
  }),
  access: z.object({ level: ChannelLevel, can: z.record(ChannelAction, z.boolean()) }),
  connectedBy: uuid.nullable(),
  createdAt: z.string(),
  disconnectedAt: z.string().nullable(),
});
const ServiceUrlField = z.object({ required: z.boolean(), defaultUrl: z.string().nullable() });
export const NetworkInfo = z.object({
  network: z.string(),
  displayName: z.string(),
  connectMethod: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("oauth2_pkce"), scopes: z.array(z.string()), serviceUrl: ServiceUrlField.optional() }),
    z.object({ kind: z.literal("app_password"), identifierLabel: z.string(), passwordLabel: z.string(), serviceUrl: ServiceUrlField.optional() }),
    z.object({ kind: z.literal("sandbox") }),
  ]),
  capabilities: z.record(z.string(), z.boolean()),
  limits: z.object({ textLength: z.number(), media: z.object({ maxCount: z.number(), types: z.array(z.string()), maxBytes: z.number(), altTextLength: z.number() }), linkLength: z.number().nullable() }),
});
const networkId = z.string().trim().min(1, "Choose a network").max(40);
/** Connect an account: the fields depend on the network's connect method (see GET /networks). */
export const ConnectChannelBody = z.discriminatedUnion("kind", [
  z.object({ network: networkId, kind: z.literal("sandbox"), handle: z.string().trim().min(1, "Enter the account's handle").max(100) }),
  z.object({
    network: networkId,
    kind: z.literal("app_password"),
    identifier: z.string().trim().min(1, "Enter the account's handle or email").max(320),
    password: z.string().min(1, "Enter the app password").max(500),
    serviceUrl: z.url().max(500).optional(),
  }),
]);
export type ConnectChannelBody = z.infer<typeof ConnectChannelBody>;
const serviceUrl = z.url("Enter an address starting with https://").max(500);
/** Start connecting (or reconnecting, with `channelId`) an account of an OAuth network. */
export const BeginChannelAuthorizationBody = z.object({ network: networkId, serviceUrl: serviceUrl.optional(), channelId: uuid.optional() });
export const ChannelAuthorizationStart = z.object({ authorizeUrl: z.string(), expiresAt: z.string() });
export const ReconnectLink = z.object({
  id: uuid,
  channelId: uuid,
  sentTo: z.string().nullable(),
  status: z.enum(["open", "used", "revoked", "expired"]),
  createdAt: z.string(),
  expiresAt: z.string(),
  usedAt: z.string().nullable(),
});
export const CreateReconnectLinkBody = z.object({ email: z.email("Enter an email address").max(320).optional(), locale: Locale.optional() });
export const CreatedReconnectLink = z.object({ link: ReconnectLink, url: z.string() });
/** What a reconnect link's holder sees: the account, the workspace's name, and how its network connects. */
export const ReconnectLinkView = z.object({
  workspaceName: z.string(),
  network: NetworkInfo.pick({ network: true, displayName: true, connectMethod: true }),
  channel: z.object({ handle: z.string(), displayName: z.string(), status: z.string(), serviceUrl: z.string().nullable() }),
  expiresAt: z.string(),
});
/** The network's sign-in form, sent by a reconnect link's holder (the account is the link's). */
export const ReconnectWithLinkBody = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("sandbox"), handle: z.string().trim().min(1, "Enter the account's handle").max(100) }),
  z.object({
    kind: z.literal("app_password"),
    identifier: z.string().trim().min(1, "Enter the account's handle or email").max(320),
    password: z.string().min(1, "Enter the app password").max(500),
  }),
]);
export const ReconnectedWithLink = z.object({ handle: z.string(), status: z.string() });
export const ChannelCheckResult = z.object({ channel: Channel, outcome: z.object({ ok: z.boolean(), reason: z.string().optional() }) });
export const ChannelDisconnectResult = z.object({ channel: Channel, revokedAtNetwork: z.enum(["revoked", "not_supported", "failed"]) });

// --- Sandbox (the simulated network): scenarios an admin plays for demos and drills ---
export const SANDBOX_SCENARIO_IDS = ["steady_chatter", "viral_complaint", "impostor_giveaway", "hacked_account_spam", "defective_product"] as const;
export const SandboxScenarioId = z.enum(SANDBOX_SCENARIO_IDS);
export const SandboxScenario = z.object({ id: SandboxScenarioId, title: z.string(), description: z.string(), ticks: z.number().int() });
export const SandboxScenarioRun = z.object({
  id: uuid,
  scenario: SandboxScenarioId,
  status: z.enum(["running", "finished", "stopped"]),
  ticksPlayed: z.number().int(),
  ticksTotal: z.number().int(),
  itemsAdded: z.number().int(),
  tickEverySeconds: z.number().int(),
  startedAt: z.string(),
  startedBy: uuid.nullable(),
  nextTickAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  stoppedAt: z.string().nullable(),
});
export const SandboxOverview = z.object({
  /** The Sandbox's public website on this server. */
  siteUrl: z.string(),
  scenarios: z.array(SandboxScenario),
  /** Newest first. */
  runs: z.array(SandboxScenarioRun),
});
export const StartSandboxScenarioBody = z.object({
  scenario: SandboxScenarioId,
  tickEverySeconds: z.number().int("Whole seconds").min(60, "At least a minute (ticks are played once a minute)").max(86_400, "At most a day").default(60),
});
export type StartSandboxScenarioBody = z.infer<typeof StartSandboxScenarioBody>;
export const SandboxTickResult = z.object({ run: SandboxScenarioRun, added: z.number().int() });

const LevelSources = z.object({ role: ChannelLevel, direct: ChannelLevel, teams: z.array(z.object({ teamId: uuid, level: ChannelLevel })) });
/** Who may do what on each channel: people (with where each level comes from) and teams. */
export const ChannelAccessMatrix = z.object({
  channels: z.array(z.object({ id: uuid, network: z.string(), handle: z.string(), displayName: z.string() })),
  people: z.array(
    z.object({
      userId: uuid,
      name: z.string(),
      email: z.string(),
      role: Role,
      teamIds: z.array(uuid),
      levels: z.record(z.string(), z.object({ level: ChannelLevel, sources: LevelSources })),
    }),
  ),
  teams: z.array(z.object({ id: uuid, name: z.string(), levels: z.record(z.string(), ChannelLevel) })),
});
export const SetChannelAccessBody = z.object({
  changes: z
    .array(z.object({ channelId: uuid, userId: uuid.optional(), teamId: uuid.optional(), level: ChannelLevel }))
    .min(1, "Change at least one level")
    .max(1000, "At most 1000 changes at once"),
});

// ── Passkeys (WebAuthn) ─────────────────────────────────────────────────────────────────────────────────────
// A browser's answer (`PublicKeyCredential` as JSON, what @simplewebauthn/browser returns): checked in depth by
// the server's WebAuthn verification, here only its outline and sizes.
const base64url = z.string().max(16_384).regex(/^[A-Za-z0-9_-]*={0,2}$/, "Must be base64url");
export const PasskeyAnswer = z.looseObject({
  id: base64url.min(1),
  rawId: base64url.min(1),
  type: z.literal("public-key"),
  response: z.looseObject({ clientDataJSON: base64url.min(1) }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});
export const Passkey = z.object({
  id: uuid,
  name: z.string(),
  /** "multiDevice": synced between devices (e.g. by a password manager); "singleDevice": bound to one. */
  deviceType: z.string(),
  backedUp: z.boolean(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
/** WebAuthn options for `navigator.credentials.create()` / `.get()` (PublicKeyCredential…OptionsJSON). */
export const PasskeyOptions = z.object({ options: z.looseObject({ challenge: z.string() }) });
export const RegisterPasskeyBody = z.object({ name: z.string().trim().min(1, "Give the passkey a name").max(60, "At most 60 characters"), answer: PasskeyAnswer });
export const PasskeyAnswerBody = z.object({ answer: PasskeyAnswer });
export const RemovePasskeyBody = z
  .object({ password: z.string().max(200).optional(), code: z.string().trim().max(20).optional(), answer: PasskeyAnswer.optional() })
  .refine((b) => Boolean(b.password) || Boolean(b.code) || Boolean(b.answer), { message: "Enter your password or a current authenticator code", path: ["password"] });
export const MfaMethods = z.object({ totp: z.boolean(), passkey: z.boolean(), recoveryCodes: z.boolean() });

// ── Single sign-on (OpenID Connect or SAML 2.0) ─────────────────────────────────────────────────────────
export const SsoStartBody = z
  .object({ email: email.optional(), workspace: z.string().trim().max(120).optional() })
  .refine((b) => Boolean(b.email) || Boolean(b.workspace), { message: "Enter your work email", path: ["email"] });
export const SsoStart = z.object({ authorizeUrl: z.string().describe("Where to send the browser: the OpenID provider's authorization URL, or the SAML IdP's SSO URL with the AuthnRequest") });
const SsoRole = z.enum(["admin", "manager", "member"]);
const SsoProtocol = z.enum(["oidc", "saml"]);
/** Parapet as a SAML service provider for this workspace: what the admin gives their IdP. */
const SamlServiceProvider = z.object({ entityId: z.string(), acsUrl: z.string(), metadataUrl: z.string() });
const SamlCertificate = z.object({ subject: z.string(), issuer: z.string(), notBefore: z.string(), notAfter: z.string(), fingerprint: z.string() });
export const SsoSettings = z.discriminatedUnion("configured", [
  z.object({ configured: z.literal(false), redirectUri: z.string(), saml: SamlServiceProvider }),
  z.object({
    configured: z.literal(true),
    protocol: SsoProtocol,
    issuer: z.string().describe("OIDC: the issuer URL. SAML: the IdP's entity ID"),
    clientId: z.string().nullable(),
    clientSecretSet: z.boolean(),
    idpSsoUrl: z.string().nullable(),
    idpCertificate: z.string().nullable().describe("SAML: the IdP's signing certificates, PEM (public)"),
    idpCertificates: z.array(SamlCertificate),
    emailAttribute: z.string().nullable(),
    nameAttribute: z.string().nullable(),
    allowedDomains: z.array(z.string()),
    defaultRole: SsoRole,
    teamsClaim: z.string().nullable(),
    ssoRequired: z.boolean(),
    breakGlassUserId: uuid.nullable(),
    redirectUri: z.string(),
    saml: SamlServiceProvider,
    updatedAt: z.string(),
  }),
]);
export const ConfigureSsoBody = z.object({
  protocol: SsoProtocol.optional().describe("`oidc` (default) or `saml`; switching clears the other protocol's settings"),
  issuer: z.string().trim().min(1, "Enter the issuer").max(500).describe("OIDC: the issuer URL. SAML: the IdP's entity ID (the Issuer of its assertions)"),
  clientId: z.string().trim().max(500).optional().describe("OIDC: required"),
  clientSecret: z.string().max(2000).optional().describe("OIDC: required the first time; left out, the stored secret is kept. Never returned."),
  idpSsoUrl: z.string().trim().max(2000).optional().describe("SAML: the IdP's single sign-on URL (HTTP-Redirect binding)"),
  idpCertificate: z.string().max(50_000).optional().describe("SAML: the IdP's signing certificate(s), PEM; required the first time, left out the stored ones are kept"),
  emailAttribute: z.string().trim().max(300).nullable().optional().describe("SAML: the attribute with the email; empty: email, mail or the usual claim URIs"),
  nameAttribute: z.string().trim().max(300).nullable().optional().describe("SAML: the attribute with the name; empty: name, displayName or given name and surname"),
  allowedDomains: z.array(z.string().trim().max(253)).min(1, "Allow at least one email domain").max(50),
  defaultRole: SsoRole,
  teamsClaim: z.string().trim().max(300).nullable().optional().describe("The OIDC claim or SAML attribute whose values name teams"),
  ssoRequired: z.boolean(),
  breakGlassUserId: uuid.nullable().optional(),
});
/** A new passkey; `recoveryCodes` (shown once) when it is the person's only second factor and they had none. */
export const RegisteredPasskey = z.object({ passkey: Passkey, recoveryCodes: z.array(z.string()).optional() });

// ── Provisioning (SCIM 2.0) ──────────────────────────────────────────────────────────────────────────────
export const ScimToken = z.object({
  id: uuid,
  name: z.string(),
  prefix: z.string().describe("The token's first characters, to tell tokens apart"),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const ScimSettings = z.object({
  baseUrl: z.string().describe("The SCIM base URL to give the identity provider (…/scim/v2)"),
  tokens: z.array(ScimToken).describe("Newest first, revoked ones too"),
});
export const CreateScimTokenBody = z.object({ name: z.string().trim().min(1, "Name the token, e.g. Okta").max(60, "At most 60 characters") });
export const CreatedScimToken = z.object({ token: z.string().describe("Shown once: give it to the identity provider"), scimToken: ScimToken });

// ── Access review ───────────────────────────────────────────────────────────────────────────────────────
/** One grant a person's level on a channel comes from: their role, their own grant, or a team's. */
export const AccessReviewGrant = z.discriminatedUnion("type", [
  z.object({ type: z.literal("role"), role: Role, level: ChannelLevel }),
  z.object({ type: z.literal("direct"), level: ChannelLevel }),
  z.object({ type: z.literal("team"), teamId: uuid, teamName: z.string(), level: ChannelLevel }),
]);
export const AccessReviewSummary = z.object({
  people: z.number().int(),
  withoutMfa: z.number().int(),
  ssoOnly: z.number().int(),
  unused: z.number().int(),
  partners: z.number().int(),
  partnersEndingSoon: z.number().int(),
  fullPublishing: z.number().int(),
});
export const AccessReviewSignOff = z.object({
  id: uuid,
  signedBy: z.object({ userId: uuid.nullable(), name: z.string(), email: z.string() }),
  signedAt: z.string(),
  quarter: z.string(),
  note: z.string().nullable(),
  contentHash: z.string(),
  summary: AccessReviewSummary,
});
export const AccessReviewPerson = z.object({
  userId: uuid,
  name: z.string(),
  email: z.string(),
  role: Role,
  joinedAt: z.string(),
  partner: z.object({ organization: z.string(), accessEndsAt: z.string().nullable() }).nullable(),
  /** Second factors set up in Parapet: an authenticator app (TOTP), passkeys, both or none. */
  mfa: z.enum(["totp", "passkey", "totp_and_passkey", "none"]),
  /** How they can sign in here: with a password (not turned off by "SSO required"), through single sign-on. */
  signIn: z.object({ password: z.boolean(), sso: z.boolean(), ssoOnly: z.boolean() }),
  lastActivityAt: z.string().nullable(),
  lastActivitySource: z.enum(["session", "api_token", "audit"]).nullable(),
  /** No activity for 90 days (counted from when they joined when they have none). */
  unused: z.boolean(),
  access: z.array(
    z.object({
      channelId: uuid,
      level: ChannelLevel,
      /** The grants that give the effective level (several when they tie). */
      through: z.array(AccessReviewGrant),
      /** Weaker grants the effective level overrides. */
      overridden: z.array(AccessReviewGrant),
    }),
  ),
});
export const AccessReview = z.object({
  workspace: z.object({ id: uuid, name: z.string() }),
  generatedAt: z.string(),
  unusedAfterDays: z.number().int(),
  partnerEndingWithinDays: z.number().int(),
  /** SHA-256 of the review's content (people, roles, partners, MFA, sign-in, unused flags, levels and grants); a sign-off names it. */
  contentHash: z.string(),
  quarter: z.string(),
  signedOffThisQuarter: z.boolean(),
  channels: z.array(z.object({ id: uuid, network: z.string(), handle: z.string(), displayName: z.string() })),
  people: z.array(AccessReviewPerson),
  summary: AccessReviewSummary,
  /** Newest first (at most 20). */
  signOffs: z.array(AccessReviewSignOff),
});
export const SignOffAccessReviewBody = z.object({
  contentHash: z.string().regex(/^[0-9a-f]{64}$/, "The review's contentHash, as GET /access-review returned it"),
  note: z.string().trim().max(2000, "At most 2000 characters").optional(),
});
export const AccessReviewExportQuery = z.object({ locale: Locale.optional().describe("Language of the PDF's labels; default: the caller's") });

