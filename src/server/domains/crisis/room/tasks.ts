import { and, asc, eq, sql } from "drizzle-orm";
import type { TASK_KINDS } from "../../../../contracts/crisis-plans";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { invalidInput } from "../../../errors";
import { membershipOf } from "../../workspaces";
import { crisisTasks } from "../crisis.schema";
import { recordCrisisEvent } from "../timeline";
import { actorId, crisisForAction, roomCrisis } from "./access";
import { namesOf } from "./names";
import { crisisTaskNotFound } from "./room.errors";

type TaskRow = typeof crisisTasks.$inferSelect;

export type CreateTaskInput = { title: string; description?: string; kind?: string; ownerId?: string | null; ownerRole?: string | null; dueAt?: string | null };
export type UpdateTaskInput = { status?: "open" | "done" | "skipped"; ownerId?: string | null; dueAt?: string | null; title?: string };

function presentTask(row: TaskRow, names: Map<string, string>, now: Date) {
  return {
    id: row.id,
    source: row.source,
    planStepId: row.planStepId,
    kind: row.kind as (typeof TASK_KINDS)[number],
    title: row.title,
    description: row.description,
    ownerRole: row.ownerRole,
    ownerId: row.ownerId,
    ownerName: row.ownerId ? (names.get(row.ownerId) ?? null) : null,
    dueAt: row.dueAt?.toISOString() ?? null,
    status: row.status as "open" | "done" | "skipped",
    overdue: row.status === "open" && row.dueAt !== null && row.dueAt.getTime() < now.getTime(),
    doneAt: row.doneAt?.toISOString() ?? null,
    doneByName: row.doneBy ? (names.get(row.doneBy) ?? null) : null,
    lastRemindedAt: row.lastRemindedAt?.toISOString() ?? null,
    updatesPlan: row.updatesPlan,
    createdAt: row.createdAt.toISOString(),
  };
}

async function presentTasks(tx: Ctx, rows: TaskRow[]) {
  const names = await namesOf(tx, rows.flatMap((r) => [r.ownerId, r.doneBy]));
  return rows.map((r) => presentTask(r, names, tx.now()));
}

function parseDue(value: string | null | undefined): Date | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw invalidInput({ dueAt: ["Not a date and time"] });
  return at;
}

async function checkOwner(tx: Ctx, workspaceId: string, ownerId: string | null | undefined) {
  if (!ownerId) return;
  if (!(await membershipOf(tx.db, ownerId, workspaceId))) throw invalidInput({ ownerId: ["Choose someone in this workspace"] });
}

/** The crisis's tasks (response tasks and the review's action items): open ones first by due time; overdue ones marked. */
export async function listTasks(ctx: Ctx, crisisId: string) {
  authorize(ctx.actor, "crisis.read");
  return inTransaction(ctx, async (tx) => {
    await roomCrisis(tx, crisisId);
    const rows = await tx.db
      .select()
      .from(crisisTasks)
      .where(eq(crisisTasks.crisisId, crisisId))
      .orderBy(sql`case ${crisisTasks.status} when 'open' then 0 else 1 end`, sql`${crisisTasks.dueAt} asc nulls last`, asc(crisisTasks.position), asc(crisisTasks.createdAt));
    const tasks = await presentTasks(tx, rows);
    return { tasks, overdue: tasks.filter((t) => t.overdue).length };
  });
}

/** Adds an ad hoc task (research, publishing, engagement…) with an owner and a due time. */
export async function createTask(ctx: Ctx, crisisId: string, input: CreateTaskInput) {
  authorize(ctx.actor, "crisis.respond");
  return inTransaction(ctx, async (tx) => {
    const crisis = await crisisForAction(tx, crisisId);
    await checkOwner(tx, crisis.workspaceId, input.ownerId);
    const dueAt = parseDue(input.dueAt) ?? null;
    const [row] = await tx.db
      .insert(crisisTasks)
      .values({
        crisisId,
        source: "adhoc",
        kind: input.kind ?? "other",
        title: input.title.trim(),
        description: input.description?.trim() ?? "",
        ownerId: input.ownerId ?? null,
        ownerRole: input.ownerRole ?? null,
        dueAt,
        createdAt: tx.now(),
      })
      .returning();
    await recordCrisisEvent(tx, crisisId, "task_created", { taskId: row.id, title: row.title, ownerId: row.ownerId, dueAt: dueAt?.toISOString() ?? null, source: "adhoc" });
    await tx.audit({ type: "crisis.task_created", data: { crisisId, taskId: row.id, title: row.title } }, { type: "crisis", id: crisisId });
    return (await presentTasks(tx, [row]))[0];
  });
}

/** Marks a task done or skipped (or open again), hands it to someone else, or moves its due time. */
export async function updateTask(ctx: Ctx, crisisId: string, taskId: string, input: UpdateTaskInput) {
  authorize(ctx.actor, "crisis.respond");
  return inTransaction(ctx, async (tx) => {
    const crisis = await crisisForAction(tx, crisisId);
    const [task] = await tx.db.select().from(crisisTasks).where(and(eq(crisisTasks.id, taskId), eq(crisisTasks.crisisId, crisisId))).for("update");
    if (!task) throw crisisTaskNotFound();
    await checkOwner(tx, crisis.workspaceId, input.ownerId);
    const dueAt = parseDue(input.dueAt);
    const changes: Partial<TaskRow> = {};
    if (input.title !== undefined) changes.title = input.title.trim();
    if (input.ownerId !== undefined) changes.ownerId = input.ownerId;
    if (dueAt !== undefined) {
      changes.dueAt = dueAt;
      changes.lastRemindedAt = null; // a new due time is reminded again
    }
    if (input.status !== undefined && input.status !== task.status) {
      changes.status = input.status;
      changes.doneAt = input.status === "open" ? null : tx.now();
      changes.doneBy = input.status === "open" ? null : actorId(tx);
    }
    if (!Object.keys(changes).length) return (await presentTasks(tx, [task]))[0];
    const [row] = await tx.db.update(crisisTasks).set(changes).where(eq(crisisTasks.id, taskId)).returning();
    if (changes.status === "done" || changes.status === "skipped") {
      const late = task.dueAt !== null && task.dueAt.getTime() < tx.now().getTime();
      await recordCrisisEvent(tx, crisisId, "task_done", { taskId, title: row.title, status: changes.status, planStepId: row.planStepId, dueAt: task.dueAt?.toISOString() ?? null, late });
    }
    await tx.audit(
      { type: "crisis.task_updated", data: { crisisId, taskId, changes: Object.keys(changes).filter((k) => !["doneAt", "doneBy", "lastRemindedAt"].includes(k)), status: row.status } },
      { type: "crisis", id: crisisId },
    );
    return (await presentTasks(tx, [row]))[0];
  });
}
