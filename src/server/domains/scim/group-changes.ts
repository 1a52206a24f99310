import { and, eq, inArray } from "drizzle-orm";
import type { Ctx } from "../../context";
import { setTeamMembership, updateTeam } from "../workspaces";
import { memberships } from "../workspaces/workspaces.schema";
import type { GroupState } from "./group-state";
import type { ScimGroup } from "./queries/scim-people";
import { scimGroups } from "./scim.schema";
import { invalidValue } from "./scim.errors";

/** Writes the difference between a group and what the request says it should be, through the teams' own commands. */
export async function saveGroup(tx: Ctx, workspaceId: string, group: ScimGroup, state: GroupState): Promise<void> {
  const teamId = group.team.id;
  if (state.displayName !== group.team.name) await updateTeam(tx, { teamId, name: state.displayName });
  if (state.externalId !== group.externalId) {
    await tx.audit({ type: "scim.group_linked", data: { teamId, externalId: state.externalId } }, { type: "team", id: teamId });
  }
  const current = new Set(group.members.map((m) => m.userId));
  const added = [...state.members].filter((id) => !current.has(id));
  const removed = [...current].filter((id) => !state.members.has(id));
  if (added.length) {
    const members = await tx.db
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.workspaceId, workspaceId), inArray(memberships.userId, added)));
    const missing = added.filter((id) => !members.some((m) => m.userId === id));
    if (missing.length) throw invalidValue(`Not members of this workspace (provision or reactivate them first): ${missing.join(", ")}`);
  }
  for (const userId of added) await setTeamMembership(tx, { teamId, userId, member: true });
  for (const userId of removed) await setTeamMembership(tx, { teamId, userId, member: false });
  if (state.displayName !== group.team.name || state.externalId !== group.externalId || added.length || removed.length) {
    const values = { externalId: state.externalId, updatedAt: tx.now() };
    await tx.db.insert(scimGroups).values({ teamId, workspaceId, ...values }).onConflictDoUpdate({ target: scimGroups.teamId, set: values });
  }
}
