/** The post-crisis review: figures from the recorded timeline, the sections people write, action items, exports. */
export { draftReview, computeFiguresFor, emptyReviewContent, type ReviewRow } from "./draft-review";
export { computeReviewFigures, minutesBetween, type CrisisRecord } from "./figures";
