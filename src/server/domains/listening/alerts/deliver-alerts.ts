import { and, eq, inArray } from "drizzle-orm";
import type { Services } from "../../../context";
import { workspaces } from "../../workspaces/workspaces.schema";
import { alertDeliveries, alertDestinations, listeningAlerts, listeningStreams } from "../listening.schema";
import { signedHeaders, slackBody, teamsBody, webhookBody, type AlertMessage, type CardMessage } from "./alert-messages";
import { alertTexts, type AlertFacts } from "./alert-texts";
import { safePost, SafeFetchError } from "../../../net/safe-fetch";
import { deliverOutbox, RoundQueue, statusOutbox, type Outcome, type RoundCounts } from "../../../jobs/outbox";

export type DeliveryTiming = {
  /** How long one request may take. */
  requestTimeoutMs: number;
  /** A claimed delivery not finished by then (the worker died) is due again. */
  leaseMs: number;
  /** Waits before the 2nd, 3rd, … attempt; after the last, the delivery is given up as failed. */
  backoffMs: number[];
};
export const DEFAULT_DELIVERY_TIMING: DeliveryTiming = { requestTimeoutMs: 10_000, leaseMs: 120_000, backoffMs: [60_000, 300_000, 900_000, 3_600_000, 10_800_000] };

// One round at a time per process: the after-commit kick and the minute job never work the same deliveries at once.
const rounds = new RoundQueue();

/**
 * Sends due alert deliveries (as the system, across workspaces: hence unsafe) through the shared outbox round
 * (jobs/outbox.ts: claimed with a lease, retried with backoff). Email goes into the mail outbox in the same
 * transaction that marks the delivery done (exactly once); Slack, Teams and webhooks are HTTP calls, so they are
 * at least once: a worker that dies after the call but before recording it sends again once the claim's lease ends —
 * the signed webhook's `webhook-id` stays the same so receivers can drop the repeat. Failures are retried with
 * backoff (a refusal such as 404 or 403 is not) and end as `failed` with the reason, shown on the alert.
 */
export function unsafeDeliverAlerts(services: Services, timing: DeliveryTiming = DEFAULT_DELIVERY_TIMING, limit = 20): Promise<RoundCounts> {
  return rounds.run(() => deliverRound(services, timing, limit));
}

function deliverRound(services: Services, timing: DeliveryTiming, limit: number) {
  const db = services.database.db;
  const outbox = statusOutbox(alertDeliveries, (d) => and(eq(alertDeliveries.alertId, d.alertId), eq(alertDeliveries.destinationId, d.destinationId)), timing.leaseMs);
  return deliverOutbox(db, outbox, {
    limit,
    backoffMs: timing.backoffMs,
    now: services.clock,
    prepare: async (due) => ({
      alerts: await db
        .select({ alert: listeningAlerts, workspace: workspaces.name, stream: listeningStreams.name })
        .from(listeningAlerts)
        .innerJoin(workspaces, eq(workspaces.id, listeningAlerts.workspaceId))
        .leftJoin(listeningStreams, eq(listeningStreams.id, listeningAlerts.streamId))
        .where(inArray(listeningAlerts.id, [...new Set(due.map((d) => d.alertId))])),
      destinations: await db.select().from(alertDestinations).where(inArray(alertDestinations.id, [...new Set(due.map((d) => d.destinationId))])),
    }),
    send: async (delivery, { alerts, destinations }, record) => {
      const found = alerts.find((a) => a.alert.id === delivery.alertId);
      const destination = destinations.find((d) => d.id === delivery.destinationId);
      if (!found || !destination) return undefined; // deleted meanwhile (cascade removes the delivery too)
      const texts = alertTexts(destination.locale);
      const facts = found.alert.evidence.facts as AlertFacts;
      const message: AlertMessage = {
        id: found.alert.id,
        kind: facts.kind,
        workspace: found.workspace,
        stream: found.stream,
        title: texts.title(facts),
        facts: texts.lines(facts),
        raisedAt: found.alert.raisedAt,
        link: `${services.config.publicUrl}/listening/alerts/${found.alert.id}`,
      };
      if (destination.kind !== "email") return post(services, destination, message, timing);
      // Into the mail outbox with the delivery's record: exactly once, whatever happens to this worker.
      await db.transaction(async (tx) => {
        if (!(await record(tx, { ok: true }))) return; // another worker took it over after our lease ended
        for (const to of services.secrets.open(destination.target).split(/[\s,;]+/).filter(Boolean)) {
          await services.mailer.enqueue(tx, { to, workspaceId: found.alert.workspaceId, subject: `${message.workspace}: ${message.title}`, text: `${message.facts.join("\n")}\n\n${texts.openInParapet}:\n${message.link}\n` });
        }
      });
      services.mailer.deliverSoon(db);
      return { ok: true };
    },
  });
}

/** One message on its way to one destination: what Slack and Teams show, the generic webhook's body, and its `webhook-id` (the same on every retry). */
export type OutgoingMessage = { card: CardMessage; webhook: { type: string; timestamp: string; data: unknown }; webhookId: string; userAgent: string };

/** One HTTP delivery of an alert to a Slack, Teams or webhook destination (signed for a webhook); also what "send a test" uses. */
export function post(services: Services, destination: typeof alertDestinations.$inferSelect, message: AlertMessage, timing: DeliveryTiming): Promise<Outcome> {
  return postMessage(services, destination, { card: message, webhook: webhookBody(message), webhookId: `alert-${message.id}-${destination.id}`, userAgent: "Parapet alerts" }, timing);
}

/**
 * One HTTP delivery of any message to a Slack, Teams or webhook destination: Slack's blocks or Teams' card from
 * `card`, the webhook's JSON signed per Standard Webhooks, under the SSRF guard; the outcome says whether waiting
 * could help.
 */
export async function postMessage(services: Services, destination: typeof alertDestinations.$inferSelect, message: OutgoingMessage, timing: DeliveryTiming): Promise<Outcome> {
  const url = services.secrets.open(destination.target);
  const payload = destination.kind === "slack" ? slackBody(message.card) : destination.kind === "teams" ? teamsBody(message.card) : message.webhook;
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": message.userAgent };
  if (destination.kind === "webhook" && destination.signingSecret) {
    Object.assign(headers, signedHeaders(services.secrets.open(destination.signingSecret), message.webhookId, services.clock(), body));
  }
  try {
    // Under the SSRF guard: an admin's webhook address cannot reach what only the server can reach.
    const response = await safePost(url, { headers, body, timeoutMs: timing.requestTimeoutMs, allowedHosts: services.config.webhooks.allowedHosts });
    if (response.status >= 200 && response.status < 300) return { ok: true };
    if (response.status >= 300 && response.status < 400) return { ok: false, retry: false, error: `HTTP ${response.status}: the receiver moved; redirects are not followed, update the address` };
    // A refusal (gone, forbidden, malformed) will not change by waiting; busy or broken servers might.
    const retry = response.status >= 500 || response.status === 408 || response.status === 429;
    return { ok: false, retry, error: `HTTP ${response.status} ${response.statusText}`.trim() };
  } catch (err) {
    // A refused address will not become public by waiting; a network failure or a slow receiver might recover.
    if (err instanceof SafeFetchError) return { ok: false, retry: err.kind === "unreachable", error: err.message };
    return { ok: false, retry: true, error: err instanceof Error ? err.message : String(err) };
  }
}
