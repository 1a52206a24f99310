import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe } from "vitest";
import { testSettings } from "../../src/server/config";
import { openDatabase, type Database } from "../../src/server/db/client";

export type DatabaseKind = "pglite" | "postgres";

/** The databases integration tests run on: PGlite always, PostgreSQL too when TEST_DATABASE_URL is set. */
export function databaseKinds(): DatabaseKind[] {
  return testSettings().databaseUrl ? ["pglite", "postgres"] : ["pglite"];
}

/**
 * A fresh, migrated, empty database of the given kind. On PostgreSQL each call creates its own database (dropped
 * on close), so test files never see each other's rows.
 */
export async function freshDatabase(kind: DatabaseKind): Promise<Database & { url?: string }> {
  if (kind === "pglite") {
    const db = await openDatabase({ dataDir: "memory" });
    await db.migrate();
    return db;
  }
  const adminUrl = testSettings().databaseUrl!;
  const name = `parapet_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString() });
  await db.migrate();
  return {
    ...db,
    url: url.toString(),
    close: async () => {
      await db.close();
      const drop = new pg.Client({ connectionString: adminUrl });
      await drop.connect();
      // pg's pool.end() resolves before its sockets have closed; forcing the drop while they close makes the
      // server terminate them, and the pool (no error listener left) raises that as an unhandled error.
      for (let waited = 0; waited < 5000; waited += 25) {
        const { rows } = await drop.query("select count(*)::int as n from pg_stat_activity where datname = $1", [name]);
        if (rows[0].n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await drop.query(`drop database if exists ${name} with (force)`);
      await drop.end();
    },
  };
}

/** `describe` once per database kind, with the kind in the title: "sign-in [pglite]", "sign-in [postgres]". */
export function describeEachDatabase(title: string, body: (kind: DatabaseKind) => void): void {
  for (const kind of databaseKinds()) describe(`${title} [${kind}]`, () => body(kind));
}
