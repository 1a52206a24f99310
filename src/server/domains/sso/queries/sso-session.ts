import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { ssoSessions } from "../sso.schema";

/** The workspace whose provider started this session, or null when it was not started by single sign-on. */
export async function ssoWorkspaceOfSession(db: Db, sessionId: string): Promise<string | null> {
  const [row] = await db.select({ workspaceId: ssoSessions.workspaceId }).from(ssoSessions).where(eq(ssoSessions.sessionId, sessionId));
  return row?.workspaceId ?? null;
}
