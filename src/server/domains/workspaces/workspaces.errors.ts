import { AppError, conflict, gone } from "../../errors";

export const lastOwner = () => conflict("last_owner", "A workspace needs at least one owner: make someone else owner first");
export const alreadyMember = () => conflict("already_member", "This person is already a member of the workspace");
export const invitationInvalid = () => gone("invitation_invalid", "This invitation link is invalid, used, revoked or expired: ask for a new one");
export const teamNameTaken = () => conflict("team_name_taken", "A team with this name already exists");
export const roleNotAllowed = () => new AppError("role_not_allowed", 403, "Your role cannot give or take this role");
export const slugTaken = () => conflict("slug_taken", "This workspace address is taken");
export const partnerRoleNotAllowed = () =>
  new AppError("partner_role_not_allowed", 422, "A partner can only be a manager or a member: owners and admins reach every channel");
