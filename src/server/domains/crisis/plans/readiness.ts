import type { CrisisPlanContent, PlanReadiness } from "../../../../contracts/crisis-plans";

/** A plan counts as ready only if it was drilled within this many days. */
export const DRILL_DUE_DAYS = 180;
const DAY = 24 * 60 * 60 * 1000;

/**
 * How ready a plan is: every role held by a current member, every role with a backup (a current member other than
 * the holder), every holding statement approved (and at least one), and a drill within DRILL_DUE_DAYS. Pure: the
 * caller passes the workspace's current members.
 */
export function planReadiness(content: CrisisPlanContent, lastDrilledAt: Date | null, members: ReadonlySet<string>, now: Date): PlanReadiness {
  const staleRoles = content.roles.filter((r) => (r.holderId && !members.has(r.holderId)) || (r.backupId && !members.has(r.backupId))).map((r) => r.role);
  const rolesFilled = content.roles.filter((r) => r.holderId && members.has(r.holderId)).length;
  const backupsSet = content.roles.filter((r) => r.backupId && r.backupId !== r.holderId && members.has(r.backupId)).length;
  const statementsApproved = content.statements.filter((s) => s.approvedBy && s.approvedAt).length;
  const lastDrilledDaysAgo = lastDrilledAt ? Math.max(0, Math.floor((now.getTime() - lastDrilledAt.getTime()) / DAY)) : null;
  const rolesTotal = content.roles.length;
  const statementsTotal = content.statements.length;
  const ready =
    rolesTotal > 0 &&
    rolesFilled === rolesTotal &&
    backupsSet === rolesTotal &&
    statementsTotal > 0 &&
    statementsApproved === statementsTotal &&
    lastDrilledDaysAgo !== null &&
    lastDrilledDaysAgo <= DRILL_DUE_DAYS;
  return { ready, rolesFilled, rolesTotal, backupsSet, statementsApproved, statementsTotal, lastDrilledDaysAgo, staleRoles, drillDueDays: DRILL_DUE_DAYS };
}
