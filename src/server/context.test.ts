import { afterAll, beforeAll, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { inTransaction, unsafeSystemCtx } from "./context";
import { describeEachDatabase } from "../../test/support/databases";
import { createTestServices, type TestServices } from "../../test/support/services";

describeEachDatabase("transactions and after-commit tasks", (kind) => {
  let services: TestServices;
  beforeAll(async () => {
    services = await createTestServices(kind);
  });
  afterAll(() => services.close());

  it("runs a nested transaction's after-commit task only once the outermost transaction has committed", async () => {
    const ran: string[] = [];
    await inTransaction(unsafeSystemCtx(services, "test"), async (outer) => {
      await inTransaction(outer, async (inner) => {
        inner.afterCommit(async () => {
          // Reads through the pool/connection outside the transaction: on PGlite this would wait forever if the
          // outer transaction were still open.
          await services.database.db.execute(sql`select 1`);
          ran.push("inner task");
        });
      });
      ran.push("outer body done");
    });
    expect(ran).toEqual(["outer body done", "inner task"]);
  });

  it("never runs a nested transaction's after-commit task when the outer transaction rolls back", async () => {
    const ran: string[] = [];
    await expect(
      inTransaction(unsafeSystemCtx(services, "test"), async (outer) => {
        await inTransaction(outer, async (inner) => {
          inner.afterCommit(() => void ran.push("inner task"));
        });
        throw new Error("outer fails after the inner transaction finished");
      }),
    ).rejects.toThrow("outer fails");
    expect(ran).toEqual([]);
  });
});
