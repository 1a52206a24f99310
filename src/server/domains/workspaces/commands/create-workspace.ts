import { eq, like } from "drizzle-orm";
import { inTransaction, withActor, type Ctx } from "../../../context";
import { requireUser } from "../../identity";
import { memberships, teams, workspaces } from "../workspaces.schema";
import { slugTaken } from "../workspaces.errors";
import { presentWorkspace } from "../queries/membership";
import { isUniqueViolation } from "../unique-violation";

export const DEFAULT_TEAMS = ["Social media", "Customer service", "PR", "Legal"];

export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40);
  return slug || "workspace";
}

/** Creates a brand workspace with the acting user as its owner and a few starting teams. */
export async function createWorkspace(ctx: Ctx, input: { name: string; slug?: string; ownerUserId?: string; isDemo?: boolean }) {
  const ownerId = input.ownerUserId ?? requireUser(ctx).userId;
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(ctx, (tx) => insertWorkspace(tx, input, ownerId));
    } catch (err) {
      // The address was taken by a concurrent request between our check and our insert: a generated one moves on
      // to the next free address, a chosen one is taken.
      if (!isUniqueViolation(err, "workspaces_slug_unique")) throw err;
      if (input.slug || attempt >= 3) throw slugTaken();
    }
  }
}

async function insertWorkspace(tx: Ctx, input: { name: string; slug?: string; isDemo?: boolean }, ownerId: string) {
  const slug = input.slug ?? (await firstFreeSlug(tx, slugify(input.name)));
  // A chosen address that is taken is refused at once; a generated one taken meanwhile by a concurrent request hits
  // the unique index on insert, and the caller retries with the next free one.
  if (input.slug && (await tx.db.select().from(workspaces).where(eq(workspaces.slug, slug))).length) throw slugTaken();
  const [workspace] = await tx.db.insert(workspaces).values({ name: input.name.trim(), slug, isDemo: input.isDemo ?? false, createdAt: tx.now() }).returning();
  await tx.db.insert(memberships).values({ workspaceId: workspace.id, userId: ownerId, role: "owner", createdAt: tx.now() });
  await tx.db.insert(teams).values(DEFAULT_TEAMS.map((name) => ({ workspaceId: workspace.id, name, createdAt: tx.now() })));
  await withActor(tx, tx.actor, workspace.id).audit({ type: "workspace.created", data: { workspaceId: workspace.id, name: workspace.name } }, { type: "workspace", id: workspace.id });
  return presentWorkspace(workspace);
}

/** brand, brand-2, brand-3, …: the first address not taken. */
async function firstFreeSlug(tx: Ctx, base: string): Promise<string> {
  const taken = new Set((await tx.db.select({ slug: workspaces.slug }).from(workspaces).where(like(workspaces.slug, `${base}%`))).map((r) => r.slug));
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  return slug;
}
