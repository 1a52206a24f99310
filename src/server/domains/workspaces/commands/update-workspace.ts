import { eq } from "drizzle-orm";
import { inTransaction, type Ctx } from "../../../context";
import { authorize } from "../../../authz";
import { workspaces } from "../workspaces.schema";
import { presentWorkspace } from "../queries/membership";
import { currentWorkspace } from "../workspace-actor";

/** Renames the workspace or changes its security settings (e.g. "require MFA"). */
export async function updateWorkspace(ctx: Ctx, input: { name?: string; requireMfa?: boolean }) {
  authorize(ctx.actor, "workspace.update");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const [before] = await tx.db.select().from(workspaces).where(eq(workspaces.id, workspaceId)).for("update");
    const changes = Object.fromEntries(
      Object.entries({ name: input.name?.trim(), requireMfa: input.requireMfa }).filter(([k, v]) => v !== undefined && before[k as keyof typeof before] !== v),
    );
    if (!Object.keys(changes).length) return presentWorkspace(before);
    const [after] = await tx.db.update(workspaces).set(changes).where(eq(workspaces.id, workspaceId)).returning();
    const was = Object.fromEntries(Object.keys(changes).map((k) => [k, before[k as keyof typeof before]]));
    await tx.audit({ type: "workspace.updated", data: { before: was, after: changes } }, { type: "workspace", id: workspaceId });
    return presentWorkspace(after);
  });
}
