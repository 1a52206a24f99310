import { and, eq } from "drizzle-orm";
import { inTransaction, type Ctx } from "../../../context";
import { authorize } from "../../../authz";
import { invalidInput } from "../../../errors";
import { memberships } from "../workspaces.schema";
import { partnerRoleNotAllowed } from "../workspaces.errors";
import { currentWorkspace } from "../workspace-actor";
import { lockedMembership } from "../membership-changes";

export type PartnerAccessInput = { userId: string; organization: string | null; endsAt: string | null };

/**
 * Marks a member as a partner (an agency, a freelancer) with their organisation and the moment their access ends
 * by itself, or makes them one of the brand's own people again (`organization: null`). A partner sees only the
 * channels granted to them, like any member; admins are warned 7 days before the end, and at the end the
 * `members.end-partner-access` job removes them through the same path as an admin's removal.
 */
export async function setPartnerAccess(ctx: Ctx, input: PartnerAccessInput) {
  authorize(ctx.actor, "members.change_role");
  const { workspaceId } = currentWorkspace(ctx);
  const organization = input.organization?.trim() || null;
  const endsAt = input.endsAt ? new Date(input.endsAt) : null;
  if (organization && !endsAt) throw invalidInput({ endsAt: ["A partner's access needs an end date"] });
  if (!organization && endsAt) throw invalidInput({ organization: ["Name the partner's organisation"] });
  if (endsAt && endsAt.getTime() <= ctx.now().getTime()) throw invalidInput({ endsAt: ["Choose a moment in the future"] });
  return inTransaction(ctx, async (tx) => {
    const { role } = await lockedMembership(tx, workspaceId, input.userId);
    if (organization && (role === "owner" || role === "admin")) throw partnerRoleNotAllowed();
    const [before] = await tx.db.select().from(memberships).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, input.userId)));
    const [after] = await tx.db
      .update(memberships)
      .set({ partnerOrganization: organization, accessEndsAt: endsAt, accessEndWarnedAt: before.accessEndsAt?.getTime() === endsAt?.getTime() ? before.accessEndWarnedAt : null })
      .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, input.userId)))
      .returning();
    const view = (m: typeof before) => ({ organization: m.partnerOrganization, endsAt: m.accessEndsAt?.toISOString() ?? null });
    if (JSON.stringify(view(before)) !== JSON.stringify(view(after))) {
      await tx.audit({ type: "member.partner_access_set", data: { userId: input.userId, before: view(before), after: view(after) } }, { type: "user", id: input.userId });
    }
    return { userId: input.userId, partner: organization ? { organization, accessEndsAt: endsAt!.toISOString() } : null };
  });
}
