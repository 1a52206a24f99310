import { and, eq, isNotNull, isNull, lte } from "drizzle-orm";
import type { Role } from "../../../../contracts/roles";
import { inTransaction, unsafeSystemCtx, type Services } from "../../../context";
import { mailMessages } from "../../../mail/messages";
import { users } from "../../identity/identity.schema";
import { memberships, workspaces } from "../workspaces.schema";
import { unsafeEndMembership } from "../end-membership";
import { peopleWhoMay } from "../queries/people-who-may";

/** How long before a partner's access ends the admins are told. */
export const PARTNER_WARNING_DAYS = 7;

/**
 * Runs as the system across every workspace (hence unsafe): warns each workspace's owners and admins once when a
 * partner's access ends within 7 days, and ends the access of every partner whose end has come — through the same
 * path as an admin's removal (sessions, tokens, grants, teams, membership), each in its own transaction.
 */
export async function unsafeEndPartnerAccess(services: Services): Promise<{ warned: number; ended: number }> {
  const now = services.clock();
  const db = services.database.db;
  const soon = new Date(now.getTime() + PARTNER_WARNING_DAYS * 86_400_000);
  let warned = 0;
  let ended = 0;

  const due = await db
    .select({ workspaceId: memberships.workspaceId, userId: memberships.userId })
    .from(memberships)
    .where(and(isNotNull(memberships.accessEndsAt), lte(memberships.accessEndsAt, now)));
  for (const row of due) {
    const ctx = unsafeSystemCtx(services, "members.end-partner-access", row.workspaceId);
    await inTransaction(ctx, async (tx) => {
      // Taken again under lock: an admin may have changed the end date or removed them meanwhile.
      const [member] = await tx.db
        .select()
        .from(memberships)
        .where(and(eq(memberships.workspaceId, row.workspaceId), eq(memberships.userId, row.userId), lte(memberships.accessEndsAt, now)))
        .for("update");
      if (!member) return;
      await unsafeEndMembership(tx, { workspaceId: row.workspaceId, userId: row.userId, role: member.role as Role, reason: "partner_access_ended" });
      ended += 1;
    });
  }

  const ending = await db
    .select({ workspaceId: memberships.workspaceId, userId: memberships.userId, endsAt: memberships.accessEndsAt, organization: memberships.partnerOrganization, name: users.name })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(isNotNull(memberships.accessEndsAt), lte(memberships.accessEndsAt, soon), isNull(memberships.accessEndWarnedAt)));
  for (const partner of ending) {
    const ctx = unsafeSystemCtx(services, "members.end-partner-access", partner.workspaceId);
    await inTransaction(ctx, async (tx) => {
      const claimed = await tx.db
        .update(memberships)
        .set({ accessEndWarnedAt: now })
        .where(and(eq(memberships.workspaceId, partner.workspaceId), eq(memberships.userId, partner.userId), isNull(memberships.accessEndWarnedAt)))
        .returning();
      if (claimed.length === 0) return; // another worker warned already
      const [workspace] = await tx.db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, partner.workspaceId));
      const admins = await peopleWhoMay(tx.db, partner.workspaceId, "members.remove");
      for (const admin of admins) {
        const mail = mailMessages(admin.locale).partnerAccessEnding({
          name: admin.name,
          partner: partner.name,
          organization: partner.organization ?? "",
          workspace: workspace.name,
          endsAt: partner.endsAt!,
          locale: admin.locale,
          link: `${services.config.publicUrl}/settings/members`,
        });
        await tx.services.mailer.enqueue(tx.db, { to: admin.email, workspaceId: partner.workspaceId, ...mail });
      }
      warned += 1;
    });
  }
  return { warned, ended };
}
