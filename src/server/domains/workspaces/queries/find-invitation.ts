import { and, eq, gt, isNull } from "drizzle-orm";
import type { Role } from "../../../../contracts/roles";
import type { Db } from "../../../db/client";
import { hashToken } from "../../../crypto/secrets";
import { findUserByEmail } from "../../identity";
import { invitations, workspaces } from "../workspaces.schema";
import { invitationInvalid } from "../workspaces.errors";

/** An open invitation by its link token (public: shows only what the invited person needs to decide). */
export async function findOpenInvitation(db: Db, token: string, now: Date) {
  const [row] = await db
    .select({ invitation: invitations, workspace: workspaces })
    .from(invitations)
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .where(and(eq(invitations.tokenHash, hashToken(token)), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now)));
  if (!row) throw invitationInvalid();
  const existingUser = await findUserByEmail(db, row.invitation.email);
  return {
    row: row.invitation,
    view: {
      email: row.invitation.email,
      role: row.invitation.role as Role,
      workspaceName: row.workspace.name,
      expiresAt: row.invitation.expiresAt.toISOString(),
      /** An existing user accepts with their password; a new one chooses a name and password. */
      existingUser: existingUser !== undefined,
    },
  };
}
