import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { ChannelLevel, Role } from "../../contracts/roles";
import { inTransaction, unsafeSystemCtx, withActor, type Services } from "../context";
import { createUser, findUserByEmail, type User } from "../domains/identity";
import { connectChannel, setChannelAccess, type AccessChange } from "../domains/channels";
import { seedSandboxNetwork } from "../networks/sandbox/seed";
import { createWorkspace, findDemoWorkspace, listTeams, setPartnerAccess, setTeamMembership, unsafeAddMemberDirectly } from "../domains/workspaces";
import { seedDemoPosts } from "./demo-posts";
import { seedDemoListening } from "./demo-listening";
import { seedDemoCrisisPlans } from "./demo-crisis-plans";
import { seedDemoCrisisDrill } from "./demo-crisis-drill";

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
  const existing = async () => {
    const workspace = await findDemoWorkspace(services.database.db);
    if (!workspace) return null;
    const password = config.demo.password ?? (fs.existsSync(passwordFile) ? fs.readFileSync(passwordFile, "utf8").trim() : null);
    return { email: config.demo.email, password, created: false, workspaceId: workspace.id };
  };
  const found = await existing();
  if (found) return found;
  const password = config.demo.password ?? randomBytes(9).toString("base64url");
  let result: { workspaceId: string };
  try {
    result = await createDemo(services, password);
  } catch (err) {
    // Several processes starting at once on one PostgreSQL (or two `parapet demo` runs): the first one's demo
    // wins, the others find it. Anything else is a real failure.
    const raced = await existing();
    if (raced) return raced;
    throw err;
  }
  await connectDemoChannels(services, result.workspaceId);
  await seedDemoPosts(services, result.workspaceId);
  await seedDemoListening(services, result.workspaceId);
  await seedDemoCrisisPlans(services, result.workspaceId);
  await seedDemoCrisisDrill(services, result.workspaceId);
  if (!config.demo.password) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.writeFileSync(passwordFile, password, { mode: 0o600 });
  }
  return { email: config.demo.email, password, created: true, workspaceId: result.workspaceId };
}

/** The demo workspace, its people and their teams, in one transaction. People who already exist are reused. */
async function createDemo(services: Services, password: string): Promise<{ workspaceId: string }> {
  const { config } = services;
  const system = unsafeSystemCtx(services, "demo");
  return inTransaction(system, async (tx) => {
    const ws = (workspaceId: string) => withActor(tx, { type: "system", label: "demo" }, workspaceId);
    /** An existing account is reused; only a person this seeding really creates gets `user.created`. */
    const findOrCreate = async (email: string, name: string) => {
      const found = await findUserByEmail(tx.db, email);
      return found ? { user: found, isNew: false } : { user: await createUser(tx, { email, name, password }), isNew: true };
    };
    const audited = async (workspaceId: string, { user, isNew }: { user: User; isNew: boolean }) => {
      if (isNew) await ws(workspaceId).audit({ type: "user.created", data: { userId: user.id, email: user.email, via: "demo" } }, { type: "user", id: user.id });
      return user;
    };
    const ownerFound = await findOrCreate(config.demo.email, "Olivia Brandt");
    const workspace = await createWorkspace(withActor(tx, { type: "system", label: "demo" }), { ...DEMO_WORKSPACE, ownerUserId: ownerFound.user.id, isDemo: true });
    await audited(workspace.id, ownerFound);
    const domain = config.demo.email.split("@")[1];
    const teams = await listTeams(ws(workspace.id));
    for (const person of DEMO_PEOPLE) {
      const user = await audited(workspace.id, await findOrCreate(`${person.local}@${domain}`, person.name));
      await unsafeAddMemberDirectly(ws(workspace.id), { userId: user.id, role: person.role, title: person.title });
      for (const teamName of person.teams) {
        const team = teams.find((t) => t.name === teamName);
        if (team) await setTeamMembership(ws(workspace.id), { teamId: team.id, userId: user.id, member: true });
      }
    }
    // Marco works for the agency: his access ends by itself in 30 days (admins are warned a week before).
    const marco = await findUserByEmail(tx.db, `marco@${domain}`);
    const endsAt = new Date(services.clock().getTime() + 30 * 86_400_000).toISOString();
    await setPartnerAccess(ws(workspace.id), { userId: marco!.id, organization: "Brightside Agency", endsAt });
    await ws(workspace.id).audit({ type: "demo.seeded", data: { workspaceId: workspace.id } }, { type: "workspace", id: workspace.id });
    return { workspaceId: workspace.id };
  });
}

/** The brand's accounts on the Sandbox network that the demo workspace connects. */
export const DEMO_CHANNEL_HANDLES = ["emberoak", "emberoak_de", "emberoak_support"];

/**
 * Who may do what on the demo's channels, so every level is on show: the social media manager publishes on the
 * brand's two accounts, the Social media team (the intern, the agency partner) drafts for approval there, Customer
 * service answers on the support account, Legal reads everything, PR reads the main account — and has no access to
 * the others. Owners and admins need no grant.
 */
const DEMO_GRANTS: Array<{ handle: string; person?: string; team?: string; level: ChannelLevel }> = [
  { handle: "emberoak", person: "sofia", level: "publish" },
  { handle: "emberoak_de", person: "sofia", level: "publish" },
  { handle: "emberoak", team: "Social media", level: "approval_required" },
  { handle: "emberoak_de", team: "Social media", level: "approval_required" },
  { handle: "emberoak_support", team: "Customer service", level: "reply" },
  { handle: "emberoak", person: "greta", level: "read" },
  { handle: "emberoak_de", person: "greta", level: "read" },
  { handle: "emberoak_support", person: "greta", level: "read" },
  { handle: "emberoak", person: "pieter", level: "read" },
];

/** Fills the Sandbox network with the demo brand's world, connects its accounts as channels and grants access to them. */
async function connectDemoChannels(services: Services, workspaceId: string): Promise<void> {
  await seedSandboxNetwork(services.database.db, services.clock());
  const ctx = unsafeSystemCtx(services, "demo", workspaceId);
  const channelIds = new Map<string, string>();
  for (const handle of DEMO_CHANNEL_HANDLES) channelIds.set(handle, (await connectChannel(ctx, { network: "sandbox", input: { kind: "sandbox", handle } })).id);
  const teams = await listTeams(ctx);
  const domain = services.config.demo.email.split("@")[1];
  const changes: AccessChange[] = [];
  for (const grant of DEMO_GRANTS) {
    const channelId = channelIds.get(grant.handle)!;
    if (grant.team) changes.push({ channelId, teamId: teams.find((t) => t.name === grant.team)!.id, level: grant.level });
    else changes.push({ channelId, userId: (await findUserByEmail(services.database.db, `${grant.person}@${domain}`))!.id, level: grant.level });
  }
  await setChannelAccess(ctx, { changes });
}
