import { and, eq, ne, sql } from "drizzle-orm";
import type { Role } from "../../../contracts/roles";
import type { Ctx } from "../../context";
import { forbidden } from "../../errors";
import { getSsoSettings } from "../sso";
import { lockedMembership, assertAnotherOwner, unsafeAddMemberDirectly, unsafeEndMembership } from "../workspaces";
import { memberships } from "../workspaces/workspaces.schema";
import { isUniqueViolation } from "../workspaces/unique-violation";
import { scimUsers } from "./scim.schema";
import { invalidValue, userNameTaken } from "./scim.errors";
import type { UserState } from "./user-state";

/**
 * The workspace a SCIM request acts on. SCIM commands run only as the system actor a SCIM token stands for (see
 * scim-protocol.routes.ts): the token is the workspace's, so it may do what provisioning needs, nothing else.
 */
export function scimWorkspace(ctx: Ctx): string {
  if (ctx.actor.type !== "system" || !ctx.actor.label.startsWith("SCIM") || !ctx.workspaceId) throw forbidden("Only a workspace's SCIM token may do this");
  return ctx.workspaceId;
}

/**
 * How people join: the role the workspace's single sign-on gives new people (member without SSO), and its
 * allowed email domains (none without SSO: any address).
 */
export async function provisioningPolicy(tx: Ctx): Promise<{ defaultRole: Role; allowedDomains: string[] | null }> {
  const sso = await getSsoSettings(tx);
  return sso.configured ? { defaultRole: sso.defaultRole, allowedDomains: sso.allowedDomains } : { defaultRole: "member", allowedDomains: null };
}

/**
 * With single sign-on set up, SCIM may only give people addresses at its allowed domains: otherwise a leaked SCIM
 * token could add an outside address and get it a password by a reset mail.
 */
export function assertEmailAllowed(email: string, allowedDomains: string[] | null): void {
  if (!allowedDomains) return;
  const domain = email.slice(email.lastIndexOf("@") + 1).toLowerCase();
  if (!allowedDomains.includes(domain)) throw invalidValue(`The email domain ${domain} is not one of the workspace's single sign-on domains (${allowedDomains.join(", ")})`);
}

/** Whether the person is a member of any other workspace (then their account's email is not this workspace's to change). */
export async function memberElsewhere(tx: Ctx, workspaceId: string, userId: string): Promise<boolean> {
  const [row] = await tx.db.select({ id: memberships.workspaceId }).from(memberships).where(and(eq(memberships.userId, userId), ne(memberships.workspaceId, workspaceId))).limit(1);
  return row !== undefined;
}

/** Writes the provider's view of the person (creates it on the first change of someone who was a member before). */
export async function saveLink(tx: Ctx, workspaceId: string, userId: string, state: UserState): Promise<void> {
  const values = { userName: state.userName, externalId: state.externalId, givenName: state.givenName, familyName: state.familyName, updatedAt: tx.now() };
  const taken = await tx.db
    .select({ userId: scimUsers.userId })
    .from(scimUsers)
    .where(and(eq(scimUsers.workspaceId, workspaceId), sql`lower(${scimUsers.userName}) = lower(${state.userName})`, ne(scimUsers.userId, userId)));
  if (taken.length) throw userNameTaken();
  await tx.db
    .insert(scimUsers)
    .values({ workspaceId, userId, ...values, createdAt: tx.now() })
    .onConflictDoUpdate({ target: [scimUsers.workspaceId, scimUsers.userId], set: values })
    .catch((err) => {
      if (isUniqueViolation(err, "scim_users_workspace_user_name")) throw userNameTaken();
      throw err;
    });
}

/** Deprovisioning: the offboarding an admin's removal runs (sessions, API tokens, grants, teams, membership), at once. */
export async function deprovision(tx: Ctx, workspaceId: string, userId: string) {
  const { role } = await lockedMembership(tx, workspaceId, userId);
  if (role === "owner") await assertAnotherOwner(tx, workspaceId, userId);
  return unsafeEndMembership(tx, { workspaceId, userId, role, reason: "deprovisioned" });
}

/** Makes the person a member with the workspace's default role (a new person, or one coming back). */
export async function makeMember(tx: Ctx, input: { userId: string; email: string; role: Role; newAccount: boolean; reactivated: boolean }): Promise<void> {
  await unsafeAddMemberDirectly(tx, { userId: input.userId, role: input.role });
  await tx.audit(
    { type: "scim.user_provisioned", data: { userId: input.userId, email: input.email, role: input.role, newAccount: input.newAccount, reactivated: input.reactivated } },
    { type: "user", id: input.userId },
  );
}
