import type { CrisisPlanContent } from "../../src/contracts/crisis-plans";
import type { Services } from "../../src/server/context";
import { createApp } from "../../src/server/http/app";
import { alertDestinations, listeningAlerts } from "../../src/server/domains/listening/listening.schema";
import { crisisPlans, crisisPlanVersions } from "../../src/server/domains/crisis/crisis.schema";
import type { DatabaseKind } from "./databases";
import { buildWorkspace, signedInClient } from "./factories";
import { createTestServices, testClock } from "./services";
import { startWebhookReceiver } from "./webhook-receiver";

/** A plan written straight into the tables (the plans part's API is separate): content checked by its contract. */
export async function insertPlan(services: Services, workspaceId: string, scenario: string, content: Partial<CrisisPlanContent> = {}) {
  const full: CrisisPlanContent = {
    description: "",
    defaultSeverity: 2,
    roles: [],
    checklist: [],
    statements: [],
    stakeholders: [],
    triggers: { streamIds: [], alertKinds: [] },
    crisisMode: { pause: "none", lockdown: false, secure: false, notify: false },
    ...content,
  };
  const [plan] = await services.database.db.insert(crisisPlans).values({ workspaceId, scenario, name: `Plan ${scenario}`, currentVersion: 1 }).returning();
  await services.database.db.insert(crisisPlanVersions).values({ planId: plan.id, version: 1, content: full });
  return plan;
}

/** A listening alert as the judging job raises it (a spike `ratio` times the usual). */
export async function insertAlert(services: Services, workspaceId: string, input: { kind: string; ratio?: number; raisedAt: Date; title?: string }) {
  const [alert] = await services.database.db
    .insert(listeningAlerts)
    .values({
      workspaceId,
      kind: input.kind,
      title: input.title ?? "Mentions of Emberoak jumped",
      evidence: { facts: { kind: input.kind, evidence: { ratio: input.ratio ?? 4 } } },
      windowStart: new Date(input.raisedAt.getTime() - 15 * 60_000),
      windowEnd: input.raisedAt,
      raisedAt: input.raisedAt,
    })
    .returning();
  return alert;
}

/** An alert destination as its settings store it: `target` (and a webhook's `signingSecret`) given in the clear, sealed here. */
export type TestDestination = { name: string; kind: string; target: string; signingSecret?: string; locale?: string; disabledAt?: Date };

/** An alert destination written straight into its table. */
export async function insertDestination(services: Services, workspaceId: string, destination: TestDestination) {
  const { target, signingSecret, ...rest } = destination;
  const [row] = await services.database.db
    .insert(alertDestinations)
    .values({ workspaceId, ...rest, target: services.secrets.seal(target), signingSecret: signingSecret === undefined ? undefined : services.secrets.seal(signingSecret) })
    .returning();
  return row;
}

/**
 * What crisis-notice tests start from: a local webhook peer standing in for Slack, Teams and stakeholders' receivers
 * (the one host webhooks may reach), services on a fresh database with the clock at the real now (receivers check a
 * signature's timestamp), the brand with one person per role and its manager and member signed in, the alert
 * destinations given (targets built from the peer's address; their ids by name in `ids`) and a "viral_complaint" plan
 * whose stakeholders are reached through them. `close()` stops the peer and the services.
 */
export async function crisisNoticeFixture(
  kind: DatabaseKind,
  input: {
    brand: string;
    env?: Record<string, string>;
    destinations: (peerBase: string) => TestDestination[];
    stakeholders: (ids: Record<string, string>) => CrisisPlanContent["stakeholders"];
  },
) {
  const peer = await startWebhookReceiver();
  const services = await createTestServices(kind, { PARAPET_WEBHOOK_ALLOWED_HOSTS: "127.0.0.1", LOGIN_RATE_PER_MINUTE: "1000", ...input.env }, testClock(new Date()));
  const app = createApp(services);
  const built = await buildWorkspace(services, input.brand);
  const workspaceId = built.workspace.id;
  const manager = await signedInClient(app, built.people.manager);
  const member = await signedInClient(app, built.people.member);
  const ids: Record<string, string> = {};
  for (const destination of input.destinations(peer.base)) ids[destination.name] = (await insertDestination(services, workspaceId, destination)).id;
  const plan = await insertPlan(services, workspaceId, "viral_complaint", { stakeholders: input.stakeholders(ids) });
  const close = async () => {
    await peer.close();
    await services.close();
  };
  return { services, app, peer, workspaceId, manager, member, ids, planId: plan.id, close };
}
