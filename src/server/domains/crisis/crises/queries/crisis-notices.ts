import { and, asc, eq, sql } from "drizzle-orm";
import type { CrisisNotice } from "../../../../../contracts/crises";
import { authorize } from "../../../../authz";
import { inTransaction, type Ctx } from "../../../../context";
import { mailGroupDeliveries } from "../../../../mail/mail-deliveries";
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
 * The crisis's notices (crisis mode's notify; every crisis mode of the crisis, oldest first): to stakeholders'
 * destinations, to stakeholders by plain address and to the crisis team, each with its delivery status: queued, sent,
 * retrying (with the next attempt) or failed (with the error, or for mail a reason code). A destination by kind and
 * name only, never its address or secret; a stakeholder's plain address as the plan shows it; a team member by name.
 */
export async function listCrisisNotices(ctx: Ctx, crisisId: string): Promise<CrisisNotice[]> {
  authorize(ctx.actor, "crisis.read");
  currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => noticesOf(tx, (await loadCrisis(tx, crisisId)).id));
}

/** The crisis's notices as the list shows them; with `noticeId`, that one only (none when it is not this crisis's). */
export async function noticesOf(tx: Ctx, crisisId: string, noticeId?: string): Promise<CrisisNotice[]> {
  const rows = await tx.db
    .select({ notice: crisisNotices, destination: { id: alertDestinations.id, kind: alertDestinations.kind, name: alertDestinations.name, target: alertDestinations.target } })
    .from(crisisNotices)
    .leftJoin(alertDestinations, eq(alertDestinations.id, crisisNotices.destinationId))
    .where(and(eq(crisisNotices.crisisId, crisisId), noticeId ? eq(crisisNotices.id, noticeId) : undefined))
    // Within one crisis mode: the team first, then stakeholders by address, then destinations, each by name.
    .orderBy(asc(crisisNotices.createdAt), sql`case ${crisisNotices.recipientKind} when 'team' then 0 when 'stakeholder' then 1 else 2 end`, asc(sql`coalesce(${alertDestinations.name}, ${crisisNotices.recipientName})`));
  const mailed = rows.filter((r) => r.notice.status === "mailed");
  const deliveries = await mailGroupDeliveries(tx.db, mailed.map((r) => r.notice.mailIds ?? []));
  const mailDelivery = new Map(mailed.map((r, i) => [r.notice.id, deliveries[i]]));
  return rows.map(({ notice, destination }) => {
    const common = {
      id: notice.id,
      modeId: notice.modeId,
      recipient: {
        kind: notice.recipientKind as CrisisNotice["recipient"]["kind"],
        name: destination?.name ?? notice.recipientName ?? "",
        roles: (notice.recipientRole ? notice.recipientRole.split(",") : []) as CrisisNotice["recipient"]["roles"],
        address: notice.recipientKind === "stakeholder" ? notice.recipientAddress : null,
      },
      destination: destination ? { id: destination.id, kind: destination.kind as NonNullable<CrisisNotice["destination"]>["kind"], name: destination.name } : null,
      createdAt: notice.createdAt.toISOString(),
    };
    const mail = mailDelivery.get(notice.id);
    if (mail) {
      // A mail list without an address sent nothing: never "sent".
      if (!notice.mailIds?.length) return { ...common, status: "failed" as const, attempts: 0, nextAttemptAt: null, lastError: null, reason: "no_address" as const, deliveredAt: null };
      // The mail outbox's own rounds send it (each minute); its errors stay there, as they name addresses.
      const reason = mail.status === "failed" ? "mail_not_accepted" : mail.status !== "sent" && !tx.services.mailer.delivers ? "mail_not_configured" : null;
      return { ...common, status: mail.status, attempts: mail.attempts, nextAttemptAt: null, lastError: null, reason, deliveredAt: mail.sentAt?.toISOString() ?? null };
    }
    const status = notice.status === "delivered" ? "sent" : notice.status === "failed" ? "failed" : notice.lastError ? "retrying" : "queued";
    return {
      ...common,
      status,
      attempts: notice.attempts,
      nextAttemptAt: status === "queued" || status === "retrying" ? notice.nextAttemptAt.toISOString() : null,
      lastError: status === "sent" ? null : withoutAddress(notice.lastError, destination ? tx.services.secrets.open(destination.target) : ""),
      reason: null,
      deliveredAt: notice.deliveredAt?.toISOString() ?? null,
    };
  });
}
