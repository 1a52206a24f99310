import { and, eq, inArray, isNotNull, isNull, lte } from "drizzle-orm";
import { inTransaction, unsafeSystemCtx, type Services } from "../../../context";
import { crises, crisisEvents, crisisStatements, crisisTasks } from "../crisis.schema";
import { recordCrisisEvent } from "../timeline";
import { crisisLabel, mailTime } from "./room-mail";
import { holdersOf, mailPerson, roomLink } from "./statements";

const OPEN = ["triage", "active", "stable"];

/**
 * The crisis room's deadlines, run every minute as the system across every workspace (hence unsafe), each item in
 * its own transaction with its row locked:
 * - a statement still in review when its approval deadline passes is escalated: its backup may now decide, and is
 *   mailed (once: `escalatedAt`);
 * - an open task past its due time reminds its owner (or the holder of its role) once per due time (`lastRemindedAt`);
 * - an internal status update past due reminds the crisis lead once per due time (a `reminder_sent` timeline event).
 */
export async function unsafeRunRoomDeadlines(services: Services): Promise<{ escalated: number; tasksReminded: number; updatesReminded: number }> {
  const now = services.clock();
  const db = services.database.db;
  let escalated = 0;
  let tasksReminded = 0;
  let updatesReminded = 0;

  const overdueStatements = await db
    .select({ id: crisisStatements.id, crisisId: crisisStatements.crisisId, workspaceId: crises.workspaceId })
    .from(crisisStatements)
    .innerJoin(crises, eq(crises.id, crisisStatements.crisisId))
    .where(and(eq(crisisStatements.status, "in_review"), isNull(crisisStatements.escalatedAt), lte(crisisStatements.deadlineAt, now)));
  for (const candidate of overdueStatements) {
    const ctx = unsafeSystemCtx(services, "crisis.deadlines", candidate.workspaceId);
    await inTransaction(ctx, async (tx) => {
      const [crisis] = await tx.db.select().from(crises).where(eq(crises.id, candidate.crisisId)).for("update");
      const [row] = await tx.db.select().from(crisisStatements).where(eq(crisisStatements.id, candidate.id)).for("update");
      if (!crisis || !row || row.status !== "in_review" || row.escalatedAt || !row.deadlineAt || row.deadlineAt > tx.now()) return; // decided meanwhile
      await tx.db.update(crisisStatements).set({ escalatedAt: tx.now(), updatedAt: tx.now() }).where(eq(crisisStatements.id, row.id));
      await recordCrisisEvent(tx, crisis.id, "statement_escalated", { statementId: row.id, approverId: row.approverId, backupApproverId: row.backupApproverId, deadlineAt: row.deadlineAt.toISOString() });
      await tx.audit({ type: "crisis.statement_escalated", data: { crisisId: crisis.id, statementId: row.id, backupApproverId: row.backupApproverId } }, { type: "crisis", id: crisis.id });
      if (row.backupApproverId) {
        await mailPerson(tx, crisis, row.backupApproverId, (mail, name, locale) =>
          mail.approval({ name, crisis: crisisLabel(crisis), author: "Parapet", deadline: mailTime(row.deadlineAt!, locale), escalated: true, link: roomLink(tx, crisis.id) }),
        );
      }
      escalated++;
    });
  }

  const overdueTasks = await db
    .select({ id: crisisTasks.id, crisisId: crisisTasks.crisisId, workspaceId: crises.workspaceId })
    .from(crisisTasks)
    .innerJoin(crises, eq(crises.id, crisisTasks.crisisId))
    .where(and(eq(crisisTasks.status, "open"), lte(crisisTasks.dueAt, now), isNull(crisisTasks.lastRemindedAt), inArray(crises.status, OPEN)));
  for (const candidate of overdueTasks) {
    const ctx = unsafeSystemCtx(services, "crisis.deadlines", candidate.workspaceId);
    await inTransaction(ctx, async (tx) => {
      const [crisis] = await tx.db.select().from(crises).where(eq(crises.id, candidate.crisisId));
      const [task] = await tx.db.select().from(crisisTasks).where(eq(crisisTasks.id, candidate.id)).for("update");
      if (!crisis || !task || task.status !== "open" || task.lastRemindedAt || !task.dueAt || task.dueAt > tx.now()) return;
      const ownerId = task.ownerId ?? (task.ownerRole ? (await holdersOf(tx, crisis.id, task.ownerRole)).holder : null) ?? (await holdersOf(tx, crisis.id, "lead")).holder;
      await tx.db.update(crisisTasks).set({ lastRemindedAt: tx.now() }).where(eq(crisisTasks.id, task.id));
      await recordCrisisEvent(tx, crisis.id, "reminder_sent", { about: "task", taskId: task.id, title: task.title, to: ownerId, dueAt: task.dueAt.toISOString() });
      if (ownerId) await mailPerson(tx, crisis, ownerId, (mail, name) => mail.taskOverdue({ name, crisis: crisisLabel(crisis), task: task.title, link: roomLink(tx, crisis.id) }));
      tasksReminded++;
    });
  }

  const updatesDue = await db
    .select({ id: crises.id, workspaceId: crises.workspaceId })
    .from(crises)
    .where(and(inArray(crises.status, OPEN), isNotNull(crises.nextInternalUpdateDueAt), lte(crises.nextInternalUpdateDueAt, now)));
  for (const candidate of updatesDue) {
    const ctx = unsafeSystemCtx(services, "crisis.deadlines", candidate.workspaceId);
    await inTransaction(ctx, async (tx) => {
      const [crisis] = await tx.db.select().from(crises).where(eq(crises.id, candidate.id)).for("update");
      if (!crisis?.nextInternalUpdateDueAt || !OPEN.includes(crisis.status) || crisis.nextInternalUpdateDueAt > tx.now()) return;
      const dueAt = crisis.nextInternalUpdateDueAt.toISOString();
      const reminders = await tx.db
        .select({ data: crisisEvents.data })
        .from(crisisEvents)
        .where(and(eq(crisisEvents.crisisId, crisis.id), eq(crisisEvents.type, "reminder_sent")));
      if (reminders.some((r) => (r.data as { about?: string; dueAt?: string }).about === "status_update" && (r.data as { dueAt?: string }).dueAt === dueAt)) return;
      const lead = (await holdersOf(tx, crisis.id, "lead")).holder ?? crisis.declaredBy;
      await recordCrisisEvent(tx, crisis.id, "reminder_sent", { about: "status_update", to: lead, dueAt });
      if (lead) await mailPerson(tx, crisis, lead, (mail, name) => mail.updateDue({ name, crisis: crisisLabel(crisis), link: roomLink(tx, crisis.id) }));
      updatesReminded++;
    });
  }
  return { escalated, tasksReminded, updatesReminded };
}
