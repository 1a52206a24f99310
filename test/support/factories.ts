import type { Role } from "../../src/contracts/roles";
import { inTransaction, unsafeSystemCtx, withActor } from "../../src/server/context";
import { createUser, totpCode, type User } from "../../src/server/domains/identity";
import { createWorkspace, unsafeAddMemberDirectly } from "../../src/server/domains/workspaces";
import type { Services } from "../../src/server/context";
import type { Hono } from "hono";
import { httpClient, type HttpClient } from "./http";

export const PASSWORD = "correct-horse-battery";
let counter = 0;

/** A user with a known password. */
export async function buildUser(services: Services, overrides: { email?: string; name?: string } = {}): Promise<User> {
  counter += 1;
  const ctx = unsafeSystemCtx(services, "test");
  return inTransaction(ctx, (tx) =>
    createUser(tx, { email: overrides.email ?? `person${counter}-${Date.now()}@example.test`, name: overrides.name ?? `Person ${counter}`, password: PASSWORD }),
  );
}

/** A workspace with one member per role (owner, admin, manager, member), keyed by role. */
export async function buildWorkspace(services: Services, name = `Brand ${++counter}`) {
  const owner = await buildUser(services, { name: "Owner" });
  const system = unsafeSystemCtx(services, "test");
  const workspace = await inTransaction(system, (tx) => createWorkspace(withActor(tx, tx.actor), { name, ownerUserId: owner.id }));
  const people: Record<Role, User> = { owner } as Record<Role, User>;
  for (const role of ["admin", "manager", "member"] as const) {
    const user = await buildUser(services, { name: role[0].toUpperCase() + role.slice(1) });
    await inTransaction(unsafeSystemCtx(services, "test", workspace.id), (tx) => unsafeAddMemberDirectly(tx, { userId: user.id, role }));
    people[role] = user;
  }
  return { workspace, people };
}

/** An HTTP client signed in as `user` (completing MFA with `mfaSecret` when given). */
export async function signedInClient(app: Hono<any>, user: { email: string }, options: { mfaSecret?: string; services?: Services; password?: string } = {}): Promise<HttpClient> {
  const client = httpClient(app);
  const res = await client.post("/api/v1/auth/sign-in", { email: user.email, password: options.password ?? PASSWORD });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${res.text}`);
  if (res.body.status === "mfa_required") {
    if (!options.mfaSecret || !options.services) throw new Error("MFA required: pass mfaSecret and services");
    const verify = await client.post("/api/v1/auth/mfa/verify", { code: totpCode(options.mfaSecret, options.services.clock()) });
    if (verify.status !== 200) throw new Error(`MFA failed: ${verify.status} ${verify.text}`);
  }
  return client;
}
