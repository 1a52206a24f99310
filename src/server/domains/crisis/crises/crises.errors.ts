import { AppError, conflict } from "../../../errors";

/** Stable error codes of a crisis's lifecycle and crisis mode (worded in the i18n "errors" section). */
export const crisisVersionConflict = () => conflict("crisis_version_conflict", "Someone changed this crisis since you opened it: reload and try again");
export const transitionNotAllowed = (from: string, to: string) => conflict("crisis_transition_not_allowed", `A crisis cannot go from ${from} to ${to}`);
export const crisisNotOpen = () => conflict("crisis_not_open", "This crisis is closed, cancelled or merged");
export const resolutionRequired = () => new AppError("crisis_resolution_required", 400, "Say what resolved the crisis before closing it");
export const reasonRequired = () => new AppError("crisis_reason_required", 400, "Say why (for the timeline and the review)");
export const crisisModeStillOn = () =>
  conflict("crisis_mode_still_on", "Crisis mode is still on: end it first, or confirm that it stays on after the crisis closes");
export const heldPostsUndecided = (count: number) =>
  conflict("crisis_held_posts_undecided", `${count} held post(s) still need a decision (resume, reschedule, edit or discard)`);
export const mergeTargetInvalid = () => conflict("crisis_merge_target_invalid", "Merge into another open crisis of this workspace");
export const crisisModeAlreadyOn = () => conflict("crisis_mode_already_on", "Crisis mode is already on for this crisis: switch its parts instead");
export const crisisModeOff = () => conflict("crisis_mode_off", "Crisis mode is not on for this crisis");
export const crisisModeNeedsActive = () => conflict("crisis_mode_needs_active", "Crisis mode starts once the crisis is active (triage stays quiet)");
export const heldPostDecided = () => conflict("crisis_held_post_decided", "This held post already has a decision");
export const heldPostStillPaused = () => conflict("crisis_held_post_still_paused", "The pause still covers this post: switch the pause off before resuming or rescheduling it");
export const noticeNotFailed = () => conflict("crisis_notice_not_failed", "Only a failed notice is retried now: one on its way is retried by itself, a sent one is sent");
export const noticeNoAddress = () => conflict("crisis_notice_no_address", "This mail list still has no email address: add one under Settings → Alert destinations, then retry");
export const alertNotFound = () => new AppError("not_found", 404, "Alert not found");
export const originRefRequired = () => new AppError("crisis_origin_required", 400, "Name the source: an alert for originKind alert, a reference for originKind inbox");
export const notOnCrisisTeam = () => new AppError("crisis_team_only", 403, "Only the crisis team (or a manager) may do this");
// Lock down's refusals belong to the domains that refuse: `crisis_lockdown` to channels (channels.errors.ts),
// `crisis_team_approval_only` to publishing (lockdown-policy.ts).
