import { desc, eq } from "drizzle-orm";
import type { z } from "zod";
import type { AccessReviewSignOff, AccessReviewSummary } from "../../../../contracts/api";
import type { Db } from "../../../db/client";
import { accessReviewSignOffs } from "../access-review.schema";

export type SignOff = z.infer<typeof AccessReviewSignOff>;

/** A workspace's sign-offs of its access review, newest first (the caller has authorized). */
export async function listSignOffs(db: Db, workspaceId: string, limit = 20): Promise<SignOff[]> {
  const rows = await db
    .select()
    .from(accessReviewSignOffs)
    .where(eq(accessReviewSignOffs.workspaceId, workspaceId))
    .orderBy(desc(accessReviewSignOffs.signedAt), desc(accessReviewSignOffs.id))
    .limit(limit);
  return rows.map(presentSignOff);
}

export function presentSignOff(row: typeof accessReviewSignOffs.$inferSelect): SignOff {
  return {
    id: row.id,
    signedBy: { userId: row.signedBy, name: row.signedByName, email: row.signedByEmail },
    signedAt: row.signedAt.toISOString(),
    quarter: row.quarter,
    note: row.note,
    contentHash: row.contentHash,
    summary: row.summary as z.infer<typeof AccessReviewSummary>,
  };
}
