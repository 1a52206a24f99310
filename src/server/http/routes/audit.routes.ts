import { z } from "@hono/zod-openapi";
import * as api from "../../../contracts/api";
import { AUDIT_EVENT_TYPES } from "../../audit/events";
import { formerMemberIds, listAuditEvents, toCsv } from "../../audit/query";
import { verifyAuditChain } from "../../audit/verify";
import { auditChainKey } from "../../audit/chain";
import { inTransaction } from "../../context";
import { memberIdsOf } from "../../domains/workspaces";
import type { Ctx } from "../../context";
import { defineRoute, may } from "../access";
import { ERRORS, newRouter, ok } from "../openapi-kit";

const tags = ["Audit log"];
export const auditRoutes = newRouter();

/** Whose personal events (sign-ins, MFA, passwords) this workspace sees: its members, present and past. */
const membersOf = async (ctx: Ctx) => [...(await memberIdsOf(ctx.db, ctx.workspaceId!)), ...(await formerMemberIds(ctx.db, ctx.workspaceId!))];
const EXPORT_LIMIT = 100_000;

auditRoutes.openapi(
  defineRoute(may("audit.read"), {
    method: "get", path: "/audit", tags, summary: "Audit events of this workspace, newest first, with filters",
    description: "`actor` matches part of the label the actor was recorded under (a person's email; for Parapet's own work its label, e.g. `crisis.deadlines`, `demo`); `action` is an exact event type; `from`/`to` are ISO-8601 times; page with `cursor` = the previous page's `nextCursor`.",
    request: { query: api.AuditQuery },
    responses: { 200: ok(z.object({ events: z.array(api.AuditEventView), nextCursor: z.number().nullable(), actions: z.array(z.string()) })), 400: ERRORS[400] },
  }),
  async (c) => {
    const ctx = c.var.ctx;
    const page = await listAuditEvents(ctx.db, ctx.workspaceId!, await membersOf(ctx), c.req.valid("query"));
    return c.json({ ...page, actions: AUDIT_EVENT_TYPES }, 200);
  },
);

auditRoutes.openapi(
  defineRoute(may("audit.export"), {
    method: "get", path: "/audit/export.csv", tags, summary: "The filtered audit events as CSV (the export itself is audited)",
    request: { query: api.AuditQuery.omit({ cursor: true, limit: true }) },
    responses: { 200: { description: "CSV", content: { "text/csv": { schema: z.string() } } } },
  }),
  async (c) => {
    const csv = await inTransaction(c.var.ctx, async (tx) => {
      const { events } = await listAuditEvents(tx.db, tx.workspaceId!, await membersOf(tx), { ...c.req.valid("query"), limit: EXPORT_LIMIT });
      await tx.audit({ type: "audit.exported", data: { format: "csv", rows: events.length } });
      return toCsv(events);
    });
    c.header("Content-Disposition", `attachment; filename="parapet-audit-${new Date().toISOString().slice(0, 10)}.csv"`);
    return c.body(csv, 200, { "Content-Type": "text/csv; charset=utf-8" });
  },
);

auditRoutes.openapi(
  defineRoute(may("audit.verify"), {
    method: "get", path: "/audit/verify", tags, summary: "Recompute the hash chain and report the first edited, removed or reordered row",
    responses: { 200: ok(api.AuditVerifyResult) },
  }),
  async (c) => c.json(await verifyAuditChain(c.var.ctx.db, await auditChainKey(c.var.ctx.db, c.var.services.secrets)), 200),
);
