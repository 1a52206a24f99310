import type { Ctx } from "../../../context";
import { matches, parseFilter } from "../filter";
import { scimWorkspace } from "../provisioning";
import { listResponse, presentScimGroup, presentScimUser } from "../resources";
import { scimNotFound } from "../scim.errors";
import { findScimGroup, findScimGroups, findScimPeople, findScimPerson } from "./scim-people";

export type ListQuery = { filter?: string; startIndex: number; count: number; baseUrl: string };

/**
 * GET /Users: the workspace's people (members and deprovisioned ones the provider still knows), filtered and paged.
 * The filter is evaluated on the resources as presented, so every attribute a User shows can be filtered on.
 */
export async function listScimUsers(tx: Ctx, query: ListQuery) {
  const workspaceId = scimWorkspace(tx);
  const filter = query.filter ? parseFilter(query.filter) : null;
  const resources = (await findScimPeople(tx.db, workspaceId)).map((p) => presentScimUser(p, query.baseUrl)).filter((r) => !filter || matches(r, filter));
  return listResponse(resources, query.startIndex, query.count);
}

/** GET /Users/{id}. */
export async function getScimUser(tx: Ctx, input: { userId: string; baseUrl: string }) {
  const person = await findScimPerson(tx.db, scimWorkspace(tx), input.userId);
  if (!person) throw scimNotFound("User");
  return presentScimUser(person, input.baseUrl);
}

/** GET /Groups: the workspace's teams, filtered (e.g. `displayName eq "PR"`) and paged. */
export async function listScimGroups(tx: Ctx, query: ListQuery) {
  const workspaceId = scimWorkspace(tx);
  const filter = query.filter ? parseFilter(query.filter) : null;
  const resources = (await findScimGroups(tx.db, workspaceId)).map((g) => presentScimGroup(g, query.baseUrl)).filter((r) => !filter || matches(r, filter));
  return listResponse(resources, query.startIndex, query.count);
}

/** GET /Groups/{id}. */
export async function getScimGroup(tx: Ctx, input: { teamId: string; baseUrl: string }) {
  const group = await findScimGroup(tx.db, scimWorkspace(tx), input.teamId);
  if (!group) throw scimNotFound("Group");
  return presentScimGroup(group, input.baseUrl);
}
