// How much the tamper-evident audit log costs a command, as ratios measured in one run (machines are noisy).
// Run: npx tsx bench/audit-chain.ts [pglite|postgres]   (postgres needs TEST_DATABASE_URL)
import { eq } from "drizzle-orm";
import { freshDatabase, type DatabaseKind } from "../test/support/databases";
import { inTransaction, unsafeSystemCtx } from "../src/server/context";
import { verifyAuditChain } from "../src/server/audit/verify";
import { AUDIT_CHAIN_KEY } from "../src/server/audit/chain";
import { workspaces } from "../src/server/domains/workspaces/workspaces.schema";
import { createTestServicesOn } from "./support";

const kind = (process.argv[2] ?? "pglite") as DatabaseKind;
const N = 1500;

const database = await freshDatabase(kind);
const services = await createTestServicesOn(database);
const ctx = unsafeSystemCtx(services, "bench");
const [ws] = await database.db.insert(workspaces).values({ name: "Bench", slug: "bench" }).returning();

async function timed(label: string, fn: (i: number) => Promise<unknown>) {
  const start = performance.now();
  for (let i = 0; i < N; i++) await fn(i);
  const ms = performance.now() - start;
  return { label, ms, perSecond: (N / ms) * 1000 };
}

// The same small change (rename a workspace) in its own transaction, without and with its audit event.
const plain = await timed("change only", (i) => inTransaction(ctx, (tx) => tx.db.update(workspaces).set({ name: `Bench ${i}` }).where(eq(workspaces.id, ws.id))));
const audited = await timed("change + audit event", (i) =>
  inTransaction(ctx, async (tx) => {
    await tx.db.update(workspaces).set({ name: `Bench ${i}` }).where(eq(workspaces.id, ws.id));
    await tx.audit({ type: "workspace.updated", data: { before: { name: `Bench ${i - 1}` }, after: { name: `Bench ${i}` } } }, { type: "workspace", id: ws.id });
  }),
);
const verifyStart = performance.now();
const verified = await verifyAuditChain(database.db, services.secrets.deriveKey(AUDIT_CHAIN_KEY));
const verifyMs = performance.now() - verifyStart;

console.log(`audit chain on ${kind}, ${N} commands each`);
console.log(`  ${plain.label}: ${plain.perSecond.toFixed(0)}/s`);
console.log(`  ${audited.label}: ${audited.perSecond.toFixed(0)}/s`);
console.log(`  ratio audited/plain time: ${(audited.ms / plain.ms).toFixed(2)}×`);
console.log(`  verify: ${verified.rows} rows, ${((verified.rows / verifyMs) * 1000).toFixed(0)} rows/s = ${((verified.rows / verifyMs) * 1000 / audited.perSecond).toFixed(1)}× the audited write rate`);
await services.close();
await database.close();
