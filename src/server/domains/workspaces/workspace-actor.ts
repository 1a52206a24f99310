import type { Role } from "../../../contracts/roles";
import type { Ctx } from "../../context";
import { forbidden } from "../../errors";

/** The current workspace and the actor's role in it (the system actor counts as owner). */
export function currentWorkspace(ctx: Ctx): { workspaceId: string; role: Role } {
  if (!ctx.workspaceId) throw forbidden("Choose a workspace first");
  if (ctx.actor.type === "system") return { workspaceId: ctx.workspaceId, role: "owner" };
  if (ctx.actor.type !== "user" || !ctx.actor.role) throw forbidden();
  return { workspaceId: ctx.workspaceId, role: ctx.actor.role };
}
