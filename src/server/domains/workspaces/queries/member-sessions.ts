import { authorize } from "../../../authz";
import type { Ctx } from "../../../context";
import { notFound } from "../../../errors";
import { liveSessionsOf } from "../../identity";
import { membershipOf } from "./membership";
import { currentWorkspace } from "../workspace-actor";

/**
 * A member's live sessions, for an admin choosing which to end after a lost device. Sessions belong to the person,
 * not the workspace: ending one signs them out of every workspace on that device.
 */
export async function listMemberSessions(ctx: Ctx, input: { userId: string }) {
  authorize(ctx.actor, "members.remove");
  const { workspaceId } = currentWorkspace(ctx);
  if (!(await membershipOf(ctx.db, input.userId, workspaceId))) throw notFound("Member");
  return liveSessionsOf(ctx, input.userId, ctx.actor.type === "user" ? ctx.actor.sessionId : undefined);
}
