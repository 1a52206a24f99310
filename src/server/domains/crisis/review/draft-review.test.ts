import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../../../../../test/support/databases";
import { buildWorkspace } from "../../../../../test/support/factories";
import { createTestServices, type TestServices } from "../../../../../test/support/services";
import { inTransaction, unsafeSystemCtx } from "../../../context";
import { crises, crisisReviews, crisisStatements, crisisStatusUpdates } from "../crisis.schema";
import { recordCrisisEvent } from "../timeline";
import { draftReview } from "./draft-review";
import { insertCrisis, reviewFixture } from "./review-fixture.test-support";

const MINUTE = 60_000;

describeEachDatabase("drafting the post-crisis review", (kind) => {
  let services: TestServices;
  let workspaceId: string;
  let people: Awaited<ReturnType<typeof buildWorkspace>>["people"];
  let planId: string;

  beforeAll(async () => {
    services = await createTestServices(kind);
    ({ workspace: { id: workspaceId }, people } = await buildWorkspace(services));
    ({ plan: { id: planId } } = await reviewFixture(services, workspaceId, { lead: people.manager.id, backup: people.admin.id }));
  });
  afterAll(() => services.close());

  it("drafts the review from the recorded timeline when the crisis closes, with the lead as owner, and keeps what people wrote when drafted again", async () => {
    const ctx = unsafeSystemCtx(services, "test", workspaceId);
    const declaredAt = services.clock();
    const crisis = await inTransaction(ctx, async (tx) => {
      const row = await insertCrisis(tx, { workspaceId, planId, declaredBy: people.manager.id, lead: people.manager.id, backup: people.admin.id, detectedAt: new Date(declaredAt.getTime() - 4 * MINUTE) });
      await recordCrisisEvent(tx, row.id, "declared", { status: "triage" });
      return row;
    });
    const step = async (minutes: number, fn: (tx: Parameters<Parameters<typeof inTransaction>[1]>[0]) => Promise<unknown>) => {
      services.clock.advance(minutes * MINUTE);
      await inTransaction(ctx, fn);
    };
    await step(3, (tx) => recordCrisisEvent(tx, crisis.id, "crisis_mode_on", { pause: true, lockdown: true }, { pinned: true }));
    await step(2, (tx) => recordCrisisEvent(tx, crisis.id, "status_changed", { from: "triage", to: "active" }));
    await step(5, (tx) =>
      tx.db.insert(crisisStatements).values({
        crisisId: crisis.id, kind: "holding", locale: "en", body: "We hear you.", status: "in_review",
        approverId: people.manager.id, backupApproverId: people.admin.id, submittedAt: tx.now(),
      }),
    );
    await step(20, async (tx) => {
      const now = tx.now();
      await tx.db
        .update(crisisStatements)
        .set({ status: "published", escalatedAt: new Date(now.getTime() - 5 * MINUTE), decidedBy: people.admin.id, decidedAt: new Date(now.getTime() - MINUTE), publishedAt: now })
        .where(eq(crisisStatements.crisisId, crisis.id));
      await tx.db.update(crises).set({ firstPublicResponseAt: now }).where(eq(crises.id, crisis.id));
    });
    await step(0, (tx) => tx.db.insert(crisisStatusUpdates).values({ crisisId: crisis.id, kind: "tactical", body: { conditions: "", actions: "", needs: "" }, createdAt: tx.now() }));
    await step(30, async (tx) => {
      await recordCrisisEvent(tx, crisis.id, "status_changed", { from: "active", to: "closed" });
      await tx.db.update(crises).set({ status: "closed", closedAt: tx.now() }).where(eq(crises.id, crisis.id));
      const review = await draftReview(tx, crisis.id);
      expect(review.status).toBe("draft");
      expect(review.ownerId).toBe(people.manager.id);
    });

    const [stored] = await services.database.db.select().from(crisisReviews).where(eq(crisisReviews.crisisId, crisis.id));
    const figures = stored.figures as Record<string, any>;
    expect(figures.timeToDeclareMinutes).toBe(4);
    expect(figures.timeToPauseMinutes).toBe(3);
    expect(figures.timeToFirstPublicResponseMinutes).toBe(30);
    expect(figures.durationMinutes).toBe(60);
    expect(figures.stateMinutes).toEqual({ triage: 5, active: 55, stable: 0 });
    expect(figures.statements).toMatchObject([{ kind: "holding", approvalMinutes: 19, escalated: true, approvedByBackup: true }]);
    expect(figures.cadence.internal).toMatchObject({ intervalMinutes: 30, sent: 1, gaps: 2, kept: true });
    expect(figures.timeline.map((m: { type: string }) => m.type)).toEqual(["declared", "crisis_mode_on", "status_changed"]);

    // People write; a held post is decided later; drafting again recomputes the figures and keeps the text.
    await services.database.db.update(crisisReviews).set({ content: { ...(stored.content as object), wentWell: "The backup approved in time." } }).where(eq(crisisReviews.crisisId, crisis.id));
    await step(5, async (tx) => {
      await recordCrisisEvent(tx, crisis.id, "note", {}, { text: "late note", pinned: true });
      await draftReview(tx, crisis.id);
    });
    const [again] = await services.database.db.select().from(crisisReviews).where(eq(crisisReviews.crisisId, crisis.id));
    expect((again.content as Record<string, string>).wentWell).toBe("The backup approved in time.");
    expect((again.figures as Record<string, any>).timeline).toHaveLength(4);

    // A published review is not touched.
    await services.database.db.update(crisisReviews).set({ status: "published" }).where(eq(crisisReviews.crisisId, crisis.id));
    await step(1, (tx) => draftReview(tx, crisis.id));
    const [published] = await services.database.db.select().from(crisisReviews).where(eq(crisisReviews.crisisId, crisis.id));
    expect(published.figures).toEqual(again.figures);
  });
});
