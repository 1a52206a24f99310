import type { Ctx } from "../../../context";
import { applyGroupOperations, groupStateOf } from "../group-state";
import { saveGroup } from "../group-changes";
import type { PatchOperation } from "../patch-ops";
import { findScimGroup, type ScimGroup } from "../queries/scim-people";
import { scimNotFound } from "../scim.errors";
import { scimWorkspace } from "../provisioning";

/** PUT and PATCH /Groups/{id}: renames the team, keeps the externalId, adds and removes members — each change audited. */
export async function updateScimGroup(tx: Ctx, input: { teamId: string; operations: PatchOperation[] }): Promise<ScimGroup> {
  const workspaceId = scimWorkspace(tx);
  const group = await findScimGroup(tx.db, workspaceId, input.teamId);
  if (!group) throw scimNotFound("Group");
  const state = applyGroupOperations(groupStateOf(group), input.operations);
  await saveGroup(tx, workspaceId, group, state);
  return (await findScimGroup(tx.db, workspaceId, group.team.id))!;
}

