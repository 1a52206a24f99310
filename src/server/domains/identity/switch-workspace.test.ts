import { afterAll, beforeAll, expect, it } from "vitest";
import { inTransaction, unsafeSystemCtx } from "../../context";
import { createApp } from "../../http/app";
import { unsafeAddMemberDirectly } from "../workspaces";
import { describeEachDatabase } from "../../../../test/support/databases";
import { buildWorkspace, signedInClient } from "../../../../test/support/factories";
import { createTestServices, type TestServices } from "../../../../test/support/services";

describeEachDatabase("switching workspace", (kind) => {
  let services: TestServices;
  beforeAll(async () => {
    services = await createTestServices(kind, { LOGIN_RATE_PER_MINUTE: "1000" });
  });
  afterAll(() => services.close());

  it("takes the new workspace's role and permissions, and its MFA requirement", async () => {
    const app = createApp(services);
    const home = await buildWorkspace(services);
    const strict = await buildWorkspace(services);
    const person = home.people.owner;
    await inTransaction(unsafeSystemCtx(services, "test", strict.workspace.id), (tx) => unsafeAddMemberDirectly(tx, { userId: person.id, role: "member" }));
    const strictOwner = await signedInClient(app, strict.people.owner);
    expect((await strictOwner.patch("/api/v1/workspace", { requireMfa: true })).status).toBe(200);
    const client = await signedInClient(app, person);
    expect((await client.get("/api/v1/me")).body).toMatchObject({ state: "active", role: "owner", workspace: { id: home.workspace.id } });

    const switched = await client.post("/api/v1/me/workspace", { workspaceId: strict.workspace.id });

    expect(switched.status).toBe(200);
    expect(switched.body).toMatchObject({ state: "mfa_enrolment_required", role: "member", workspace: { id: strict.workspace.id } });
    expect(switched.body.can["members.invite"]).toBe(false);
    expect((await client.get("/api/v1/me")).body).toMatchObject({ state: "mfa_enrolment_required", role: "member" });
    expect((await client.get("/api/v1/workspace/members")).body.error.code).toBe("mfa_enrolment_required");
  });
});
