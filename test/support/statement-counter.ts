import type { PGlite } from "@electric-sql/pglite";
import type { Logger } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import type pg from "pg";
import type { Database, Db } from "../../src/server/db/client";

/**
 * The same database through a Drizzle handle that counts the statements it sends (on the same PGlite or pool, so
 * it sees the same rows): to show how the number of statements a read issues grows, or does not, with the data.
 */
export function countingDatabase(database: Database): { database: Database; statements(): number; sent: string[] } {
  const sent: string[] = [];
  const logger: Logger = { logQuery: (query) => void sent.push(query) };
  const client = (database.db as unknown as { $client: unknown }).$client;
  const db = (database.kind === "pglite" ? drizzlePglite(client as PGlite, { logger }) : drizzlePg(client as pg.Pool, { logger })) as unknown as Db;
  return { database: { ...database, db }, statements: () => sent.length, sent };
}
