import { eq } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { findUserByEmail } from "../../identity";
import { users } from "../../identity/identity.schema";
import type { PatchOperation } from "../patch-ops";
import { findScimPerson, type ScimPerson } from "../queries/scim-people";
import { mutability, scimNotFound, userNameTaken } from "../scim.errors";
import { assertEmailAllowed, deprovision, makeMember, memberElsewhere, provisioningPolicy, saveLink, scimWorkspace } from "../provisioning";
import { applyUserOperations, nameOf, userStateOf } from "../user-state";

/**
 * PUT and PATCH /Users/{id}: changes what the provider keeps (userName, externalId, names), the person's name and
 * email, and `active`. `active: false` deprovisions them at once (the offboarding of a removal, audited as
 * `member.removed` with the counts); `active: true` brings them back with the default role. The account's email and
 * name change only when the account belongs to this workspace alone: a workspace's provider cannot rename or
 * re-address someone's account that other workspaces share.
 */
export async function updateScimUser(tx: Ctx, input: { userId: string; operations: PatchOperation[] }): Promise<ScimPerson> {
  const workspaceId = scimWorkspace(tx);
  await tx.db.select({ id: users.id }).from(users).where(eq(users.id, input.userId)).for("update");
  const person = await findScimPerson(tx.db, workspaceId, input.userId);
  if (!person) throw scimNotFound("User");
  const before = userStateOf(person);
  const after = applyUserOperations(userStateOf(person), input.operations);

  const changes: Record<string, [unknown, unknown]> = {};
  for (const key of ["userName", "externalId", "givenName", "familyName"] as const) {
    if (after[key] !== before[key]) changes[key] = [before[key], after[key]];
  }
  const email = after.email ?? person.user.email;
  const name = nameOf(after);
  const shared = await memberElsewhere(tx, workspaceId, person.user.id);
  if (email.toLowerCase() !== person.user.email.toLowerCase()) {
    if (shared) throw mutability("This person's account is also in other workspaces: change their email in Parapet, not through this workspace's provider");
    const policy = await provisioningPolicy(tx);
    assertEmailAllowed(email, policy.allowedDomains);
    const other = await findUserByEmail(tx.db, email);
    if (other && other.id !== person.user.id) throw userNameTaken();
    await tx.db.update(users).set({ email }).where(eq(users.id, person.user.id));
    changes.email = [person.user.email, email];
  }
  if (name !== undefined && name !== person.user.name && !shared) {
    await tx.db.update(users).set({ name }).where(eq(users.id, person.user.id));
    changes.name = [person.user.name, name];
  }
  if (Object.keys(changes).length || !person.link) {
    await saveLink(tx, workspaceId, person.user.id, after);
  }
  if (Object.keys(changes).length) {
    const data = { userId: person.user.id, before: Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v[0]])), after: Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v[1]])) };
    await tx.audit({ type: "scim.user_updated", data }, { type: "user", id: person.user.id });
  }
  if (before.active && !after.active) await deprovision(tx, workspaceId, person.user.id);
  if (!before.active && after.active) {
    const policy = await provisioningPolicy(tx);
    await makeMember(tx, { userId: person.user.id, email, role: policy.defaultRole, newAccount: false, reactivated: true });
  }
  return (await findScimPerson(tx.db, workspaceId, person.user.id))!;
}
