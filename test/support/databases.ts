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
      await drop.query(`drop database if exists ${name} with (force)`);
      await drop.end();
    },
  };
}

/** `describe` once per database kind, with the kind in the title: "sign-in [pglite]", "sign-in [postgres]". */
export function describeEachDatabase(title: string, body: (kind: DatabaseKind) => void): void {
  for (const kind of databaseKinds()) describe(`${title} [${kind}]`, () => body(kind));
}
