import { and, eq, inArray, isNull } from "drizzle-orm";
import type { CrisisPlanContent } from "../../../../../contracts/crisis-plans";
import type { Ctx, Services } from "../../../../context";
import { deliverOutbox, RoundQueue, statusOutbox, type RoundCounts } from "../../../../jobs/outbox";
import { DEFAULT_DELIVERY_TIMING, postMessage, type DeliveryTiming, type OutgoingMessage } from "../../../listening/alerts/deliver-alerts";
import { alertDestinations } from "../../../listening/listening.schema";
import { users } from "../../../identity/identity.schema";
import { workspaces } from "../../../workspaces/workspaces.schema";
import { crisisNotices, crisisSeverities } from "../../crisis.schema";
import { crisisRef, type CrisisRow } from "../records";

/** A crisis notice's words in a destination's language (a channel of people, not one person with a setting). */
const TEXTS: Record<string, { title: (ref: string, level: number, title: string) => string; declaredBy: (name: string) => string; severity: (level: number, name: string) => string; why: (reason: string) => string; modeOn: string; open: string }> = {
  en: {
    title: (ref, level, title) => `Crisis ${ref} (SEV${level}): ${title}`,
    declaredBy: (name) => `Declared by ${name}`,
    severity: (level, name) => `Severity: SEV${level} — ${name}`,
    why: (reason) => `Why: ${reason}`,
    modeOn: "Crisis mode is on.",
    open: "Open the crisis in Parapet",
  },
  de: {
    title: (ref, level, title) => `Krise ${ref} (SEV${level}): ${title}`,
    declaredBy: (name) => `Ausgerufen von ${name}`,
    severity: (level, name) => `Schweregrad: SEV${level} — ${name}`,
    why: (reason) => `Grund: ${reason}`,
    modeOn: "Der Krisenmodus ist aktiv.",
    open: "Die Krise in Parapet öffnen",
  },
  it: {
    title: (ref, level, title) => `Crisi ${ref} (SEV${level}): ${title}`,
    declaredBy: (name) => `Dichiarata da ${name}`,
    severity: (level, name) => `Gravità: SEV${level} — ${name}`,
    why: (reason) => `Motivo: ${reason}`,
    modeOn: "La modalità crisi è attiva.",
    open: "Apri la crisi in Parapet",
  },
  nl: {
    title: (ref, level, title) => `Crisis ${ref} (SEV${level}): ${title}`,
    declaredBy: (name) => `Uitgeroepen door ${name}`,
    severity: (level, name) => `Ernst: SEV${level} — ${name}`,
    why: (reason) => `Waarom: ${reason}`,
    modeOn: "De crisismodus staat aan.",
    open: "Open de crisis in Parapet",
  },
  fa: {
    title: (ref, level, title) => `بحران ${ref} (SEV${level}): ${title}`,
    declaredBy: (name) => `اعلام‌شده توسط ${name}`,
    severity: (level, name) => `شدت: SEV${level} — ${name}`,
    why: (reason) => `دلیل: ${reason}`,
    modeOn: "حالت بحران روشن است.",
    open: "بحران را در پاراپت باز کنید",
  },
};

/**
 * Crisis mode's mail to one person, in their language (a crisis team member's account setting; English for a plain
 * address): the crisis, that crisis mode is on, why, and the link on a line of its own.
 */
export function crisisModeMail(locale: string | null | undefined, p: { ref: string; level: number; title: string; isDrill: boolean; reason: string; link: string }) {
  const texts = TEXTS[locale ?? "en"] ?? TEXTS.en;
  return {
    subject: `${p.isDrill ? "[Drill] " : ""}${texts.title(p.ref, p.level, p.title)}`,
    text: `${texts.modeOn}\n${texts.why(p.reason)}\n\n${texts.open}:\n${p.link}\n`,
  };
}

type Destination = typeof alertDestinations.$inferSelect;
export type StakeholderDelivery = { name: string; destination: Pick<Destination, "id" | "kind" | "name"> };

/**
 * The plan's stakeholders to reach through alert destinations at this crisis's severity: each enabled destination
 * of this workspace once (two stakeholders may share a channel). A destination deleted or turned off since the plan
 * was saved is left out (and counted as skipped).
 */
export async function stakeholderDestinations(tx: Ctx, crisis: CrisisRow, plan: CrisisPlanContent | null) {
  const wanted = (plan?.stakeholders ?? []).filter((s) => s.destinationId && crisis.severityLevel <= s.fromSeverity);
  const ids = [...new Set(wanted.map((s) => s.destinationId!))];
  const rows = ids.length
    ? await tx.db.select().from(alertDestinations).where(and(eq(alertDestinations.workspaceId, crisis.workspaceId), inArray(alertDestinations.id, ids), isNull(alertDestinations.disabledAt)))
    : [];
  return { destinations: ids.map((id) => rows.find((r) => r.id === id)).filter((r): r is Destination => !!r), skipped: ids.length - rows.length };
}

/** The notice for one destination, in its language: who declared which crisis, its severity, why, and the link. */
async function noticeFor(tx: Ctx, crisis: CrisisRow, modeId: string, reason: string, destination: Destination): Promise<OutgoingMessage & { mail: { subject: string; text: string } }> {
  const texts = TEXTS[destination.locale] ?? TEXTS.en;
  const [workspace] = await tx.db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, crisis.workspaceId));
  const [declarer] = crisis.declaredBy ? await tx.db.select({ name: users.name, email: users.email }).from(users).where(eq(users.id, crisis.declaredBy)) : [];
  const [severity] = await tx.db.select({ name: crisisSeverities.name }).from(crisisSeverities).where(and(eq(crisisSeverities.workspaceId, crisis.workspaceId), eq(crisisSeverities.level, crisis.severityLevel)));
  const ref = crisisRef(crisis);
  const declaredBy = declarer ? declarer.name || declarer.email : null;
  const link = `${tx.services.config.publicUrl}/crisis/${crisis.id}`;
  const card = {
    workspace: workspace.name,
    title: texts.title(ref, crisis.severityLevel, crisis.title),
    facts: [texts.modeOn, ...(declaredBy ? [texts.declaredBy(declaredBy)] : []), texts.severity(crisis.severityLevel, severity?.name ?? `SEV${crisis.severityLevel}`), texts.why(reason)],
    link,
  };
  const at = tx.now().toISOString();
  return {
    card,
    webhook: {
      type: "crisis.mode_started",
      timestamp: at,
      data: { crisisId: crisis.id, ref, title: crisis.title, scenario: crisis.scenario, severityLevel: crisis.severityLevel, severityName: severity?.name ?? null, declaredBy, reason, workspace: workspace.name, link, text: card.facts },
    },
    webhookId: `crisis-${modeId}-${destination.id}`,
    userAgent: "Parapet crisis",
    mail: { subject: `${workspace.name}: ${card.title}`, text: `${card.facts.join("\n")}\n\n${texts.open}:\n${link}\n` },
  };
}

/**
 * Queues the crisis notice for each destination (inside crisis mode's transaction): mail destinations go straight
 * into the mail outbox (exactly once, with the crisis mode; their `crisis_notices` row, status `mailed`, keeps the
 * mails' ids for the list and a retry); Slack, Teams and webhooks become `crisis_notices` rows
 * sent after commit and by the `crisis.deliver-notices` job, retried with backoff.
 */
export async function queueCrisisNotices(tx: Ctx, crisis: CrisisRow, modeId: string, reason: string, destinations: Destination[]) {
  const secrets = tx.services.secrets;
  let outbox = 0;
  for (const destination of destinations) {
    const { mail, ...message } = await noticeFor(tx, crisis, modeId, reason, destination);
    if (destination.kind === "email") {
      // Listed beside the others; its delivery is its mails' (the mail outbox sends them, not the round below).
      await mailNotice(tx, crisis, modeId, mail, secrets.open(destination.target).split(/[\s,;]+/).filter(Boolean), { destinationId: destination.id });
      continue;
    }
    await tx.db.insert(crisisNotices).values({ workspaceId: crisis.workspaceId, crisisId: crisis.id, modeId, destinationId: destination.id, message, nextAttemptAt: tx.now(), createdAt: tx.now() }).onConflictDoNothing();
    outbox++;
  }
  if (outbox) tx.afterCommit(() => void unsafeDeliverCrisisNotices(tx.services).catch(() => undefined)); // the job retries what this misses
}

/** Who a mailed notice without a destination went to: a plan's stakeholder by plain address, or a crisis team member. */
export type MailRecipient =
  | { destinationId: string }
  | { recipientKind: "stakeholder"; recipientName: string; recipientAddress: string }
  | { recipientKind: "team"; recipientName: string; recipientRole: string };

/**
 * Puts one notice's mails into the mail outbox (one per address) and records it as a `crisis_notices` row (status
 * `mailed`) keeping their ids, so the crisis page lists it with its mails' delivery and can send it again.
 */
export async function mailNotice(tx: Ctx, crisis: CrisisRow, modeId: string, mail: { subject: string; text: string }, addresses: string[], recipient: MailRecipient) {
  const mailIds: string[] = [];
  for (const to of addresses) mailIds.push(await tx.services.mailer.enqueue(tx.db, { to, workspaceId: crisis.workspaceId, ...mail }));
  await tx.db.insert(crisisNotices).values({ workspaceId: crisis.workspaceId, crisisId: crisis.id, modeId, message: mail, status: "mailed", mailIds, ...recipient, createdAt: tx.now() }).onConflictDoNothing();
}

// One round at a time per process: the after-commit kick and the minute job never work the same notices at once.
const rounds = new RoundQueue();

/**
 * Sends due crisis notices (as the system, across workspaces: hence unsafe) through the outbox round alert
 * deliveries use (jobs/outbox.ts): claimed with a lease (a worker that dies mid-call leaves it due again, with the
 * same `webhook-id`), retried with backoff on a busy or silent receiver, given up on a refusal with the reason kept.
 */
export function unsafeDeliverCrisisNotices(services: Services, timing: DeliveryTiming = DEFAULT_DELIVERY_TIMING, limit = 20): Promise<RoundCounts> {
  return rounds.run(() => {
    const db = services.database.db;
    return deliverOutbox(db, statusOutbox(crisisNotices, (n) => eq(crisisNotices.id, n.id), timing.leaseMs), {
      limit,
      backoffMs: timing.backoffMs,
      now: services.clock,
      prepare: async (due) => db.select().from(alertDestinations).where(inArray(alertDestinations.id, [...new Set(due.flatMap((n) => (n.destinationId ? [n.destinationId] : [])))])),
      send: async (notice, destinations) => {
        const destination = destinations.find((d) => d.id === notice.destinationId);
        if (!destination) return undefined; // deleted meanwhile (cascade removes the notice too)
        return postMessage(services, destination, notice.message as OutgoingMessage, timing);
      },
    });
  });
}
