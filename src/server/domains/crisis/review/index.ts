/** The post-crisis review: figures from the recorded timeline, the sections people write, action items, exports. */
export { draftReview, computeFiguresFor, emptyReviewContent, type ReviewRow } from "./draft-review";
export { computeReviewFigures, minutesBetween, cadenceOf, type CrisisRecord } from "./figures";
export { getReview, draftReviewNow, updateReview, addActionItem, updateActionItem, publishReview, skipReview } from "./commands/review-commands";
export { exportReview } from "./commands/export-review";
export { listReviews } from "./list-reviews";
