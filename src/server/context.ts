import type { Config } from "./config";
import type { Actor } from "./authz";
import type { Db, Database } from "./db/client";
import type { Logger } from "./log";
import type { SecretBox } from "./crypto/secrets";
import type { Mailer } from "./mail/mailer";
import type { NetworkRegistry } from "./networks/registry";
import { and, eq, gt, isNull, or } from "drizzle-orm";
import { appendAuditEvent } from "./audit/append";
import { apiTokens, sessions } from "./domains/identity/identity.schema";
import { memberships } from "./domains/workspaces/workspaces.schema";
import { unauthenticated } from "./errors";
import { auditChainKey } from "./audit/chain";
import type { AuditEvent, AuditTarget } from "./audit/events";

/** Long-lived things a process holds once: configuration, database, key, mailer, clock, logger, network connectors. */
export type Services = {
  config: Config;
  database: Database;
  secrets: SecretBox;
  mailer: Mailer;
  log: Logger;
  /** The current time; tests replace it to move through expiry and lockout windows. */
  clock: () => Date;
  /** The social networks channels can be connected to (one connector each). */
  networks: NetworkRegistry;
};

export type RequestMeta = { ip: string | null; userAgent: string | null };

/**
 * Ctx is passed to every command: who acts, in which workspace, with which database handle (inside
 * `inTransaction`, the open transaction), and the audit writer bound to that same handle.
 */
export type Ctx = {
  services: Services;
  db: Db;
  actor: Actor;
  workspaceId: string | null;
  request: RequestMeta;
  log: Logger;
  now(): Date;
  /** Writes a typed audit event in the current transaction. */
  audit(event: AuditEvent, target?: AuditTarget): Promise<void>;
  /** Runs `fn` after the transaction commits (never if it rolls back). */
  afterCommit(fn: () => Promise<void> | void): void;
  /** True inside `inTransaction`: a nested one joins the outer transaction's after-commit tasks. */
  transactional: boolean;
};

export function createCtx(
  services: Services,
  init: { actor: Actor; workspaceId: string | null; request?: RequestMeta; db?: Db; afterCommit?: Ctx["afterCommit"]; transactional?: boolean },
): Ctx {
  const db = init.db ?? services.database.db;
  const request = init.request ?? { ip: null, userAgent: null };
  const ctx: Ctx = {
    services,
    db,
    actor: init.actor,
    workspaceId: init.workspaceId,
    request,
    log: services.log,
    now: services.clock,
    audit: async (event, target) =>
      appendAuditEvent(
        db,
        { workspaceId: ctx.workspaceId, actor: ctx.actor, ip: request.ip, userAgent: request.userAgent, now: services.clock(), chainKey: await auditChainKey(db, services.secrets) },
        event,
        target,
      ),
    transactional: init.transactional ?? false,
    afterCommit:
      init.afterCommit ??
      ((fn) => {
        // Outside a transaction there is nothing to wait for.
        void Promise.resolve(fn()).catch((err) => services.log.error({ err }, "after-commit task failed"));
      }),
  };
  return ctx;
}

/**
 * Runs `fn` in one transaction with a ctx bound to it; after-commit tasks run once it has committed. Inside
 * another transaction it becomes a savepoint, and its after-commit tasks wait for the outermost commit.
 */
export async function inTransaction<T>(ctx: Ctx, fn: (tx: Ctx) => Promise<T>): Promise<T> {
  const pending: Array<() => Promise<void> | void> = [];
  const afterCommit = ctx.transactional ? ctx.afterCommit : (f: () => Promise<void> | void) => void pending.push(f);
  const result = await ctx.db.transaction(async (tx) => {
    const txCtx = createCtx(ctx.services, { actor: ctx.actor, workspaceId: ctx.workspaceId, request: ctx.request, db: tx as unknown as Db, afterCommit, transactional: true });
    if (!ctx.transactional) await confirmActorStillAllowed(txCtx);
    return fn(txCtx);
  });
  for (const task of pending) {
    await Promise.resolve(task()).catch((err) => ctx.log.error({ err }, "after-commit task failed"));
  }
  return result;
}

/**
 * A request checks its session or token when it arrives; removing someone's access may happen while it runs. Every
 * transaction of a person therefore checks again, first thing, that their session or API token and their membership
 * still stand: once an offboarding has committed, nothing more is written for that person, even by a request that
 * was already running. (Plain reads, no row locks: a lock here would deadlock with the membership locks that role
 * changes and removals take. A transaction already under way when the offboarding commits may still finish.)
 */
async function confirmActorStillAllowed(tx: Ctx): Promise<void> {
  const actor = tx.actor;
  if (actor.type !== "user") return;
  const now = tx.now();
  if (actor.sessionId) {
    const [session] = await tx.db
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(eq(sessions.id, actor.sessionId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
    if (!session) throw unauthenticated("Your session has ended: sign in again");
  }
  if (actor.tokenId) {
    const [token] = await tx.db
      .select({ id: apiTokens.id })
      .from(apiTokens)
      .where(and(eq(apiTokens.id, actor.tokenId), isNull(apiTokens.revokedAt), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now))));
    if (!token) throw unauthenticated("This API token was revoked or has expired");
  }
  if (tx.workspaceId && actor.role) {
    const [member] = await tx.db
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.workspaceId, tx.workspaceId), eq(memberships.userId, actor.userId)));
    if (!member) throw unauthenticated("You are no longer a member of this workspace");
  }
}

/** A ctx for work the system does by itself (jobs, CLI, demo seeding), not on behalf of a signed-in person. */
export function unsafeSystemCtx(services: Services, label: string, workspaceId: string | null = null): Ctx {
  return createCtx(services, { actor: { type: "system", label }, workspaceId });
}

/** The same ctx (same transaction) acting as someone else, e.g. the person who just signed in. */
export function withActor(ctx: Ctx, actor: Actor, workspaceId: string | null = ctx.workspaceId): Ctx {
  return createCtx(ctx.services, { actor, workspaceId, request: ctx.request, db: ctx.db, afterCommit: ctx.afterCommit, transactional: ctx.transactional });
}
