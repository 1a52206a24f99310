import { and, asc, eq, isNull } from "drizzle-orm";
import type { DrillInject } from "../../../../contracts/crisis-review";
import type { Ctx } from "../../../context";
import type { Db } from "../../../db/client";
import { createSandboxPost, ensureSandboxAccount, findSandboxAccount, findSandboxAccountById, sendSandboxDirectMessage } from "../../../networks/sandbox/network";
import { channels } from "../../channels/channels.schema";
import { users } from "../../identity/identity.schema";
import { crises, crisisDrills, crisisRoles, crisisTasks } from "../crisis.schema";
import { severityOf } from "../room/severity";
import { recordCrisisEvent } from "../timeline";

type DrillRow = typeof crisisDrills.$inferSelect;
export type InjectFacts = NonNullable<DrillInject["facts"]>;

/**
 * What the injects do (the `crisis.drill-injects` job calls `actOnSandbox` when an inject's minute comes, and
 * `actOnCrisis` once the drill's crisis exists — at once, or when it is declared later):
 * - journalist_dm: a reporter's account on the Sandbox writes to the brand's Sandbox channel, by direct message and in
 *   a public mention, so it turns up where a real one would (the inbox, listening);
 * - second_wave: a further burst of complaint posts on the Sandbox, so the volume rises again;
 * - approver_unreachable: the holder of the severity's approver role cannot approve the drill crisis's statements
 *   while the drill runs (drills/unreachable.ts refuses it); the team has to let the deadline pass to the backup;
 * - executive_asks: a task for the crisis lead, due in 15 minutes: "the executive asks for a status update";
 * - leaked_memo: an anonymous Sandbox account posts an "internal memo" of the brand's that matches the scenario, naming
 *   the brand's handle, and a well-followed reviewer shares it: it turns up where a real leak would (the Sandbox, and
 *   listening's streams that watch the brand), and the team has to decide whether and how to answer it;
 * Everything the Sandbox gets carries an idempotency key of the drill, so delivering an inject twice adds nothing twice.
 */

/** The reporter who writes during drills: a Sandbox audience account created on first use. */
export const DRILL_JOURNALIST = {
  handle: "mara_ledger",
  displayName: "Mara Quinn · The Morning Ledger",
  kind: "audience" as const,
  language: "en",
  bio: "Consumer affairs reporter at The Morning Ledger. Tips: DMs open.",
  followers: 61_400,
  verified: true,
};

/** The second wave per Sandbox scenario: [handle, language, text]. Accounts of the seeded Sandbox; a missing one is left out. */
const SECOND_WAVE: Record<string, Array<[string, string, string]>> = {
  viral_complaint: [
    ["dan_reviews", "en", "Day two and @emberoak still hasn't said a word about batch HB-0923. 60k views now. Unsubscribing from their newsletter."],
    ["maya_collins", "en", "@emberoak my bag is from HB-0923 too. Is it safe to drink or not? Simple question."],
    ["felix_draussen", "de", "@emberoak_de Schimmel in versiegelten Tüten? Ich kündige mein Abo."],
    ["luca_ferrari", "it", "@emberoak anche il mio sacchetto ha la muffa. Rimborso, per favore."],
    ["thijs_bakker", "nl", "@emberoak nog steeds geen reactie? Slechte zaak."],
    ["ali_rahimi", "fa", "@emberoak هنوز هیچ پاسخی نداده‌اید. این قابل قبول نیست."],
  ],
  defective_product: [
    ["dan_reviews", "en", "Three more readers sent me photos of burns from the @emberoak Copper Kettle. Where is the recall?"],
    ["tom_hargreaves", "en", "@emberoak my son grabbed the Copper Kettle handle and got blisters. Why is this still on sale?"],
    ["jonas_becker", "de", "@emberoak_de Auch mein Copper Kettle: Griff glühend heiß. Wann kommt der Rückruf?"],
    ["giulia_rossi", "it", "@emberoak il bollitore Copper Kettle è pericoloso, ritiratelo."],
    ["sanne_devries", "nl", "@emberoak ik heb een brandblaar van de Copper Kettle. Wat gaan jullie doen?"],
    ["sara_ahmadi", "fa", "@emberoak دسته‌ی کتری دست مرا سوزاند. چرا هنوز فروخته می‌شود؟"],
  ],
  impostor_giveaway: [
    ["dan_reviews", "en", "PSA: a fake @emberoak giveaway is stealing card details and the brand is silent. I've had 20 DMs about it."],
    ["priya_raman", "en", "@emberoak I lost £89 to your 'giveaway'. Is anyone there?"],
    ["lena_schmidt", "de", "@emberoak_de Das Gewinnspiel hat meine Karte belastet. Warum warnt ihr niemanden?"],
    ["marco_bianchi", "it", "@emberoak truffa a vostro nome e nessun avviso. Vergogna."],
    ["eva_visser", "nl", "@emberoak waarschuw jullie volgers nou eens voor dat nepaccount!"],
    ["reza_karimi", "fa", "@emberoak حساب جعلی به اسم شما پول مردم را می‌گیرد. چرا کاری نمی‌کنید؟"],
  ],
  hacked_account_spam: [
    ["dan_reviews", "en", "@emberoak_support is STILL posting crypto scams an hour later. Does anyone at @emberoak have the password?"],
    ["maya_collins", "en", "@emberoak I clicked the link from your support account. Is my data safe?"],
    ["anna_kocht", "de", "@emberoak_de Euer Support-Konto spammt immer noch Krypto-Links."],
    ["francesca_conti", "it", "@emberoak il vostro account di assistenza è stato hackerato, fate qualcosa."],
    ["bram_jansen", "nl", "@emberoak nog steeds spam vanaf jullie support-account. Hallo?"],
    ["maryam_hosseini", "fa", "@emberoak حساب پشتیبانی شما هنوز پیام‌های کلاهبرداری می‌فرستد."],
  ],
};

/** Who posts the leaked memo during drills: an anonymous Sandbox account created on first use. */
export const DRILL_LEAKER = {
  handle: "oakleaks",
  displayName: "Oak Leaks (anonymous)",
  kind: "audience" as const,
  language: "en",
  bio: "Anonymous. What brands write when they think nobody outside is reading.",
  followers: 8_200,
  verified: false,
};

/** The leaked memo per Sandbox scenario (`{brand}` is the brand's handle), and the reviewer's share of it. */
const LEAKED_MEMO: Record<string, string> = {
  viral_complaint: 'LEAKED: an internal {brand} memo, two weeks old: "QA flagged moisture in batch HB-0923. No public comment until the supplier review is done." So they knew. #leakedmemo',
  defective_product: 'LEAKED: an internal {brand} memo from last month: "Copper Kettle handle temperature exceeds spec in testing. Continue sales; revisit in Q3." #leakedmemo',
  impostor_giveaway: 'LEAKED: an internal {brand} memo: "We are aware of the fake giveaway account. Reporting it is low priority; no customer warning for now." #leakedmemo',
  hacked_account_spam: 'LEAKED: an internal {brand} IT memo: "The support account shares one password with six agencies, no two-factor. Fix after the holidays." #leakedmemo',
};
const LEAKED_MEMO_SHARE: [string, string] = ["dan_reviews", "A leaked internal memo from {brand} is going around. If it's real, this is much worse than one bad week. {brand}, is the memo authentic?"];

/** The executive's request as a task, in the lead's language. */
const EXECUTIVE_TASK: Record<string, { title: string; description: string }> = {
  en: { title: "The executive asks for a status update", description: "Drill inject: the CEO wants to know where things stand. Post an executive status update (status, overview, next steps) in the room." },
  de: { title: "Die Geschäftsführung bittet um einen Lagebericht", description: "Übungseinlage: Die Geschäftsführung will wissen, wie es steht. Schreiben Sie im Krisenraum einen Lagebericht für die Geschäftsführung (Stand, Überblick, nächste Schritte)." },
  it: { title: "La direzione chiede un aggiornamento sulla situazione", description: "Evento dell'esercitazione: l'amministratore delegato vuole sapere a che punto siete. Pubblica nella stanza un aggiornamento per la direzione (stato, quadro, prossimi passi)." },
  nl: { title: "De directie vraagt om een stand van zaken", description: "Oefeninject: de directeur wil weten hoe het ervoor staat. Plaats in de crisisruimte een update voor de directie (status, overzicht, volgende stappen)." },
  fa: { title: "مدیرعامل گزارش وضعیت می‌خواهد", description: "رویداد تمرین: مدیرعامل می‌خواهد بداند اوضاع چگونه است. در اتاق بحران یک گزارش وضعیت برای مدیران (وضعیت، نمای کلی، گام‌های بعدی) بنویسید." },
};

/** The brand's Sandbox account the journalist writes to: the workspace's live Sandbox channel (@emberoak first), else @emberoak. */
async function brandAccount(tx: Ctx, workspaceId: string) {
  const connected = await tx.db
    .select({ accountId: channels.networkAccountId, handle: channels.handle })
    .from(channels)
    .where(and(eq(channels.workspaceId, workspaceId), eq(channels.network, "sandbox"), isNull(channels.disconnectedAt)))
    .orderBy(asc(channels.createdAt));
  const preferred = connected.find((c) => c.handle.replace(/^@/, "").toLowerCase() === "emberoak") ?? connected[0];
  if (preferred) {
    const account = await findSandboxAccountById(tx.db as Db, preferred.accountId);
    if (account) return account;
  }
  return findSandboxAccount(tx.db as Db, "emberoak");
}

/** What the inject does on the Sandbox when its minute comes; returns the facts kept on the inject (and its timeline event). */
export async function actOnSandbox(tx: Ctx, drill: DrillRow, inject: DrillInject, now: Date): Promise<InjectFacts | undefined> {
  const db = tx.db as Db;
  const key = (part: string) => `drill:${drill.id}:${inject.kind}:${inject.atMinute}:${part}`;
  if (inject.kind === "journalist_dm") {
    const brand = await brandAccount(tx, drill.workspaceId);
    if (!brand) return { journalist: `@${DRILL_JOURNALIST.handle}`, to: null };
    const journalist = await ensureSandboxAccount(db, { ...DRILL_JOURNALIST, createdAt: now });
    await sendSandboxDirectMessage(db, {
      senderId: journalist.id,
      recipientId: brand.id,
      text: `Hi, Mara Quinn from The Morning Ledger here. We're running a story on the complaints about ${brand.displayName} this afternoon. Can you give me a statement within the hour? What happened, and what are you doing about it?`,
      idempotencyKey: key("dm"),
      createdAt: now,
    });
    await createSandboxPost(db, journalist.id, {
      text: `@${brand.handle} I've sent you a DM: we're reporting on this today and would like your comment before publication.`,
      lang: "en",
      idempotencyKey: key("mention"),
      createdAt: now,
    });
    return { journalist: `@${journalist.handle}`, to: `@${brand.handle}` };
  }
  if (inject.kind === "leaked_memo") {
    const brand = await brandAccount(tx, drill.workspaceId);
    const to = `@${brand?.handle ?? "emberoak"}`;
    const leaker = await ensureSandboxAccount(db, { ...DRILL_LEAKER, createdAt: now });
    let posts = 0;
    const memo = (LEAKED_MEMO[drill.sandboxScenario] ?? LEAKED_MEMO.viral_complaint).replaceAll("{brand}", to);
    if ((await createSandboxPost(db, leaker.id, { text: memo, lang: "en", idempotencyKey: key("memo"), createdAt: now })).created) posts++;
    const sharer = await findSandboxAccount(db, LEAKED_MEMO_SHARE[0]);
    if (sharer && (await createSandboxPost(db, sharer.id, { text: LEAKED_MEMO_SHARE[1].replaceAll("{brand}", to), lang: "en", idempotencyKey: key("share"), createdAt: now })).created) posts++;
    return { by: `@${leaker.handle}`, to, posts };
  }
  if (inject.kind === "second_wave") {
    let posts = 0;
    for (const [n, [handle, lang, text]] of (SECOND_WAVE[drill.sandboxScenario] ?? SECOND_WAVE.viral_complaint).entries()) {
      const account = await findSandboxAccount(db, handle);
      if (!account) continue;
      const stored = await createSandboxPost(db, account.id, { text, lang, idempotencyKey: key(String(n)), createdAt: now });
      if (stored.created) posts++;
    }
    return { posts };
  }
  return undefined;
}

/**
 * What a delivered inject does in the drill's crisis: a pinned timeline event (at `at`, the delivery time) carrying
 * its facts, and for executive_asks a task for the lead. Called when the inject is delivered after the declaration,
 * or at the declaration for injects delivered before it.
 */
export async function actOnCrisis(tx: Ctx, drill: DrillRow, crisisId: string, inject: DrillInject, at: Date): Promise<void> {
  const facts: Record<string, unknown> = { ...(inject.facts ?? {}) };
  if (inject.kind === "approver_unreachable") {
    const [crisis] = await tx.db.select({ severityLevel: crises.severityLevel }).from(crises).where(eq(crises.id, crisisId));
    // As the room's submit does: the holder of the severity's approver role, the lead when nobody holds it.
    const role = (await severityOf(tx, drill.workspaceId, crisis?.severityLevel ?? 2)).approverRole;
    const [held] = await tx.db
      .select({ userId: crisisRoles.userId })
      .from(crisisRoles)
      .where(and(eq(crisisRoles.crisisId, crisisId), eq(crisisRoles.role, role), eq(crisisRoles.isBackup, false), isNull(crisisRoles.renouncedAt)))
      .limit(1);
    facts.approverRole = held ? role : "lead";
  }
  if (inject.kind === "executive_asks") {
    const [lead] = await tx.db
      .select({ userId: crisisRoles.userId, locale: users.locale })
      .from(crisisRoles)
      .innerJoin(users, eq(users.id, crisisRoles.userId))
      .where(and(eq(crisisRoles.crisisId, crisisId), eq(crisisRoles.role, "lead"), eq(crisisRoles.isBackup, false), isNull(crisisRoles.renouncedAt)))
      .limit(1);
    const words = EXECUTIVE_TASK[lead?.locale ?? "en"] ?? EXECUTIVE_TASK.en;
    const dueAt = new Date(tx.now().getTime() + 15 * 60_000);
    const [task] = await tx.db
      .insert(crisisTasks)
      .values({ crisisId, source: "adhoc", kind: "communication", title: words.title, description: words.description, ownerId: lead?.userId ?? null, ownerRole: "lead", dueAt, createdAt: tx.now() })
      .returning();
    facts.taskId = task.id;
    await recordCrisisEvent(tx, crisisId, "task_created", { taskId: task.id, title: task.title, ownerId: task.ownerId, dueAt: dueAt.toISOString(), source: "drill" });
  }
  await recordCrisisEvent(tx, crisisId, "inject", { drillId: drill.id, kind: inject.kind, atMinute: inject.atMinute, ...facts }, { at, pinned: true });
}
