import { AppError } from "../../errors";

/** The review changed between the moment the admin read it and their sign-off: they must look at it again. */
export const accessReviewChanged = () =>
  new AppError("access_review_changed", 409, "Access changed since you loaded the review: reload it, check the changes and sign off again");
