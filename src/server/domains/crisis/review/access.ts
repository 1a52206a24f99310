import { and, eq, isNull } from "drizzle-orm";
import { can } from "../../../authz";
import type { Ctx } from "../../../context";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { memberships } from "../../workspaces/workspaces.schema";
import { crises, crisisReviews, crisisRoles } from "../crisis.schema";
import { reviewNotFound, reviewNotOnTeam, reviewOwnerNotMember } from "./review.errors";
import { notFound } from "../../../errors";

export type CrisisRow = typeof crises.$inferSelect;

/** The crisis in the current workspace (404 otherwise). */
export async function crisisInWorkspace(tx: Ctx, crisisId: string, options: { forUpdate?: boolean } = {}): Promise<CrisisRow> {
  const { workspaceId } = currentWorkspace(tx);
  const query = tx.db.select().from(crises).where(and(eq(crises.id, crisisId), eq(crises.workspaceId, workspaceId)));
  const [crisis] = options.forUpdate ? await query.for("update") : await query;
  if (!crisis) throw notFound("Crisis");
  return crisis;
}

/** Whether the actor may write this crisis's review: people who manage crises, or anyone on its team (current or past role). */
export async function mayWriteReview(tx: Ctx, crisisId: string): Promise<boolean> {
  if (can(tx.actor, "crisis.manage")) return true;
  if (tx.actor.type !== "user" || !can(tx.actor, "crisis.respond")) return false;
  const [role] = await tx.db
    .select({ id: crisisRoles.id })
    .from(crisisRoles)
    .where(and(eq(crisisRoles.crisisId, crisisId), eq(crisisRoles.userId, tx.actor.userId), isNull(crisisRoles.renouncedAt)))
    .limit(1);
  return Boolean(role);
}

export async function requireReviewWriter(tx: Ctx, crisisId: string) {
  if (!(await mayWriteReview(tx, crisisId))) throw reviewNotOnTeam();
}

export async function loadReview(tx: Ctx, crisisId: string, options: { forUpdate?: boolean } = {}) {
  const query = tx.db.select().from(crisisReviews).where(eq(crisisReviews.crisisId, crisisId));
  const [review] = options.forUpdate ? await query.for("update") : await query;
  if (!review) throw reviewNotFound();
  return review;
}

/** A person named as owner must be a member of the workspace. */
export async function requireMember(tx: Ctx, userId: string) {
  const { workspaceId } = currentWorkspace(tx);
  const [member] = await tx.db.select({ userId: memberships.userId }).from(memberships).where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
  if (!member) throw reviewOwnerNotMember();
}
