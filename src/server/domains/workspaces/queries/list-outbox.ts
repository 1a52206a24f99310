import { desc, eq, inArray, or, sql } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { authorize } from "../../../authz";
import { users } from "../../identity/identity.schema";
import { mailOutbox } from "../../../mail/mail.schema";
import { memberships } from "../workspaces.schema";
import { currentWorkspace } from "../workspace-actor";

/** Mail of this workspace (invitations) and mail to its members (password resets), newest first. */
export async function listOutbox(ctx: Ctx) {
  authorize(ctx.actor, "outbox.read");
  const { workspaceId } = currentWorkspace(ctx);
  const memberEmails = ctx.db
    .select({ email: sql`lower(${users.email})` })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId));
  const rows = await ctx.db
    .select()
    .from(mailOutbox)
    .where(or(eq(mailOutbox.workspaceId, workspaceId), inArray(sql`lower(${mailOutbox.toAddress})`, memberEmails)))
    .orderBy(desc(mailOutbox.createdAt))
    .limit(200);
  return {
    delivering: ctx.services.mailer.delivers,
    mails: rows.map((m) => ({
      id: m.id,
      to: m.toAddress,
      subject: m.subject,
      text: m.text,
      createdAt: m.createdAt.toISOString(),
      sentAt: m.sentAt?.toISOString() ?? null,
      lastError: m.lastError,
    })),
  };
}
