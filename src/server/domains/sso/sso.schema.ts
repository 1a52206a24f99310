import { boolean, index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sessions, users } from "../identity/identity.schema";
import { workspaces } from "../workspaces/workspaces.schema";

/**
 * A workspace's identity provider (one per workspace), OpenID Connect or SAML 2.0: who may come in through it, and
 * as what. The policy columns are the same for both protocols; each protocol has its own nullable columns.
 */
export const ssoProviders = pgTable("sso_providers", {
  id: uuid("id").primaryKey().defaultRandom(),
  workspaceId: uuid("workspace_id").notNull().unique().references(() => workspaces.id, { onDelete: "cascade" }),
  /** `oidc` or `saml`. */
  protocol: text("protocol").notNull().default("oidc"),
  /** Who vouches for people: the OpenID issuer URL, or the SAML IdP's entity ID (the assertions' Issuer). */
  issuer: text("issuer").notNull(),
  /** OpenID Connect only. */
  clientId: text("client_id"),
  /** OpenID Connect only. Sealed with the server key; never returned. */
  clientSecret: text("client_secret"),
  /** SAML only: the IdP's single sign-on URL (HTTP-Redirect binding), where AuthnRequests go. */
  samlSsoUrl: text("saml_sso_url"),
  /** SAML only: the IdP's signing certificates (PEM), any of which may sign a response or assertion. */
  samlCertificates: text("saml_certificates").array(),
  /** SAML only: attribute names for the email and the name; null: the usual names (see saml.ts). */
  samlEmailAttribute: text("saml_email_attribute"),
  samlNameAttribute: text("saml_name_attribute"),
  /** Lower-case email domains whose people may sign in (and be provisioned) through this provider. */
  allowedDomains: text("allowed_domains").array().notNull(),
  /** Role of a person provisioned on first sign-in. */
  defaultRole: text("default_role").notNull(),
  /** The ID token / userinfo claim, or SAML attribute, whose values name teams (e.g. `groups`); null: no team mapping. */
  teamsClaim: text("teams_claim"),
  /** Password sign-in is off for the workspace's members, except the break-glass owner. */
  ssoRequired: boolean("sso_required").notNull().default(false),
  breakGlassUserId: uuid("break_glass_user_id").references(() => users.id, { onDelete: "set null" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** A person's account at an identity provider (issuer + subject), linked to their Parapet user. */
export const ssoIdentities = pgTable(
  "sso_identities",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    /** The email the provider gave when the link was made (for people reading the link, not for matching). */
    email: text("email").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("sso_identities_issuer_subject").on(t.issuer, t.subject), index("sso_identities_user").on(t.userId)],
);

/**
 * A sign-in that left for the provider and has not come back: the state — or the SAML AuthnRequest's ID — (stored as
 * its SHA-256), the browser it must come back to (SHA-256 of a cookie value), the sealed PKCE verifier and nonce.
 * Used once, within 10 minutes. A SAML response is answered in two steps: the assertion consumer service verifies it
 * and keeps the person it names here, sealed (`answeredAt`); the browser that started the attempt then finishes it.
 */
export const ssoSignIns = pgTable("sso_sign_ins", {
  id: uuid("id").primaryKey().defaultRandom(),
  providerId: uuid("provider_id").notNull().references(() => ssoProviders.id, { onDelete: "cascade" }),
  stateHash: text("state_hash").notNull().unique(),
  browserHash: text("browser_hash").notNull(),
  /** Sealed JSON: { codeVerifier, nonce } (OIDC); {} then, once answered, the verified identity (SAML). */
  secrets: text("secrets").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  /** SAML: when a verified response to this request arrived. */
  answeredAt: timestamp("answered_at", { withTimezone: true }),
  /** SAML: SHA-256 of the IdP's entity ID and the assertion's ID; unique, so an assertion is used once. */
  assertionKey: text("assertion_key").unique(),
  usedAt: timestamp("used_at", { withTimezone: true }),
});

/** Sessions started through single sign-on: the provider vouched for the second factor in its workspace. */
export const ssoSessions = pgTable("sso_sessions", {
  sessionId: uuid("session_id").primaryKey().references(() => sessions.id, { onDelete: "cascade" }),
  providerId: uuid("provider_id").references(() => ssoProviders.id, { onDelete: "set null" }),
  workspaceId: uuid("workspace_id").notNull(),
});
