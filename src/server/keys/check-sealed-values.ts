import { and, asc, gt, isNotNull, ne, notLike } from "drizzle-orm";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { SecretBox } from "../crypto/secrets";
import { SEALED_COLUMNS, type SealedColumn } from "./sealed-columns";

export type SealedColumnCounts = {
  column: string;
  /** Sealed with the current key. */
  current: number;
  /** Readable with a previous key (or in the older v1 format): `parapet keys rotate` re-seals these. */
  previous: number;
  /** No key this server was given opens them. */
  unknown: number;
  /** The key ids the unknown values name (v1 values name none). */
  unknownKeyIds: string[];
};

export type SealedValuesCheck = {
  keyId: string;
  previousKeyIds: string[];
  columns: SealedColumnCounts[];
  totals: { current: number; previous: number; unknown: number };
};

const PAGE = 500;

/**
 * The non-empty values of a sealed column after `after` (a primary key), in key order; only those not sealed with
 * the key `notSealedWith` names, and locked for the transaction, when asked.
 */
export async function sealedRowsAfter(
  db: Db,
  column: SealedColumn,
  after: string | undefined,
  limit: number,
  options: { notSealedWith?: SecretBox; forUpdate?: boolean } = {},
): Promise<Array<{ key: string; value: string }>> {
  const conditions = [isNotNull(column.value), ne(column.value, "")];
  if (after !== undefined) conditions.push(gt(column.key, after));
  if (options.notSealedWith) conditions.push(notLike(column.value, `${options.notSealedWith.currentPrefix}%`));
  const query = db.select({ key: column.key, value: column.value }).from(column.table).where(and(...conditions)).orderBy(asc(column.key)).limit(limit);
  return (options.forUpdate ? await query.for("update") : await query) as Array<{ key: string; value: string }>;
}

/** Counts, per sealed column, the values on the current key, on a previous key, and on a key this server lacks. Reads only. */
export async function checkSealedValues(db: Db, secrets: SecretBox): Promise<SealedValuesCheck> {
  const columns: SealedColumnCounts[] = [];
  for (const column of SEALED_COLUMNS) {
    const counts: SealedColumnCounts = { column: column.name, current: 0, previous: 0, unknown: 0, unknownKeyIds: [] };
    let after: string | undefined;
    for (;;) {
      const rows = await sealedRowsAfter(db, column, after, PAGE);
      for (const row of rows) {
        const kind = secrets.classify(row.value);
        counts[kind] += 1;
        const id = SecretBox.keyIdIn(row.value);
        if (kind === "unknown" && id && !counts.unknownKeyIds.includes(id)) counts.unknownKeyIds.push(id);
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].key;
    }
    columns.push(counts);
  }
  const sum = (k: "current" | "previous" | "unknown") => columns.reduce((n, c) => n + c[k], 0);
  return { keyId: secrets.keyId, previousKeyIds: secrets.previousKeyIds, columns, totals: { current: sum("current"), previous: sum("previous"), unknown: sum("unknown") } };
}

/** Values no configured key opens: rotation refuses to start (and changes nothing) until the missing key is given. */
export function sealedValuesUnreadable(check: SealedValuesCheck): AppError {
  const where = check.columns.filter((c) => c.unknown > 0).map((c) => `${c.column}: ${c.unknown}`).join(", ");
  const ids = [...new Set(check.columns.flatMap((c) => c.unknownKeyIds))];
  return new AppError(
    "secret_key_unknown",
    503,
    `${check.totals.unknown} sealed value(s) cannot be opened with the current key (${check.keyId}) or a previous one (${check.previousKeyIds.join(", ") || "none given"}) — ${where}${ids.length ? `; sealed with key id(s) ${ids.join(", ")}` : ""}. ` +
      "Give the key they were sealed with in PARAPET_PREVIOUS_SECRET_KEYS (or a line of secret.key.previous in the data folder) and run again. Nothing was changed.",
    undefined,
    { unknown: check.totals.unknown, keyIds: ids },
  );
}
