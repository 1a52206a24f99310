/** The access review: who can do what on each channel, through which grant, and the admins' quarterly sign-off. */
export { buildAccessReview, UNUSED_AFTER_DAYS, PARTNER_ENDING_WITHIN_DAYS, type AccessReview } from "./queries/build-access-review";
export { signOffAccessReview } from "./commands/sign-off-access-review";
export { exportAccessReview } from "./commands/export-access-review";
export { unsafeSendAccessReviewReminders } from "./commands/send-review-reminders";
export { quarterOf, quarterStart } from "./quarters";
export { listSignOffs } from "./queries/list-sign-offs";
