import { createHash } from "node:crypto";
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

/** SHA-256 over the RFC 8785 canonical JSON of the row (key order and number formatting fixed). */
export function hashRow(row: ChainedRow): string {
  const normalized = { ...row, occurredAt: new Date(row.occurredAt).toISOString() };
  return createHash("sha256").update(canonicalize(normalized)!).digest("hex");
}
