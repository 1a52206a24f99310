import { REVIEW_SECTIONS, type CrisisReview } from "../../../../../contracts/crisis-review";
import { timelineActorKind, type CrisisEventType } from "../../../../../contracts/crisis-timeline";
import { exportTexts, intlLocale, type ExportLocale } from "./texts";

/** The exported review as blocks, rendered the same way to Markdown (markdown.ts) and PDF (pdf.ts). */
export type Block =
  | { kind: "title"; text: string }
  | { kind: "meta"; text: string }
  | { kind: "heading"; text: string }
  | { kind: "paragraph"; text: string; muted?: boolean }
  | { kind: "table"; rows: string[][]; header?: boolean }
  | { kind: "list"; items: string[] };

export function reviewDocument(review: CrisisReview, locale: ExportLocale): Block[] {
  const t = exportTexts(locale);
  const intl = intlLocale(locale);
  const number = (n: number, digits = 1) => new Intl.NumberFormat(intl, { maximumFractionDigits: digits }).format(n);
  const when = (iso: string) => `${new Intl.DateTimeFormat(intl, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(iso))} UTC`;
  const minutes = (m: number | null) => (m === null ? t.notMeasured : t.minutes(number(m)));
  const whole = (n: number) => number(n, 0);
  /** A statement's language by name in the reader's language ("English", "انگلیسی"), not its code. */
  const language = (code: string) => {
    try {
      return new Intl.DisplayNames(intl, { type: "language" }).of(code) ?? code;
    } catch {
      return code; // not a language code Intl knows: shown as stored
    }
  };
  /** A note as written; the lifecycle's note on the crisis another was merged into, in the export's language. */
  const noteText = (m: { text: string; data: unknown }) => {
    const from = (m.data as { mergedFromNumber?: unknown } | null)?.mergedFromNumber;
    return typeof from === "number" ? t.mergedFrom(`CR-${from}`) : m.text;
  };
  /** Who acted: a person by name, Parapet's own jobs in words (as the crisis room names them). */
  const actor = (label: string) => ({ drill_script: t.actors.drillScript, automatic: t.actors.automatic, person: label })[timelineActorKind(label)];
  const f = review.figures;
  const blocks: Block[] = [];

  blocks.push({ kind: "title", text: `${t.title}: CR-${review.crisisNumber} ${review.crisisTitle}${review.isDrill ? ` (${t.drill})` : ""}` });
  blocks.push({
    kind: "meta",
    text: [
      `${t.severity}: SEV${review.severityLevel}`,
      review.planName ? `${t.plan}: ${review.planName}` : null,
      `${t.status[review.status]}`,
      review.ownerName ? `${t.owner}: ${review.ownerName}` : null,
      `${t.generated}: ${when(f.computedAt)}`,
    ]
      .filter(Boolean)
      .join(" · "),
  });
  blocks.push({ kind: "paragraph", text: t.blameless, muted: true });

  blocks.push({ kind: "heading", text: t.figuresHeading });
  const cadence = (c: CrisisReview["figures"]["cadence"]["internal"]) =>
    c ? `${t.cadence({ onTime: whole(c.onTime), gaps: whole(c.gaps), interval: whole(c.intervalMinutes) })}: ${c.kept ? t.kept : t.notKept}` : t.notMeasured;
  blocks.push({
    kind: "table",
    rows: [
      [t.figures.timeToDetect, minutes(f.timeToDetectMinutes)],
      [t.figures.timeToDeclare, minutes(f.timeToDeclareMinutes)],
      [t.figures.timeToPause, minutes(f.timeToPauseMinutes)],
      [t.figures.timeToFirstPublicResponse, minutes(f.timeToFirstPublicResponseMinutes)],
      [t.figures.duration, minutes(f.durationMinutes)],
      [t.figures.triage, minutes(f.stateMinutes.triage)],
      [t.figures.active, minutes(f.stateMinutes.active)],
      [t.figures.stable, minutes(f.stateMinutes.stable)],
      [t.figures.internalCadence, cadence(f.cadence.internal)],
      [t.figures.publicCadence, cadence(f.cadence.public)],
      [t.figures.tasks, t.tasksDone({ done: whole(f.tasks.done), total: whole(f.tasks.total), late: whole(f.tasks.overdueWhenDone) })],
    ],
  });

  if (f.statements.length > 0) {
    blocks.push({ kind: "heading", text: t.statementsHeading });
    blocks.push({
      kind: "table",
      header: true,
      rows: [
        [t.statementColumns.kind, t.statementColumns.language, t.statementColumns.approval, t.statementColumns.note],
        ...f.statements.map((s) => [t.statementKinds[s.kind as keyof typeof t.statementKinds] ?? s.kind, language(s.locale), minutes(s.approvalMinutes), s.approvedByBackup ? t.escalatedBackup : s.escalated ? t.escalated : ""]),
      ],
    });
  }

  blocks.push({ kind: "heading", text: t.heldHeading });
  blocks.push({ kind: "table", rows: (["total", "resume", "reschedule", "edit", "discard", "pending"] as const).map((k) => [t.held[k], whole(f.heldPosts[k])]) });

  blocks.push({ kind: "heading", text: t.volumeHeading });
  if (!f.volume) blocks.push({ kind: "paragraph", text: t.volume.none, muted: true });
  else {
    const point = (p: { mentionsPerHour: number; negativeShare: number | null } | null) =>
      p ? `${number(p.mentionsPerHour)} ${t.volume.perHour}${p.negativeShare === null ? "" : `, ${new Intl.NumberFormat(intl, { style: "percent" }).format(p.negativeShare)} ${t.volume.negative}`}` : t.notMeasured;
    blocks.push({
      kind: "table",
      rows: [
        [t.volume.before, point(f.volume.before)],
        [`${t.volume.peak}${f.volume.peak.at ? ` (${when(f.volume.peak.at)})` : ""}`, point(f.volume.peak)],
        [t.volume.after, point(f.volume.after)],
      ],
    });
  }

  blocks.push({ kind: "heading", text: t.timelineHeading });
  blocks.push({ kind: "list", items: f.timeline.map((m) => `${when(m.at)} — ${t.events[m.type as CrisisEventType] ?? m.type}${m.text ? `: ${noteText(m)}` : ""} (${actor(m.actorLabel)})`) });

  for (const section of REVIEW_SECTIONS) {
    blocks.push({ kind: "heading", text: t.sections[section] });
    const text = review.content[section].trim();
    blocks.push(text ? { kind: "paragraph", text } : { kind: "paragraph", text: t.empty, muted: true });
  }

  blocks.push({ kind: "heading", text: t.actionItemsHeading });
  if (review.actionItems.length === 0) blocks.push({ kind: "paragraph", text: t.empty, muted: true });
  else
    blocks.push({
      kind: "list",
      items: review.actionItems.map(
        (a) =>
          `[${t.itemStatus[a.status]}] ${a.title} — ${a.ownerName ?? t.noOwner}${a.dueAt ? `, ${t.due} ${when(a.dueAt)}` : ""}${a.updatesPlan ? ` (${t.updatesPlan})` : ""}`,
      ),
    });
  return blocks;
}
