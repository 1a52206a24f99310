import type { Ctx } from "../../../context";
import { createTeam } from "../../workspaces";
import { applyGroupOperations } from "../group-state";
import { saveGroup } from "../group-changes";
import { resourceAsOperations } from "../user-state";
import { findScimGroup, type ScimGroup } from "../queries/scim-people";
import { invalidValue } from "../scim.errors";
import { scimWorkspace } from "../provisioning";

/**
 * POST /Groups: the provider pushes a group, which becomes a team of that name (audited as `team.created`), with
 * its externalId and members (each `team.member_added`). Members must be people of the workspace already.
 */
export async function createScimGroup(tx: Ctx, body: unknown): Promise<ScimGroup> {
  const workspaceId = scimWorkspace(tx);
  const state = applyGroupOperations({ displayName: "", externalId: null, members: new Set() }, resourceAsOperations(body));
  if (!state.displayName) throw invalidValue("displayName is required");
  const team = await createTeam(tx, { name: state.displayName });
  await saveGroup(tx, workspaceId, { team, externalId: null, updatedAt: team.createdAt, members: [] }, state);
  return (await findScimGroup(tx.db, workspaceId, team.id))!;
}

