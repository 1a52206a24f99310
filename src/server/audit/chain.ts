import { createHmac } from "node:crypto";
import canonicalize from "canonicalize";
import { desc } from "drizzle-orm";
import type { Db } from "../db/client";
import type { SecretBox } from "../crypto/secrets";
import { serverKey } from "../crypto/server-keys";
import { auditEvents } from "./audit.schema";

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
 * HMAC-SHA256, keyed with the audit chain key (see `auditChainKey`), over the RFC 8785 canonical JSON of the row
 * (key order and number formatting fixed). Keyed, so that someone who can write to the database but does not hold
 * the key cannot rewrite the chain from some row on and make it verify again.
 */
export function hashRow(row: ChainedRow, key: Buffer): string {
  const normalized = { ...row, occurredAt: new Date(row.occurredAt).toISOString() };
  return createHmac("sha256", key).update(canonicalize(normalized)!).digest("hex");
}

/** The purpose name of the chain key (its row in `server_keys`). */
export const AUDIT_CHAIN_KEY = "audit-chain";

/**
 * The key the audit chain is hashed with. It is kept sealed in `server_keys`, so rotating the server key re-seals it
 * and the chain keeps verifying. When the row is missing (a database from before it existed, or a new one) it is
 * created with the key the chain was written with: derived from the server key (as before `server_keys` existed),
 * from a previous key if the newest row was hashed with that one, and from the current key on an empty log.
 */
export function auditChainKey(db: Db, secrets: SecretBox): Promise<Buffer> {
  return serverKey(db, secrets, AUDIT_CHAIN_KEY, async () => {
    const candidates = secrets.derivedKeyCandidates(AUDIT_CHAIN_KEY);
    const [newest] = await db.select().from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1);
    if (!newest) return candidates[0];
    const { hash, id: _id, ...content } = newest;
    // None matching means the log was written with a key this server was not given: `parapet audit verify` says so.
    return candidates.find((key) => hashRow(content, key) === hash) ?? candidates[0];
  });
}
