import type { Config } from "./config";
import type { Actor } from "./authz";
import type { Db, Database } from "./db/client";
import type { Logger } from "./log";
import type { SecretBox } from "./crypto/secrets";
import type { Mailer } from "./mail/mailer";
import type { NetworkRegistry } from "./networks/registry";
import { appendAuditEvent } from "./audit/append";
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
  const result = await ctx.db.transaction(async (tx) =>
    fn(createCtx(ctx.services, { actor: ctx.actor, workspaceId: ctx.workspaceId, request: ctx.request, db: tx as unknown as Db, afterCommit, transactional: true })),
  );
  for (const task of pending) {
    await Promise.resolve(task()).catch((err) => ctx.log.error({ err }, "after-commit task failed"));
  }
  return result;
}

/** A ctx for work the system does by itself (jobs, CLI, demo seeding), not on behalf of a signed-in person. */
export function unsafeSystemCtx(services: Services, label: string, workspaceId: string | null = null): Ctx {
  return createCtx(services, { actor: { type: "system", label }, workspaceId });
}

/** The same ctx (same transaction) acting as someone else, e.g. the person who just signed in. */
export function withActor(ctx: Ctx, actor: Actor, workspaceId: string | null = ctx.workspaceId): Ctx {
  return createCtx(ctx.services, { actor, workspaceId, request: ctx.request, db: ctx.db, afterCommit: ctx.afterCommit, transactional: ctx.transactional });
}
