import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { serverKeys } from "../crypto/server-keys.schema";
import { channelAuthorizations, channels } from "../domains/channels/channels.schema";
import { users } from "../domains/identity/identity.schema";
import { alertDestinations } from "../domains/listening/listening.schema";
import { ssoProviders, ssoSignIns } from "../domains/sso/sso.schema";

/** One column that holds values sealed with the server key, and how to find its rows. */
export type SealedColumn = {
  /** "table.column", as the rotation's summary and audit event name it. */
  name: string;
  table: PgTable;
  /** The primary key: rows are walked in its order. */
  key: PgColumn;
  /** The sealed column, and its property name for updates. */
  value: PgColumn;
  field: string;
  /** A column to stamp with the time of re-sealing, where the table has one. */
  resealedAtField?: string;
};

/**
 * Every column holding sealed values. `parapet keys rotate` re-seals these and nothing else, so a new sealed column
 * belongs here (rotate-keys.test.ts fails when a sealed value turns up in a column missing from this list).
 */
export const SEALED_COLUMNS: SealedColumn[] = [
  { name: "channels.credentials", table: channels, key: channels.id, value: channels.credentials, field: "credentials" },
  { name: "channel_authorizations.secrets", table: channelAuthorizations, key: channelAuthorizations.id, value: channelAuthorizations.secrets, field: "secrets" },
  { name: "users.mfa_secret", table: users, key: users.id, value: users.mfaSecret, field: "mfaSecret" },
  { name: "users.mfa_pending_secret", table: users, key: users.id, value: users.mfaPendingSecret, field: "mfaPendingSecret" },
  { name: "sso_providers.client_secret", table: ssoProviders, key: ssoProviders.id, value: ssoProviders.clientSecret, field: "clientSecret" },
  { name: "sso_sign_ins.secrets", table: ssoSignIns, key: ssoSignIns.id, value: ssoSignIns.secrets, field: "secrets" },
  { name: "alert_destinations.target", table: alertDestinations, key: alertDestinations.id, value: alertDestinations.target, field: "target" },
  { name: "alert_destinations.signing_secret", table: alertDestinations, key: alertDestinations.id, value: alertDestinations.signingSecret, field: "signingSecret" },
  { name: "server_keys.sealed", table: serverKeys, key: serverKeys.purpose, value: serverKeys.sealed, field: "sealed", resealedAtField: "resealedAt" },
];
