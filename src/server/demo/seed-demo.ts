import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Role } from "../../contracts/roles";
import { inTransaction, unsafeSystemCtx, withActor, type Services } from "../context";
import { createUser, findUserByEmail } from "../domains/identity";
import { createWorkspace, findDemoWorkspace, listTeams, setTeamMembership, unsafeAddMemberDirectly } from "../domains/workspaces";

export const DEMO_WORKSPACE = { name: "Ember & Oak Coffee Roasters", slug: "ember-oak" };

/** The demo brand's people: one at each level a real team has (UI.md). Emails share the owner's domain. */
const DEMO_PEOPLE: Array<{ local: string; name: string; role: Role; teams: string[]; title: string }> = [
  { local: "amir", name: "Amir Rahimi", role: "admin", teams: [], title: "IT and security admin" },
  { local: "sofia", name: "Sofia Greco", role: "manager", teams: ["Social media"], title: "Social media manager" },
  { local: "jan", name: "Jan de Vries", role: "member", teams: ["Social media"], title: "Social media intern" },
  { local: "lucia", name: "Lucía Fernández", role: "member", teams: ["Customer service"], title: "Customer care agent" },
  { local: "greta", name: "Greta Hoffmann", role: "member", teams: ["Legal"], title: "Legal reviewer" },
  { local: "pieter", name: "Pieter Jansen", role: "member", teams: ["PR"], title: "PR reviewer" },
  { local: "marco", name: "Marco Bianchi", role: "member", teams: ["Social media"], title: "Agency partner (Brightside Agency)" },
];

export type DemoCredentials = { email: string; password: string | null; created: boolean; workspaceId: string };

/**
 * Creates the demo workspace once (idempotent: a second call finds it and changes nothing). Every demo person
 * shares the owner's password. A generated password is kept in the data folder (mode 0600) so later starts
 * can print it again; a password given in PARAPET_DEMO_PASSWORD is never written anywhere.
 */
export async function seedDemo(services: Services): Promise<DemoCredentials> {
  const { config } = services;
  const passwordFile = path.join(config.dataDir, "demo-password.txt");
  const existing = await findDemoWorkspace(services.database.db);
  if (existing) {
    const password = config.demo.password ?? (fs.existsSync(passwordFile) ? fs.readFileSync(passwordFile, "utf8").trim() : null);
    return { email: config.demo.email, password, created: false, workspaceId: existing.id };
  }
  const password = config.demo.password ?? randomBytes(9).toString("base64url");
  const system = unsafeSystemCtx(services, "demo");
  const result = await inTransaction(system, async (tx) => {
    let owner = await findUserByEmail(tx.db, config.demo.email);
    owner ??= await createUser(tx, { email: config.demo.email, name: "Olivia Brandt", password });
    const workspace = await createWorkspace(withActor(tx, { type: "system", label: "demo" }), { ...DEMO_WORKSPACE, ownerUserId: owner.id, isDemo: true });
    const ws = withActor(tx, { type: "system", label: "demo" }, workspace.id);
    await ws.audit({ type: "user.created", data: { userId: owner.id, email: owner.email, via: "demo" } }, { type: "user", id: owner.id });
    const domain = config.demo.email.split("@")[1];
    const teams = await listTeams(ws);
    for (const person of DEMO_PEOPLE) {
      const email = `${person.local}@${domain}`;
      const user = (await findUserByEmail(tx.db, email)) ?? (await createUser(tx, { email, name: person.name, password }));
      await unsafeAddMemberDirectly(ws, { userId: user.id, role: person.role, title: person.title });
      await ws.audit({ type: "user.created", data: { userId: user.id, email, via: "demo" } }, { type: "user", id: user.id });
      for (const teamName of person.teams) {
        const team = teams.find((t) => t.name === teamName);
        if (team) await setTeamMembership(ws, { teamId: team.id, userId: user.id, member: true });
      }
    }
    await ws.audit({ type: "demo.seeded", data: { workspaceId: workspace.id } }, { type: "workspace", id: workspace.id });
    return { workspaceId: workspace.id };
  });
  if (!config.demo.password) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.writeFileSync(passwordFile, password, { mode: 0o600 });
  }
  return { email: config.demo.email, password, created: true, workspaceId: result.workspaceId };
}
