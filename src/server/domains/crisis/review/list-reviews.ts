import { desc, eq } from "drizzle-orm";
import type { z } from "zod";
import type { ReviewSummary } from "../../../../contracts/crisis-review";
import { authorize } from "../../../authz";
import type { Ctx } from "../../../context";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { crises, crisisReviews } from "../crisis.schema";

/** The workspace's reviews (past crises and drills), newest first. */
export async function listReviews(ctx: Ctx): Promise<Array<z.infer<typeof ReviewSummary>>> {
  authorize(ctx.actor, "crisis.read");
  const { workspaceId } = currentWorkspace(ctx);
  const rows = await ctx.db
    .select({ crisisId: crises.id, crisisNumber: crises.number, crisisTitle: crises.title, isDrill: crises.isDrill, status: crisisReviews.status, updatedAt: crisisReviews.updatedAt })
    .from(crisisReviews)
    .innerJoin(crises, eq(crises.id, crisisReviews.crisisId))
    .where(eq(crises.workspaceId, workspaceId))
    .orderBy(desc(crisisReviews.updatedAt))
    .limit(200);
  return rows.map((r) => ({ ...r, status: r.status as "draft" | "published" | "skipped", updatedAt: r.updatedAt.toISOString() }));
}
