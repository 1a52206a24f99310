import { AppError } from "../../../errors";

export const reviewNotFound = () => new AppError("crisis_review_not_found", 404, "This crisis has no review yet: it is drafted when the crisis closes (or draft it now)");
export const reviewNotEditable = (status: string) =>
  new AppError("crisis_review_not_editable", 409, `This review is ${status}: a published or skipped review is kept as it is`);
export const reviewNotOnTeam = () =>
  new AppError("crisis_review_not_on_team", 403, "Only the crisis team and people who manage crises can write the review");
export const actionItemsWithoutOwner = (count: number) =>
  new AppError("crisis_review_items_without_owner", 409, `${count} action item(s) have no owner: name an owner for each before publishing`);
export const reviewOwnerNotMember = () => new AppError("crisis_review_owner_not_member", 400, "The owner must be a member of this workspace");
export const actionItemNotFound = () => new AppError("crisis_action_item_not_found", 404, "This action item does not exist in this review");
