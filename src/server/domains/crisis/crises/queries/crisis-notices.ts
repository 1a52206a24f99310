import { asc, eq } from "drizzle-orm";
import type { CrisisNotice } from "../../../../../contracts/crises";
import { authorize } from "../../../../authz";
import { inTransaction, type Ctx } from "../../../../context";
import { alertDestinations } from "../../../listening/listening.schema";
import { currentWorkspace } from "../../../workspaces/workspace-actor";
import { crisisNotices } from "../../crisis.schema";
import { loadCrisis } from "../records";

/** An error without the receiver's address in it (a network error can name the URL or its host; a Slack or Teams URL is its secret). */
function withoutAddress(error: string | null, address: string): string | null {
  if (!error) return null;
  const parts = [address];
  try {
    const url = new URL(address);
    parts.push(url.host, url.hostname, url.pathname.length > 1 ? url.pathname : "");
  } catch {
    // not a URL: only the stored text itself is hidden
  }
  let text = error;
  for (const part of parts.filter((p) => p.length > 3).sort((a, b) => b.length - a.length)) text = text.split(part).join("…");
  return text;
}

/**
 * The crisis's notices to stakeholders' Slack, Teams and webhook destinations (crisis mode's notify; every crisis
 * mode of the crisis, oldest first), each with its delivery status: queued, sent, retrying (with the next attempt)
 * or failed (with the error). Kind and name of the destination only, never its address or secret.
 */
export async function listCrisisNotices(ctx: Ctx, crisisId: string): Promise<CrisisNotice[]> {
  authorize(ctx.actor, "crisis.read");
  currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const crisis = await loadCrisis(tx, crisisId);
    const rows = await tx.db
      .select({ notice: crisisNotices, destination: { id: alertDestinations.id, kind: alertDestinations.kind, name: alertDestinations.name, target: alertDestinations.target } })
      .from(crisisNotices)
      .innerJoin(alertDestinations, eq(alertDestinations.id, crisisNotices.destinationId))
      .where(eq(crisisNotices.crisisId, crisis.id))
      .orderBy(asc(crisisNotices.createdAt), asc(alertDestinations.name));
    return rows.map(({ notice, destination }) => {
      const status = notice.status === "delivered" ? "sent" : notice.status === "failed" ? "failed" : notice.lastError ? "retrying" : "queued";
      return {
        id: notice.id,
        modeId: notice.modeId,
        destination: { id: destination.id, kind: destination.kind as CrisisNotice["destination"]["kind"], name: destination.name },
        status,
        attempts: notice.attempts,
        nextAttemptAt: status === "queued" || status === "retrying" ? notice.nextAttemptAt.toISOString() : null,
        lastError: status === "sent" ? null : withoutAddress(notice.lastError, tx.services.secrets.open(destination.target)),
        deliveredAt: notice.deliveredAt?.toISOString() ?? null,
        createdAt: notice.createdAt.toISOString(),
      };
    });
  });
}
