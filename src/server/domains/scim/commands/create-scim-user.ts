import { eq } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { findUserByEmail } from "../../identity";
import { users } from "../../identity/identity.schema";
import { isUniqueViolation } from "../../workspaces/unique-violation";
import { findScimPerson, type ScimPerson } from "../queries/scim-people";
import { invalidValue, userNameTaken } from "../scim.errors";
import { assertEmailAllowed, makeMember, memberElsewhere, provisioningPolicy, saveLink, scimWorkspace } from "../provisioning";
import { applyUserOperations, emailOf, emptyUserState, nameOf, resourceAsOperations } from "../user-state";

/**
 * POST /Users: the identity provider adds a person. A new email gets a new account without a password (they sign
 * in through single sign-on); an existing account is added as it is. They join with the workspace's default role,
 * unless the provider sends `active: false`. Someone deprovisioned before comes back the same way; someone already
 * a member is a `409 uniqueness` (the provider should look them up with a filter and link them instead).
 */
export async function createScimUser(tx: Ctx, body: unknown): Promise<ScimPerson> {
  const workspaceId = scimWorkspace(tx);
  const state = applyUserOperations(emptyUserState(), resourceAsOperations(body));
  if (!state.touched.has("userName")) throw invalidValue("userName is required");
  const email = emailOf(state);
  state.email = email;
  const policy = await provisioningPolicy(tx);
  assertEmailAllowed(email, policy.allowedDomains);

  let user = await findUserByEmail(tx.db, email);
  const before = user ? await findScimPerson(tx.db, workspaceId, user.id) : undefined;
  if (before?.membership) throw userNameTaken();
  const newAccount = !user;
  const name = nameOf(state) ?? email.slice(0, email.indexOf("@")).slice(0, 120);
  if (!user) {
    // No password: they sign in through the workspace's identity provider (or an admin sends a password reset).
    [user] = await tx.db
      .insert(users)
      .values({ email, name, locale: state.locale ?? "en", passwordHash: null, createdAt: tx.now() })
      .returning()
      .catch((err) => {
        // Another request created this email between our look-up and our insert.
        if (isUniqueViolation(err, "users_email_lower")) throw userNameTaken();
        throw err;
      });
  } else if (nameOf(state) && user.name !== name && !(await memberElsewhere(tx, workspaceId, user.id))) {
    // An account that is only this workspace's takes the provider's name; one shared with other workspaces keeps its own.
    await tx.db.update(users).set({ name }).where(eq(users.id, user.id));
  }
  await saveLink(tx, workspaceId, user.id, state);
  if (state.active) {
    await makeMember(tx, { userId: user.id, email, role: policy.defaultRole, newAccount, reactivated: before !== undefined });
  } else {
    await tx.audit({ type: "scim.user_updated", data: { userId: user.id, before: {}, after: { userName: state.userName, externalId: state.externalId, active: false } } }, { type: "user", id: user.id });
  }
  return (await findScimPerson(tx.db, workspaceId, user.id))!;
}
