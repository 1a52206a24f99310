import { afterAll, beforeAll, expect, it } from "vitest";
import type { Role } from "../../../contracts/roles";
import { createApp } from "../../http/app";
import { describeEachDatabase } from "../../../../test/support/databases";
import { createTestServices, type TestServices } from "../../../../test/support/services";
import { buildWorkspace, signedInClient } from "../../../../test/support/factories";
import type { HttpClient } from "../../../../test/support/http";
import { actionsSince, auditSince, lastAuditSeq } from "../../../../test/support/audit";

type TeamView = { id: string; name: string; description: string; memberIds: string[] };

describeEachDatabase("teams", (kind) => {
  let services: TestServices;
  let app: ReturnType<typeof createApp>;
  let workspace: { id: string };
  let people: Record<Role, { id: string; email: string }>;
  let admin: HttpClient;
  let manager: HttpClient;
  let member: HttpClient;

  const teams = async () => (await admin.get("/api/v1/workspace/teams")).body.teams as TeamView[];
  const createTeam = async (name: string) => {
    const res = await admin.post("/api/v1/workspace/teams", { name });
    expect(res.status, res.text).toBe(200);
    return res.body as TeamView;
  };

  beforeAll(async () => {
    services = await createTestServices(kind);
    app = createApp(services);
    const built = await buildWorkspace(services);
    workspace = built.workspace;
    people = built.people;
    admin = await signedInClient(app, people.admin);
    manager = await signedInClient(app, people.manager);
    member = await signedInClient(app, people.member);
  });
  afterAll(() => services.close());

  it("a new workspace starts with its default teams", async () => {
    expect((await teams()).map((t) => t.name).sort()).toEqual(["Customer service", "Legal", "PR", "Social media"]);
  });

  it("an admin creates a team; team.created is audited", async () => {
    const before = await lastAuditSeq(services);
    const res = await admin.post("/api/v1/workspace/teams", { name: "  Crisis desk ", description: "Who answers when it burns" });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ name: "Crisis desk", description: "Who answers when it burns", memberIds: [] });
    const audit = await auditSince(services, before);
    expect(audit.map((r) => r.action)).toEqual(["team.created"]);
    expect(audit[0]).toMatchObject({ workspaceId: workspace.id, actorId: people.admin.id, targetType: "team", targetId: res.body.id });
    expect(audit[0].data).toEqual({ teamId: res.body.id, name: "Crisis desk" });
    expect((await teams()).some((t) => t.id === res.body.id)).toBe(true);
  });

  it("refuses a second team with the same name in any letter case (409 team_name_taken)", async () => {
    await createTeam("Influencers");
    const before = await lastAuditSeq(services);
    for (const name of ["Influencers", "influencers", " INFLUENCERS "]) {
      const res = await admin.post("/api/v1/workspace/teams", { name });
      expect(res.status, name).toBe(409);
      expect(res.body.error.code).toBe("team_name_taken");
    }
    expect(await actionsSince(services, before)).toEqual([]);
    expect((await teams()).filter((t) => t.name.toLowerCase() === "influencers")).toHaveLength(1);
  });

  it("two admins creating the same team at the same moment get one team and one 409", async () => {
    const other = await signedInClient(app, people.owner);
    for (let round = 0; round < 5; round++) {
      const name = `Night shift ${round}`;
      const [a, b] = await Promise.all([
        admin.post("/api/v1/workspace/teams", { name }),
        other.post("/api/v1/workspace/teams", { name: name.toUpperCase() }),
      ]);
      expect([a.status, b.status].sort(), `${a.text} ${b.text}`).toEqual([200, 409]);
      expect([a, b].find((r) => r.status === 409)!.body.error.code).toBe("team_name_taken");
      expect((await teams()).filter((t) => t.name.toLowerCase() === name.toLowerCase())).toHaveLength(1);
    }
  });

  it("the same name may exist in another workspace", async () => {
    const other = await buildWorkspace(services);
    const otherAdmin = await signedInClient(app, other.people.admin);
    expect((await otherAdmin.post("/api/v1/workspace/teams", { name: "Influencers" })).status).toBe(200);
  });

  it("renames a team; team.updated records before and after; a taken name is refused", async () => {
    const team = await createTeam("Partners");
    const before = await lastAuditSeq(services);
    const res = await admin.patch(`/api/v1/workspace/teams/${team.id}`, { name: "Agency partners" });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ id: team.id, name: "Agency partners" });
    const audit = await auditSince(services, before);
    expect(audit.map((r) => r.action)).toEqual(["team.updated"]);
    expect(audit[0].data).toEqual({ teamId: team.id, before: { name: "Partners" }, after: { name: "Agency partners" } });

    const taken = await admin.patch(`/api/v1/workspace/teams/${team.id}`, { name: "legal" });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe("team_name_taken");
    // Changing only the letter case of its own name is fine.
    expect((await admin.patch(`/api/v1/workspace/teams/${team.id}`, { name: "Agency Partners" })).status).toBe(200);
    const unchanged = await lastAuditSeq(services);
    expect((await admin.patch(`/api/v1/workspace/teams/${team.id}`, { name: "Agency Partners" })).status).toBe(200);
    expect(await actionsSince(services, unchanged)).toEqual([]); // nothing changed, nothing audited
    expect((await admin.patch(`/api/v1/workspace/teams/00000000-0000-4000-8000-000000000000`, { name: "Ghost" })).status).toBe(404);
  });

  it("adds and removes members idempotently, auditing each change once", async () => {
    const team = await createTeam("Moderators");
    const path = `/api/v1/workspace/teams/${team.id}/members/${people.member.id}`;
    const before = await lastAuditSeq(services);
    expect((await admin.put(path)).body).toEqual({ changed: true });
    expect((await admin.put(path)).body).toEqual({ changed: false });
    expect((await teams()).find((t) => t.id === team.id)!.memberIds).toEqual([people.member.id]);
    expect((await admin.delete(path)).body).toEqual({ changed: true });
    expect((await admin.delete(path)).body).toEqual({ changed: false });
    expect((await teams()).find((t) => t.id === team.id)!.memberIds).toEqual([]);
    const audit = await auditSince(services, before);
    expect(audit.map((r) => r.action)).toEqual(["team.member_added", "team.member_removed"]);
    expect(audit.map((r) => r.data)).toEqual([
      { teamId: team.id, userId: people.member.id },
      { teamId: team.id, userId: people.member.id },
    ]);
  });

  it("only puts members of this workspace into its teams", async () => {
    const team = await createTeam("Reviewers");
    const stranger = (await buildWorkspace(services)).people.member;
    const res = await admin.put(`/api/v1/workspace/teams/${team.id}/members/${stranger.id}`);
    expect(res.status).toBe(404);
    const foreignOwner = await signedInClient(app, (await buildWorkspace(services)).people.owner);
    const foreignTeam = ((await foreignOwner.get("/api/v1/workspace/teams")).body.teams as TeamView[])[0];
    expect((await admin.put(`/api/v1/workspace/teams/${foreignTeam.id}/members/${people.member.id}`)).status).toBe(404);
    expect((await admin.delete(`/api/v1/workspace/teams/${foreignTeam.id}`)).status).toBe(404);
  });

  it("deletes a team: its people stay members; team.deleted is audited", async () => {
    const team = await createTeam("Temporary");
    await admin.put(`/api/v1/workspace/teams/${team.id}/members/${people.manager.id}`);
    const before = await lastAuditSeq(services);
    expect((await admin.delete(`/api/v1/workspace/teams/${team.id}`)).status).toBe(204);
    const audit = await auditSince(services, before);
    expect(audit.map((r) => r.action)).toEqual(["team.deleted"]);
    expect(audit[0].data).toEqual({ teamId: team.id, name: "Temporary" });
    expect((await teams()).some((t) => t.id === team.id)).toBe(false);
    const members = (await admin.get("/api/v1/workspace/members")).body.members as Array<{ userId: string; teamIds: string[] }>;
    const managerRow = members.find((m) => m.userId === people.manager.id)!;
    expect(managerRow.teamIds).not.toContain(team.id);
    expect((await admin.delete(`/api/v1/workspace/teams/${team.id}`)).status).toBe(404);
    // The name is free again.
    expect((await admin.post("/api/v1/workspace/teams", { name: "temporary" })).status).toBe(200);
  });

  it("managers and members read teams but cannot manage them", async () => {
    const team = await createTeam("Read only");
    const before = await lastAuditSeq(services);
    for (const client of [manager, member]) {
      const read = await client.get("/api/v1/workspace/teams");
      expect(read.status).toBe(200);
      expect((read.body.teams as TeamView[]).some((t) => t.id === team.id)).toBe(true);
      for (const res of [
        await client.post("/api/v1/workspace/teams", { name: "Shadow team" }),
        await client.patch(`/api/v1/workspace/teams/${team.id}`, { name: "Renamed" }),
        await client.put(`/api/v1/workspace/teams/${team.id}/members/${people.member.id}`),
        await client.delete(`/api/v1/workspace/teams/${team.id}/members/${people.member.id}`),
        await client.delete(`/api/v1/workspace/teams/${team.id}`),
      ]) {
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe("forbidden");
      }
    }
    expect(await actionsSince(services, before)).toEqual([]);
    expect((await teams()).find((t) => t.id === team.id)).toMatchObject({ name: "Read only", memberIds: [] });
  });
});
