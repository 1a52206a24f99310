import type { Ctx } from "../../../context";

/**
 * What runs in the closing transaction once a crisis is closed. The review part's `draftReview(tx, crisisId)` goes
 * here once it exists, so a closed crisis always has its review drafted.
 */
export const closeHooks: Array<(tx: Ctx, crisisId: string) => Promise<unknown>> = [];
