/** The workspaces domain: brands, members and roles, teams, invitations. */
export { createWorkspace, slugify, DEFAULT_TEAMS } from "./commands/create-workspace";
export { updateWorkspace } from "./commands/update-workspace";
export { inviteMember, INVITATION_VALID_DAYS } from "./commands/invite-member";
export { revokeInvitation } from "./commands/revoke-invitation";
export { acceptInvitation } from "./commands/accept-invitation";
export { changeMemberRole } from "./commands/change-member-role";
export { removeMember } from "./commands/remove-member";
export { createTeam } from "./commands/create-team";
export { updateTeam } from "./commands/update-team";
export { deleteTeam } from "./commands/delete-team";
export { setTeamMembership } from "./commands/set-team-membership";
export { listMembers } from "./queries/list-members";
export { listTeams, presentTeam } from "./queries/list-teams";
export { listInvitations } from "./queries/list-invitations";
export { findOpenInvitation } from "./queries/find-invitation";
export { membershipOf, workspacesOf, presentWorkspace, findDemoWorkspace, memberIdsOf, type Workspace } from "./queries/membership";
export { listOutbox } from "./queries/list-outbox";
export { unsafeAddMemberDirectly } from "./commands/add-member-directly";
