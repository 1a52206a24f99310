import { and, eq, gt, isNull, or } from "drizzle-orm";
import type { TokenScope } from "../../../../contracts/roles";
import type { Services } from "../../../context";
import { hashToken } from "../../../crypto/secrets";
import { apiTokens, sessions, users } from "../identity.schema";
import { ssoSessions } from "../../sso/sso.schema";
import type { User } from "./find-user";

export type Authenticated =
  | {
      via: "session";
      user: User;
      sessionId: string;
      mfaVerified: boolean;
      workspaceId: string | null;
      /** Set when single sign-on started the session: the workspace whose provider vouched for it (and its only one). */
      ssoWorkspaceId: string | null;
    }
  | { via: "api_token"; user: User; tokenId: string; scopes: TokenScope[]; workspaceId: string };

// Touch last-seen at most once a minute: enough for the sessions page, light on the database.
const TOUCH_EVERY_MS = 60_000;

/** Resolves a session cookie to a live session and its user, or null (expired, idle, revoked, disabled). */
export async function authenticateSession(services: Services, token: string): Promise<Authenticated | null> {
  const db = services.database.db;
  const now = services.clock();
  const [row] = await db
    .select({ session: sessions, user: users, ssoWorkspaceId: ssoSessions.workspaceId })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(ssoSessions, eq(ssoSessions.sessionId, sessions.id))
    .where(and(eq(sessions.tokenHash, hashToken(token)), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .limit(1);
  if (!row || row.user.disabledAt) return null;
  const idleLimit = new Date(now.getTime() - services.config.session.idleMinutes * 60_000);
  if (row.session.lastSeenAt < idleLimit) {
    await db.update(sessions).set({ revokedAt: now, revokedReason: "idle" }).where(eq(sessions.id, row.session.id));
    return null;
  }
  if (now.getTime() - row.session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, row.session.id));
  }
  return {
    via: "session",
    user: row.user,
    sessionId: row.session.id,
    mfaVerified: row.session.mfaVerified,
    workspaceId: row.session.workspaceId,
    ssoWorkspaceId: row.ssoWorkspaceId ?? null,
  };
}

/** Resolves a personal API token (`Authorization: Bearer ppt_…`), or null (unknown, revoked, expired, disabled). */
export async function authenticateApiToken(services: Services, token: string): Promise<Authenticated | null> {
  const db = services.database.db;
  const now = services.clock();
  const [row] = await db
    .select({ token: apiTokens, user: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), isNull(apiTokens.revokedAt), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now))))
    .limit(1);
  if (!row || row.user.disabledAt) return null;
  if (!row.token.lastUsedAt || now.getTime() - row.token.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.token.id));
  }
  return { via: "api_token", user: row.user, tokenId: row.token.id, scopes: row.token.scopes as TokenScope[], workspaceId: row.token.workspaceId };
}

/** Remembers which workspace a session is working in. */
export async function setSessionWorkspace(services: Services, sessionId: string, workspaceId: string): Promise<void> {
  await services.database.db.update(sessions).set({ workspaceId }).where(eq(sessions.id, sessionId));
}
