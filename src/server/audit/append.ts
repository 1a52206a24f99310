import { eq } from "drizzle-orm";
import type { Actor } from "../authz";
import type { Db } from "../db/client";
import { auditChainHead, auditEvents } from "./audit.schema";
import { hashRow, type ChainedRow } from "./chain";
import { AuditEvent, type AuditTarget } from "./events";

export type AuditMeta = { workspaceId: string | null; actor: Actor; ip: string | null; userAgent: string | null; now: Date; chainKey: Buffer };

export function actorFields(actor: Actor): Pick<ChainedRow, "actorType" | "actorId" | "actorLabel"> {
  if (actor.type === "user")
    return { actorType: actor.via === "api_token" ? "api_token" : "user", actorId: actor.userId, actorLabel: actor.email };
  if (actor.type === "system") return { actorType: "system", actorId: null, actorLabel: actor.label };
  return { actorType: "anonymous", actorId: null, actorLabel: "anonymous" };
}

/**
 * Appends one event to the chain inside the caller's transaction. Locking the chain head row serializes
 * appenders, so concurrent transactions cannot fork the chain.
 */
export async function appendAuditEvent(tx: Db, meta: AuditMeta, event: AuditEvent, target?: AuditTarget): Promise<void> {
  const parsed = AuditEvent.parse(event); // an event of the wrong shape is a programming error: fail the transaction
  const [head] = await tx.select().from(auditChainHead).where(eq(auditChainHead.id, "head")).for("update");
  if (!head) throw new Error("audit chain head missing: migrations not applied?");
  const row: ChainedRow = {
    seq: head.lastSeq + 1,
    occurredAt: meta.now.toISOString(),
    workspaceId: meta.workspaceId,
    ...actorFields(meta.actor),
    action: parsed.type,
    targetType: target?.type ?? null,
    targetId: target?.id ?? null,
    data: parsed.data,
    ip: meta.ip,
    userAgent: meta.userAgent,
    prevHash: head.lastHash,
  };
  const hash = hashRow(row, meta.chainKey);
  await tx.insert(auditEvents).values({ ...row, hash });
  await tx
    .update(auditChainHead)
    .set({ lastSeq: row.seq, lastHash: hash })
    .where(eq(auditChainHead.id, "head"));
}
