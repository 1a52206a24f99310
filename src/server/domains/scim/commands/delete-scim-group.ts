import type { Ctx } from "../../../context";
import { deleteTeam } from "../../workspaces";
import { findScimGroup } from "../queries/scim-people";
import { scimNotFound } from "../scim.errors";
import { scimWorkspace } from "../provisioning";

/** DELETE /Groups/{id}: deletes the team (`team.deleted`); its people stay members of the workspace. */
export async function deleteScimGroup(tx: Ctx, input: { teamId: string }): Promise<void> {
  const workspaceId = scimWorkspace(tx);
  if (!(await findScimGroup(tx.db, workspaceId, input.teamId))) throw scimNotFound("Group");
  await deleteTeam(tx, { teamId: input.teamId });
}
