import { and, eq } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { findScimPerson } from "../queries/scim-people";
import { scimUsers } from "../scim.schema";
import { scimNotFound } from "../scim.errors";
import { deprovision, scimWorkspace } from "../provisioning";

/**
 * DELETE /Users/{id}: deprovisions the person if they are still a member, and forgets the provider's link, so the
 * User is gone (404) afterwards. Their Parapet account stays: it may be in other workspaces, and the audit log
 * names it. A later POST with their email brings them back.
 */
export async function deleteScimUser(tx: Ctx, input: { userId: string }): Promise<void> {
  const workspaceId = scimWorkspace(tx);
  const person = await findScimPerson(tx.db, workspaceId, input.userId);
  if (!person) throw scimNotFound("User");
  if (person.membership) await deprovision(tx, workspaceId, person.user.id);
  await tx.db.delete(scimUsers).where(and(eq(scimUsers.workspaceId, workspaceId), eq(scimUsers.userId, person.user.id)));
  await tx.audit({ type: "scim.user_deleted", data: { userId: person.user.id, userName: person.link?.userName ?? person.user.email } }, { type: "user", id: person.user.id });
}
