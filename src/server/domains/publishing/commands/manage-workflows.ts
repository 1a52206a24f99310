import { and, asc, eq, inArray } from "drizzle-orm";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { invalidInput, notFound } from "../../../errors";
import { channels } from "../../channels/channels.schema";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { memberships, teams } from "../../workspaces/workspaces.schema";
import { approvalWorkflows, channelApprovalWorkflows, type ApprovalStep } from "../approvals.schema";

export type WorkflowInput = {
  name: string;
  steps: Array<{ mode: "any" | "all"; approvers: Array<{ kind: "user"; userId: string } | { kind: "team"; teamId: string } | { kind: "role"; role: "owner" | "admin" | "manager" | "member" } | { kind: "external"; email: string; name: string }> }>;
  /** The channels whose posts go through it (each channel has at most one workflow: it moves here). */
  channelIds: string[];
};

type WorkflowRow = typeof approvalWorkflows.$inferSelect;
const present = (w: WorkflowRow, channelIds: string[]) => ({
  id: w.id,
  name: w.name,
  steps: w.steps as WorkflowInput["steps"],
  channelIds,
  createdAt: w.createdAt.toISOString(),
  updatedAt: w.updatedAt.toISOString(),
});

/** The workspace's approval workflows, each with the channels that use it. */
export async function listWorkflows(ctx: Ctx) {
  authorize(ctx.actor, "posts.read");
  const { workspaceId } = currentWorkspace(ctx);
  const rows = await ctx.db.select().from(approvalWorkflows).where(eq(approvalWorkflows.workspaceId, workspaceId)).orderBy(asc(approvalWorkflows.name));
  const assigned = await ctx.db.select().from(channelApprovalWorkflows).where(eq(channelApprovalWorkflows.workspaceId, workspaceId));
  return rows.map((w) => present(w, assigned.filter((a) => a.workflowId === w.id).map((a) => a.channelId)));
}

/** Every person, team and channel a workflow names must be the workspace's; a step needs at least one approver. */
async function check(tx: Ctx, workspaceId: string, input: WorkflowInput): Promise<ApprovalStep[]> {
  const fields: Record<string, string[]> = {};
  if (!input.name.trim()) fields.name = ["Give the workflow a name"];
  if (!input.steps.length) fields.steps = ["Add at least one step"];
  const userIds = input.steps.flatMap((s) => s.approvers.flatMap((a) => (a.kind === "user" ? [a.userId] : [])));
  const teamIds = input.steps.flatMap((s) => s.approvers.flatMap((a) => (a.kind === "team" ? [a.teamId] : [])));
  const members = new Set(userIds.length ? (await tx.db.select({ id: memberships.userId }).from(memberships).where(and(eq(memberships.workspaceId, workspaceId), inArray(memberships.userId, userIds)))).map((m) => m.id) : []);
  const known = new Set(teamIds.length ? (await tx.db.select({ id: teams.id }).from(teams).where(and(eq(teams.workspaceId, workspaceId), inArray(teams.id, teamIds)))).map((t) => t.id) : []);
  for (const [i, step] of input.steps.entries()) {
    if (!step.approvers.length) fields[`steps.${i}.approvers`] = ["Name at least one approver"];
    const keys = step.approvers.map((a) => (a.kind === "external" ? `external:${a.email.toLowerCase()}` : JSON.stringify(a)));
    if (new Set(keys).size !== keys.length) fields[`steps.${i}.approvers`] = ["Each approver once per step"];
    for (const [j, a] of step.approvers.entries()) {
      if (a.kind === "user" && !members.has(a.userId)) fields[`steps.${i}.approvers.${j}`] = ["Not a member of this workspace"];
      if (a.kind === "team" && !known.has(a.teamId)) fields[`steps.${i}.approvers.${j}`] = ["No such team in this workspace"];
    }
  }
  if (input.channelIds.length) {
    const found = await tx.db.select({ id: channels.id }).from(channels).where(and(eq(channels.workspaceId, workspaceId), inArray(channels.id, input.channelIds)));
    if (found.length !== new Set(input.channelIds).size) fields.channelIds = ["One of these channels is not in this workspace"];
  }
  if (Object.keys(fields).length) throw invalidInput(fields);
  return input.steps.map((s) => ({ mode: s.mode, approvers: s.approvers.map((a) => (a.kind === "external" ? { kind: "external" as const, email: a.email.trim().toLowerCase(), name: a.name.trim() } : a)) }));
}

async function assign(tx: Ctx, workspaceId: string, workflowId: string, channelIds: string[]) {
  await tx.db.delete(channelApprovalWorkflows).where(and(eq(channelApprovalWorkflows.workspaceId, workspaceId), eq(channelApprovalWorkflows.workflowId, workflowId)));
  for (const channelId of new Set(channelIds)) {
    await tx.db
      .insert(channelApprovalWorkflows)
      .values({ channelId, workspaceId, workflowId })
      .onConflictDoUpdate({ target: channelApprovalWorkflows.channelId, set: { workflowId } });
  }
}

/** Defines a workflow and the channels it applies to (posts already in review keep the steps they were submitted with). */
export async function createWorkflow(ctx: Ctx, input: WorkflowInput) {
  authorize(ctx.actor, "approvals.manage");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const steps = await check(tx, workspaceId, input);
    const now = tx.now();
    const [row] = await tx.db.insert(approvalWorkflows).values({ workspaceId, name: input.name.trim(), steps, createdAt: now, updatedAt: now }).returning();
    await assign(tx, workspaceId, row.id, input.channelIds);
    await tx.audit({ type: "approval_workflow.created", data: { workflowId: row.id, name: row.name, steps, channelIds: [...new Set(input.channelIds)] } }, { type: "approval_workflow", id: row.id });
    return present(row, [...new Set(input.channelIds)]);
  });
}

/** Replaces a workflow's name, steps and channels. */
export async function updateWorkflow(ctx: Ctx, input: WorkflowInput & { workflowId: string }) {
  authorize(ctx.actor, "approvals.manage");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const [before] = await tx.db.select().from(approvalWorkflows).where(and(eq(approvalWorkflows.workspaceId, workspaceId), eq(approvalWorkflows.id, input.workflowId))).for("update");
    if (!before) throw notFound("Approval workflow");
    const steps = await check(tx, workspaceId, input);
    const [row] = await tx.db.update(approvalWorkflows).set({ name: input.name.trim(), steps, updatedAt: tx.now() }).where(eq(approvalWorkflows.id, before.id)).returning();
    await assign(tx, workspaceId, row.id, input.channelIds);
    await tx.audit(
      { type: "approval_workflow.updated", data: { workflowId: row.id, before: { name: before.name, steps: before.steps }, after: { name: row.name, steps, channelIds: [...new Set(input.channelIds)] } } },
      { type: "approval_workflow", id: row.id },
    );
    return present(row, [...new Set(input.channelIds)]);
  });
}

/** Deletes a workflow: its channels have none any more (posts in review keep their steps). */
export async function deleteWorkflow(ctx: Ctx, input: { workflowId: string }) {
  authorize(ctx.actor, "approvals.manage");
  const { workspaceId } = currentWorkspace(ctx);
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx.db.delete(approvalWorkflows).where(and(eq(approvalWorkflows.workspaceId, workspaceId), eq(approvalWorkflows.id, input.workflowId))).returning();
    if (!row) throw notFound("Approval workflow");
    await tx.audit({ type: "approval_workflow.deleted", data: { workflowId: row.id, name: row.name } }, { type: "approval_workflow", id: row.id });
    return { deleted: true as const };
  });
}
