import { unauthenticated } from "../../errors";
import type { Ctx } from "../../context";
import type { UserActor } from "../../authz";

/** The acting user, or `unauthenticated` for commands only a signed-in person may run. */
export function requireUser(ctx: Ctx): UserActor {
  if (ctx.actor.type !== "user") throw unauthenticated();
  return ctx.actor;
}
