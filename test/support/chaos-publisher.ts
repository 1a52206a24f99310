/**
 * One publisher worker process for the chaos test (src/server/domains/publishing/chaos.test.ts), killed with SIGKILL
 * and restarted at random. It publishes to the real Sandbox, but as a network that ignores idempotency keys (as
 * Bluesky does): a second send of the same post makes a second post, so only the publisher's own reconciliation keeps
 * each post on the network once. Every publish waits a little before and after the network takes it, so kills land
 * mid-call, also after the network accepted the post and before the worker heard back.
 *
 * argv: <sandbox account id> ; env: DATABASE_URL, PARAPET_SECRET_KEY, PARAPET_DATA_DIR.
 */
import { randomUUID } from "node:crypto";
import { and, eq, isNull, like } from "drizzle-orm";
import { loadConfig } from "../../src/server/config";
import { startPublisher } from "../../src/server/domains/publishing";
import { sandboxPosts } from "../../src/server/networks/sandbox/sandbox.schema";
import type { Connector } from "../../src/server/networks/types";
import { openServices } from "../../src/server/services";

const accountId = process.argv[2];
const services = await openServices(loadConfig(process.env));
const real = services.networks.connectorFor("sandbox");
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const forgetful: Connector = {
  ...real,
  async publish(credentials, post) {
    await pause(100 + Math.random() * 300);
    // A fresh key per call: the network cannot recognise a repeat.
    const published = await real.publish!(credentials, { ...post, idempotencyKey: `${post.idempotencyKey}:${randomUUID()}` });
    await pause(Math.random() * 200);
    return published;
  },
  // Looks for the post among the account's posts, the way a connector searches a network without keys.
  async findPublished(credentials, idempotencyKey) {
    await real.verify(credentials);
    const [found] = await services.database.db
      .select()
      .from(sandboxPosts)
      .where(and(eq(sandboxPosts.accountId, accountId), like(sandboxPosts.idempotencyKey, `${idempotencyKey}:%`), isNull(sandboxPosts.deletedAt)));
    return found ? { networkPostId: found.id, url: null, publishedAt: found.createdAt.toISOString() } : null;
  },
};
services.networks.register(forgetful);
startPublisher(services, { concurrency: 2, pollMs: 50, timing: { leaseMs: 1500, reconcileAfterMs: 200, retryBaseMs: 100, maxAttempts: 50 } });
process.stdout.write("ready\n");
