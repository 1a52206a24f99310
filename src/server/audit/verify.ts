import { asc, eq, gt } from "drizzle-orm";
import type { Db } from "../db/client";
import { auditChainHead, auditEvents } from "./audit.schema";
import { hashRow } from "./chain";

export type VerifyResult =
  | { ok: true; rows: number; lastSeq: number }
  | { ok: false; rows: number; firstBadSeq: number; problem: "edited" | "removed_or_reordered" | "tail_removed"; message: string };

const PAGE = 1000;

/** Walks the whole chain in order and reports the first row that was edited, removed or reordered. */
export async function verifyAuditChain(db: Db, chainKey: Buffer): Promise<VerifyResult> {
  let prevHash = "genesis";
  let expectedSeq = 1;
  let rows = 0;
  for (;;) {
    const page = await db.select().from(auditEvents).where(gt(auditEvents.seq, expectedSeq - 1)).orderBy(asc(auditEvents.seq)).limit(PAGE);
    for (const row of page) {
      if (row.seq !== expectedSeq || row.prevHash !== prevHash) {
        return {
          ok: false,
          rows,
          firstBadSeq: row.seq,
          problem: "removed_or_reordered",
          message: `audit row #${row.seq} does not follow row #${expectedSeq - 1}: a row before it was removed or the rows were reordered`,
        };
      }
      const { hash, id: _id, ...content } = row;
      if (hashRow(content, chainKey) !== hash) {
        return { ok: false, rows, firstBadSeq: row.seq, problem: "edited", message: `audit row #${row.seq} (${row.action}) was edited after it was written` };
      }
      prevHash = hash;
      expectedSeq += 1;
      rows += 1;
    }
    if (page.length < PAGE) break;
  }
  const [head] = await db.select().from(auditChainHead).where(eq(auditChainHead.id, "head"));
  if (!head) {
    // The migration writes the head and every append updates it: without it, a cut-off tail would go unnoticed.
    return {
      ok: false,
      rows,
      firstBadSeq: rows + 1,
      problem: "tail_removed",
      message: `the chain head record is missing, so rows after #${rows} may have been removed unnoticed`,
    };
  }
  if (head.lastSeq !== rows || head.lastHash !== prevHash) {
    return {
      ok: false,
      rows,
      firstBadSeq: rows + 1,
      problem: "tail_removed",
      message: `the chain ends at row #${rows} but row #${head.lastSeq} was written: rows after #${rows} were removed`,
    };
  }
  return { ok: true, rows, lastSeq: rows };
}
