import { and, eq } from "drizzle-orm";
import { auditChainKey } from "../audit/chain";
import { inTransaction, type Ctx } from "../context";
import type { PgTable } from "drizzle-orm/pg-core";
import { SEALED_COLUMNS } from "./sealed-columns";
import { checkSealedValues, sealedRowsAfter, sealedValuesUnreadable, type SealedValuesCheck } from "./check-sealed-values";

export type RotateKeysOptions = {
  /** Rows re-sealed per transaction. */
  batchSize?: number;
  /** True when this run made a new key file first (`--new-key`): recorded in the audit event. */
  newKey?: boolean;
  /** Called after each committed batch. */
  onProgress?: (progress: { column: string; resealed: number }) => void | Promise<void>;
};

export type RotateKeysResult = {
  keyId: string;
  /** Values re-sealed by this run, per "table.column". */
  resealed: Record<string, number>;
  total: number;
  /** The state after the run: what is still on a previous key (only what another process sealed meanwhile). */
  after: SealedValuesCheck;
};

/**
 * Re-seals with the current key every sealed value that needs a previous key (or is in the older v1 format):
 * channel credentials, pending OAuth connects, MFA secrets and the keys in `server_keys` (among them the audit
 * chain's, so the chain keeps verifying). Refuses first, changing nothing, if some value no given key opens.
 *
 * Each batch is one transaction that locks its rows and replaces a value only if it is still the one read, so a
 * crash leaves every value sealed with either the current key or the previous one (both readable), and a second
 * run re-seals only what is left. Ends with a `keys.rotated` audit event.
 */
export async function rotateKeys(ctx: Ctx, options: RotateKeysOptions = {}): Promise<RotateKeysResult> {
  const { secrets, database } = ctx.services;
  const batchSize = options.batchSize ?? 200;
  const before = await checkSealedValues(database.db, secrets);
  if (before.totals.unknown > 0) throw sealedValuesUnreadable(before);
  // The audit chain key row exists before any rotation, made with the key the chain was written with.
  await auditChainKey(database.db, secrets);

  const resealed: Record<string, number> = {};
  for (const column of SEALED_COLUMNS) {
    resealed[column.name] = 0;
    let after: string | undefined;
    for (;;) {
      const batch = await inTransaction(ctx, async (tx) => {
        const rows = await sealedRowsAfter(tx.db, column, after, batchSize, { notSealedWith: secrets, forUpdate: true });
        let changed = 0;
        for (const row of rows) {
          const set: Record<string, unknown> = { [column.field]: secrets.seal(secrets.open(row.value)) };
          if (column.resealedAtField) set[column.resealedAtField] = tx.now();
          const updated = await tx.db
            .update(column.table as PgTable)
            .set(set)
            .where(and(eq(column.key, row.key), eq(column.value, row.value)))
            .returning({ key: column.key });
          changed += updated.length;
        }
        return { rows, changed };
      });
      resealed[column.name] += batch.changed;
      if (batch.rows.length) await options.onProgress?.({ column: column.name, resealed: resealed[column.name] });
      if (batch.rows.length < batchSize) break;
      after = batch.rows[batch.rows.length - 1].key;
    }
  }
  const total = Object.values(resealed).reduce((a, b) => a + b, 0);
  await inTransaction(ctx, (tx) => tx.audit({ type: "keys.rotated", data: { keyId: secrets.keyId, newKey: options.newKey ?? false, resealed, total } }));
  return { keyId: secrets.keyId, resealed, total, after: await checkSealedValues(database.db, secrets) };
}
