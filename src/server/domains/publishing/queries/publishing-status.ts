import { and, count, eq } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { forbidden } from "../../../errors";
import { activePauses, presentPause } from "../pauses";
import { postTargets } from "../publishing.schema";

/** Whether publishing is paused (for the banner every page shows), and how many posts are held. */
export async function publishingStatus(ctx: Ctx) {
  if (!ctx.workspaceId) throw forbidden("Choose a workspace first");
  const pauses = await activePauses(ctx, ctx.workspaceId);
  const [{ held }] = await ctx.db.select({ held: count() }).from(postTargets).where(and(eq(postTargets.workspaceId, ctx.workspaceId), eq(postTargets.status, "held")));
  return { paused: pauses.length > 0, pauses: pauses.map(presentPause), held };
}
