import { and, eq, inArray, isNull, or } from "drizzle-orm";
import { ROLES, type WorkspaceAction } from "../../../../contracts/roles";
import { roleAllows } from "../../../authz";
import type { Db } from "../../../db/client";
import { users } from "../../identity/identity.schema";
import { memberships } from "../workspaces.schema";

/**
 * The members of a workspace whose role allows `action` (and `alsoUserId`, when still a member), not disabled: whom
 * to tell when something needs someone who may act on it. Name, email and language, for a mail.
 */
export async function peopleWhoMay(db: Db, workspaceId: string, action: WorkspaceAction, alsoUserId?: string | null) {
  const roles = ROLES.filter((role) => roleAllows(role, action));
  return db
    .select({ email: users.email, name: users.name, locale: users.locale })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.workspaceId, workspaceId),
        isNull(users.disabledAt),
        alsoUserId ? or(inArray(memberships.role, roles), eq(memberships.userId, alsoUserId)) : inArray(memberships.role, roles),
      ),
    );
}
