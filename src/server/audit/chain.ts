import { createHmac } from "node:crypto";
import canonicalize from "canonicalize";

/** The fields a row's hash covers. Timestamps are normalized to ISO-8601 so both drivers hash the same text. */
export type ChainedRow = {
  seq: number;
  occurredAt: string;
  workspaceId: string | null;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  data: unknown;
  ip: string | null;
  userAgent: string | null;
  prevHash: string;
};

/**
 * HMAC-SHA256, keyed with a key derived from the server's secret key, over the RFC 8785 canonical JSON of the row
 * (key order and number formatting fixed). Keyed, so that someone who can write to the database but does not hold
 * the key cannot rewrite the chain from some row on and make it verify again.
 */
export function hashRow(row: ChainedRow, key: Buffer): string {
  const normalized = { ...row, occurredAt: new Date(row.occurredAt).toISOString() };
  return createHmac("sha256", key).update(canonicalize(normalized)!).digest("hex");
}

/** The purpose name of the chain key: `services.secrets.deriveKey(AUDIT_CHAIN_KEY)`. */
export const AUDIT_CHAIN_KEY = "audit-chain";
