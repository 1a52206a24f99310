import { afterAll, beforeAll, expect, it } from "vitest";
import { createApp } from "../app";
import { describeEachDatabase } from "../../../../test/support/databases";
import { buildWorkspace, signedInClient } from "../../../../test/support/factories";
import { createTestServices, type TestServices } from "../../../../test/support/services";

describeEachDatabase("the audit log's scope", (kind) => {
  let services: TestServices;
  beforeAll(async () => {
    services = await createTestServices(kind, { LOGIN_RATE_PER_MINUTE: "1000" });
  });
  afterAll(() => services.close());

  it("keeps a removed member's sign-ins in the workspace's log, for the investigation that may follow", async () => {
    const app = createApp(services);
    const { people } = await buildWorkspace(services);
    const owner = await signedInClient(app, people.owner);
    await signedInClient(app, people.member); // a sign-in: a personal event, tied to no workspace
    const signInsOf = async () =>
      ((await owner.get(`/api/v1/audit?action=user.signed_in`)).body.events as Array<{ actorId: string }>).filter((e) => e.actorId === people.member.id).length;
    expect(await signInsOf()).toBe(1);

    expect((await owner.delete(`/api/v1/workspace/members/${people.member.id}`)).status).toBe(200);

    expect(await signInsOf()).toBe(1);
  });
});
