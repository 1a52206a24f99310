import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";

/** A Drizzle handle: the database itself or an open transaction (same query API). */
export type Db = PgDatabase<PgQueryResultHKT>;

export type Database = {
  kind: "pglite" | "postgres";
  db: Db;
  /** Plain SQL with positional parameters; used by pg-boss and a few maintenance queries. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  migrate(): Promise<void>;
  close(): Promise<void>;
};

/** The rows of a raw `db.execute(sql\`…\`)`: node-postgres answers `{ rows }`, PGlite's driver the same or an array. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../migrations");

// Any stable number: all processes migrating one PostgreSQL take this lock, so only one migrates at a time.
const MIGRATION_LOCK_ID = 7_214_310_301;

/** Opens PostgreSQL when a URL is given, otherwise PGlite in `dataDir` (or in memory when dataDir is "memory"). */
export async function openDatabase(options: { databaseUrl?: string; dataDir?: string | "memory"; onPoolError?: (err: Error) => void }): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.onPoolError);
  return openPglite(options.dataDir ?? "memory");
}

async function openPglite(dataDir: string): Promise<Database> {
  let client: PGlite;
  if (dataDir === "memory") client = new PGlite();
  else {
    const dir = path.join(dataDir, "pglite");
    fs.mkdirSync(dir, { recursive: true });
    client = new PGlite(dir);
  }
  await client.waitReady;
  const db = drizzlePglite(client) as unknown as Db;
  return {
    kind: "pglite",
    db,
    // Without parameters, run as a simple query so multi-statement scripts (pg-boss's schema) work as on pg.
    query: async (text, params) =>
      (params?.length ? (await client.query(text, params as unknown[])).rows : ((await client.exec(text)).at(-1)?.rows ?? [])) as never,
    migrate: () => migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_DIR }),
    close: () => client.close(),
  };
}

async function openPostgres(url: string, onPoolError: (err: Error) => void = (err) => console.error("database connection error", err)): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection the server drops (restart, failover) emits "error" on the pool; unhandled, it would end
  // the process. The pool replaces the connection by itself, so logging is all that is needed.
  pool.on("error", onPoolError);
  await pool.query("select 1");
  const db = drizzlePg(pool) as unknown as Db;
  return {
    kind: "postgres",
    db,
    query: async (text, params) => (await pool.query(text, params as unknown[])).rows,
    migrate: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
        await migratePg(drizzlePg(client), { migrationsFolder: MIGRATIONS_DIR });
      } finally {
        await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]).catch(() => undefined);
        await client.end();
      }
    },
    close: () => pool.end(),
  };
}

/** True when every committed migration has been applied (used by /readyz). */
export async function migrationsApplied(database: Database): Promise<boolean> {
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_DIR, "meta/_journal.json"), "utf8")) as { entries: unknown[] };
  const rows = await database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`).catch(() => null);
  if (!rows) return false;
  const list = (Array.isArray(rows) ? rows : (rows as { rows: Array<{ n: number }> }).rows) as Array<{ n: number }>;
  return list[0]?.n === journal.entries.length;
}
