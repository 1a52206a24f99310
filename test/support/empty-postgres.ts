import { randomBytes } from "node:crypto";
import pg from "pg";
import { testSettings } from "../../src/server/config";

/**
 * An empty PostgreSQL database on TEST_DATABASE_URL's server, not migrated (for tests of `parapet migrate` and of
 * refusing to serve an unmigrated database). `drop()` removes it once its connections are gone.
 */
export async function emptyPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = testSettings().databaseUrl;
  if (!adminUrl) throw new Error("TEST_DATABASE_URL is not set");
  const name = `parapet_empty_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      for (let waited = 0; waited < 5000; waited += 25) {
        const { rows } = await client.query("select count(*)::int as n from pg_stat_activity where datname = $1", [name]);
        if (rows[0].n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
