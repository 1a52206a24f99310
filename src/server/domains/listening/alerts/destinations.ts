import { randomBytes } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { AlertDestination, DestinationTestOutcome } from "../../../../contracts/alert-destinations";
import { authorize } from "../../../authz";
import { inTransaction, type Ctx } from "../../../context";
import { workspaces } from "../../workspaces/workspaces.schema";
import { currentWorkspace } from "../../workspaces/workspace-actor";
import { alertDestinations } from "../listening.schema";
import type { AlertMessage } from "./alert-messages";
import { alertTexts } from "./alert-texts";
import { DEFAULT_DELIVERY_TIMING, post, type DeliveryTiming } from "./deliver-alerts";
import { destinationNotFound, destinationTargetInvalid } from "./destinations.errors";

type Row = typeof alertDestinations.$inferSelect;
type Kind = AlertDestination["kind"];

const MAX_ADDRESSES = 20;
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Splits and checks email addresses (commas, semicolons, spaces or new lines between them). */
function emailAddresses(target: string): string[] {
  const addresses = [...new Set(target.split(/[\s,;]+/).filter(Boolean).map((a) => a.toLowerCase()))];
  if (!addresses.length) throw destinationTargetInvalid("give at least one email address");
  if (addresses.length > MAX_ADDRESSES) throw destinationTargetInvalid(`at most ${MAX_ADDRESSES} email addresses`);
  const wrong = addresses.find((a) => !z.email().safeParse(a).success);
  if (wrong) throw destinationTargetInvalid(`“${wrong}” is not an email address`);
  return addresses;
}

/**
 * Checks a webhook URL: https (plain http only to this machine, for a local receiver or tests), no user name or
 * password in it; Slack's incoming webhooks live on hooks.slack.com, Teams' on *.webhook.office.com (connectors)
 * or Power Automate / Logic Apps hosts (Workflows).
 */
function webhookUrl(kind: Exclude<Kind, "email">, target: string): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw destinationTargetInvalid("not a URL");
  }
  const host = url.hostname.toLowerCase();
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(host))) throw destinationTargetInvalid("the address must start with https://");
  if (url.username || url.password) throw destinationTargetInvalid("the address must not contain a user name or password");
  if (kind === "slack" && !((host === "hooks.slack.com" || host === "hooks.slack-gov.com") && /^\/(services|triggers|workflows)\//.test(url.pathname)))
    throw destinationTargetInvalid("a Slack incoming webhook address starts with https://hooks.slack.com/services/");
  if (kind === "teams" && !(/\.webhook\.office\.com$/.test(host) || /\.logic\.azure\.com$/.test(host) || /\.powerplatform\.com$/.test(host) || /\.powerautomate\.com$/.test(host)))
    throw destinationTargetInvalid("a Teams address comes from a Workflows (Power Automate) webhook or an incoming webhook connector (…webhook.office.com)");
  return url;
}

/** What the API shows instead of a URL: its host and the last 4 characters ("hooks.slack.com/…/XyZ9"); email addresses as they are. */
export function targetHint(kind: string, target: string): string {
  if (kind === "email") return target.split(/[\s,;]+/).filter(Boolean).join(", ");
  const url = new URL(target);
  const rest = `${url.pathname}${url.search}`.replace(/\/+$/, "");
  return rest.length > 1 ? `${url.host}/…/${rest.slice(-4)}` : url.host;
}

function toDestination(ctx: Ctx, row: Row): AlertDestination {
  return {
    id: row.id,
    kind: row.kind as Kind,
    name: row.name,
    targetHint: targetHint(row.kind, ctx.services.secrets.open(row.target)),
    kinds: row.kinds as AlertDestination["kinds"],
    locale: row.locale as AlertDestination["locale"],
    enabled: row.disabledAt === null,
    createdAt: row.createdAt.toISOString(),
  };
}

async function findDestination(ctx: Ctx, destinationId: string, lock = false): Promise<Row> {
  const { workspaceId } = currentWorkspace(ctx);
  const query = ctx.db.select().from(alertDestinations).where(and(eq(alertDestinations.workspaceId, workspaceId), eq(alertDestinations.id, destinationId)));
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw destinationNotFound();
  return row;
}

/** The workspace's alert destinations, newest first. */
export async function listDestinations(ctx: Ctx): Promise<AlertDestination[]> {
  authorize(ctx.actor, "alerts.destinations");
  const { workspaceId } = currentWorkspace(ctx);
  const rows = await ctx.db.select().from(alertDestinations).where(eq(alertDestinations.workspaceId, workspaceId)).orderBy(desc(alertDestinations.createdAt), desc(alertDestinations.id));
  return rows.map((r) => toDestination(ctx, r));
}

/** Adds a destination; its target (and a webhook's generated signing secret) sealed. The secret is returned this once. */
export async function createDestination(
  ctx: Ctx,
  input: { kind: Kind; name: string; target: string; kinds?: string[]; locale?: string },
): Promise<AlertDestination & { signingSecret: string | null }> {
  authorize(ctx.actor, "alerts.destinations");
  const { workspaceId } = currentWorkspace(ctx);
  const target = input.kind === "email" ? emailAddresses(input.target).join(", ") : webhookUrl(input.kind, input.target).toString();
  const signingSecret = input.kind === "webhook" ? `whsec_${randomBytes(32).toString("base64")}` : null;
  const secrets = ctx.services.secrets;
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(alertDestinations)
      .values({
        workspaceId,
        kind: input.kind,
        name: input.name,
        target: secrets.seal(target),
        signingSecret: signingSecret ? secrets.seal(signingSecret) : null,
        kinds: [...new Set(input.kinds ?? [])],
        locale: input.locale ?? "en",
        createdBy: tx.actor.type === "user" ? tx.actor.userId : null,
      })
      .returning();
    const shown = toDestination(tx, row);
    await tx.audit({ type: "listening.destination_created", data: { destinationId: row.id, kind: row.kind, name: row.name, targetHint: shown.targetHint } }, { type: "alert_destination", id: row.id });
    return { ...shown, signingSecret };
  });
}

/** Renames, filters by alert kind, changes the language, or turns a destination off or on again. */
export async function updateDestination(ctx: Ctx, destinationId: string, change: { name?: string; kinds?: string[]; locale?: string; enabled?: boolean }): Promise<AlertDestination> {
  authorize(ctx.actor, "alerts.destinations");
  return inTransaction(ctx, async (tx) => {
    const row = await findDestination(tx, destinationId, true);
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const set: Partial<typeof alertDestinations.$inferInsert> = {};
    if (change.name !== undefined && change.name !== row.name) [before.name, after.name, set.name] = [row.name, change.name, change.name];
    if (change.kinds !== undefined) {
      const kinds = [...new Set(change.kinds)];
      if (kinds.join() !== row.kinds.join()) [before.kinds, after.kinds, set.kinds] = [row.kinds, kinds, kinds];
    }
    if (change.locale !== undefined && change.locale !== row.locale) [before.locale, after.locale, set.locale] = [row.locale, change.locale, change.locale];
    if (change.enabled !== undefined && change.enabled !== (row.disabledAt === null)) {
      [before.enabled, after.enabled] = [!change.enabled, change.enabled];
      set.disabledAt = change.enabled ? null : tx.now();
    }
    if (!Object.keys(set).length) return toDestination(tx, row);
    const [updated] = await tx.db.update(alertDestinations).set(set).where(eq(alertDestinations.id, row.id)).returning();
    await tx.audit({ type: "listening.destination_updated", data: { destinationId: row.id, before, after } }, { type: "alert_destination", id: row.id });
    return toDestination(tx, updated);
  });
}

/** Removes a destination (and its delivery records). */
export async function deleteDestination(ctx: Ctx, destinationId: string): Promise<void> {
  authorize(ctx.actor, "alerts.destinations");
  await inTransaction(ctx, async (tx) => {
    const row = await findDestination(tx, destinationId, true);
    await tx.db.delete(alertDestinations).where(eq(alertDestinations.id, row.id));
    await tx.audit({ type: "listening.destination_deleted", data: { destinationId: row.id, kind: row.kind, name: row.name } }, { type: "alert_destination", id: row.id });
  });
}

const TEST_TEXTS: Record<string, { title: string; line: string }> = {
  en: { title: "Test message from Parapet", line: "If you can read this, listening alerts will arrive here." },
  de: { title: "Testnachricht von Parapet", line: "Wenn Sie dies lesen können, kommen Listening-Warnungen hier an." },
  it: { title: "Messaggio di prova da Parapet", line: "Se riesci a leggerlo, gli avvisi di ascolto arriveranno qui." },
  nl: { title: "Testbericht van Parapet", line: "Kun je dit lezen, dan komen luistermeldingen hier aan." },
  fa: { title: "پیام آزمایشی از پاراپت", line: "اگر این را می‌خوانید، هشدارهای پایش به این‌جا می‌رسند." },
};

/**
 * Sends a test message now, the way real alerts go (the same HTTP call and signature; email through the mail
 * outbox), and answers what happened. Audited with the outcome.
 */
export async function testDestination(ctx: Ctx, destinationId: string, timing: DeliveryTiming = DEFAULT_DELIVERY_TIMING): Promise<DestinationTestOutcome> {
  authorize(ctx.actor, "alerts.destinations");
  const { workspaceId } = currentWorkspace(ctx);
  const destination = await findDestination(ctx, destinationId);
  const [workspace] = await ctx.db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, workspaceId));
  const texts = TEST_TEXTS[destination.locale] ?? TEST_TEXTS.en;
  const services = ctx.services;
  const message: AlertMessage = {
    id: `test-${randomBytes(8).toString("hex")}`,
    kind: "test",
    workspace: workspace.name,
    stream: null,
    title: texts.title,
    facts: [texts.line],
    raisedAt: services.clock(),
    link: `${services.config.publicUrl}/settings/alert-destinations`,
  };
  let outcome: DestinationTestOutcome;
  if (destination.kind === "email") {
    outcome = { status: "queued", error: null };
  } else {
    const sent = await post(services, destination, message, timing);
    outcome = sent.ok ? { status: "delivered", error: null } : { status: "failed", error: sent.error };
  }
  await inTransaction(ctx, async (tx) => {
    if (destination.kind === "email") {
      const open = alertTexts(destination.locale).openInParapet;
      for (const to of services.secrets.open(destination.target).split(/[\s,;]+/).filter(Boolean)) {
        await services.mailer.enqueue(tx.db, { to, workspaceId, subject: `${message.workspace}: ${message.title}`, text: `${message.facts.join("\n")}\n\n${open}:\n${message.link}\n` });
      }
      tx.afterCommit(() => services.mailer.deliverSoon(services.database.db));
    }
    await tx.audit({ type: "listening.destination_tested", data: { destinationId: destination.id, name: destination.name, ...outcome } }, { type: "alert_destination", id: destination.id });
  });
  return outcome;
}
