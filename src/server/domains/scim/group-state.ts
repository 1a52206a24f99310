import { matches, parsePatchPath } from "./filter";
import { READ_ONLY, jsonObject, optionalText, text, type PatchOperation } from "./patch-ops";
import type { ScimGroup } from "./queries/scim-people";
import { invalidPath, invalidValue, mutability, noTarget } from "./scim.errors";

/** What a SCIM request says a group (team) should be. */
export type GroupState = { displayName: string; externalId: string | null; members: Set<string> };

export function groupStateOf(group: ScimGroup): GroupState {
  return { displayName: group.team.name, externalId: group.externalId, members: new Set(group.members.map((m) => m.userId)) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The user ids of a members value: `[{ value: id }, …]` (or one such object). */
export function memberIds(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    const id = jsonObject(item, "A member").value;
    if (typeof id !== "string" || !UUID.test(id)) throw invalidValue(`A member's value must be a User id, not ${JSON.stringify(id)}`);
    return id.toLowerCase();
  });
}

/**
 * Applies PATCH operations to a group: displayName, externalId and members — add, replace, remove, including
 * Entra's `members[value eq "…"]` remove path. Other attributes are ignored.
 */
export function applyGroupOperations(state: GroupState, operations: PatchOperation[]): GroupState {
  for (const { op, path, value } of operations) {
    if (!path) {
      if (op === "remove") throw noTarget("(none)");
      for (const [key, v] of Object.entries(jsonObject(value, "A path-less value"))) {
        if (READ_ONLY.has(key.toLowerCase())) continue;
        applyAt(state, key, op, v);
      }
      continue;
    }
    applyAt(state, path, op, value);
  }
  return state;
}

function applyAt(state: GroupState, rawPath: string, op: PatchOperation["op"], value: unknown): void {
  const path = parsePatchPath(rawPath);
  if (path.extension) return;
  switch (path.attribute) {
    case "displayname":
      if (op === "remove") throw mutability("A group's displayName cannot be removed");
      state.displayName = text(value, "displayName", 80);
      return;
    case "externalid":
      state.externalId = op === "remove" ? null : optionalText(value, "externalId", 255);
      return;
    case "members": {
      if (path.filter) {
        if (op !== "remove") throw invalidPath(rawPath);
        for (const id of [...state.members]) if (matches({ value: id }, path.filter)) state.members.delete(id);
        return;
      }
      if (op === "remove") {
        if (value === undefined || value === null) state.members.clear();
        else for (const id of memberIds(value)) state.members.delete(id);
        return;
      }
      if (op === "replace") state.members.clear();
      for (const id of memberIds(value)) state.members.add(id);
      return;
    }
    default:
      return;
  }
}
