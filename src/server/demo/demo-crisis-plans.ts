import { eq } from "drizzle-orm";
import type { CrisisPlanContent, PlanRoleKey } from "../../contracts/crisis-plans";
import { inTransaction, unsafeSystemCtx, type Services } from "../context";
import { approveStatementsIn, createPlanIn, scenarioTemplate, SCENARIO_TEMPLATES } from "../domains/crisis/plans";
import { users } from "../domains/identity/identity.schema";
import { listeningStreams } from "../domains/listening/listening.schema";
import { memberships } from "../domains/workspaces/workspaces.schema";

/** Who holds each plan role at Ember & Oak, and who backs them up (demo people by the local part of their email). */
const DEMO_ROLES: Record<PlanRoleKey, [holder: string, backup: string]> = {
  lead: ["sofia", "owner"],
  pr: ["pieter", "sofia"],
  legal: ["greta", "owner"],
  customer_care: ["lucia", "jan"],
  social: ["jan", "sofia"],
  security: ["amir", "owner"],
  executive: ["owner", "amir"],
};

/**
 * Holding statements in the brand's other languages (German and Persian followers, see demo-listening.ts) for the
 * two scenarios the Sandbox plays: the viral complaint about mouldy beans and the recall of batch HB-0923.
 */
const EXTRA_STATEMENTS: Partial<Record<keyof typeof SCENARIO_TEMPLATES, CrisisPlanContent["statements"]>> = {
  viral_complaint: [
    {
      id: "holding-de",
      title: "Wir haben den Beitrag gesehen",
      locale: "de",
      body: "Wir haben den Beitrag von [Kund:in] über [Problem] gesehen. So soll es niemandem bei uns ergehen, und das tut uns leid. Wir haben uns direkt gemeldet und prüfen, was bei [Ort/Ablauf] passiert ist. Wenn es Ihnen ähnlich ging, schreiben Sie uns bitte an [Kanal]. Bis [Uhrzeit] sagen wir, was wir herausgefunden haben und was wir ändern.",
      approvedBy: null,
      approvedAt: null,
    },
    {
      id: "holding-fa",
      title: "پست را دیده‌ایم و پیگیری می‌کنیم",
      locale: "fa",
      body: "پست [مشتری] دربارهٔ [مشکل] را دیده‌ایم. این تجربه‌ای نیست که برای هیچ‌کس بخواهیم و بابت آن متأسفیم. مستقیم با ایشان تماس گرفته‌ایم و بررسی می‌کنیم در [مکان/فرایند] چه پیش آمده است. اگر برای شما هم پیش آمده، لطفاً از راه [کانال] به ما پیام دهید. تا [ساعت] می‌گوییم چه یافته‌ایم و چه چیزی را تغییر می‌دهیم.",
      approvedBy: null,
      approvedAt: null,
    },
  ],
  product_recall: [
    {
      id: "holding-de",
      title: "Bitte [Produkt] vorerst nicht verwenden",
      locale: "de",
      body: "Wir gehen Hinweisen nach, dass [Produkt] [Gefahr] sein könnte, und verstehen, wie beunruhigend das ist. Bitte verwenden Sie [Produkt, Charge] vorsorglich nicht, bis wir mehr wissen. Bei Fragen erreichen Sie uns unter [Kanal]. Ihre Sicherheit geht vor; das nächste Update gibt es bis [Uhrzeit].",
      approvedBy: null,
      approvedAt: null,
    },
    {
      id: "holding-fa",
      title: "لطفاً فعلاً از [محصول] استفاده نکنید",
      locale: "fa",
      body: "گزارش‌هایی را بررسی می‌کنیم که [محصول] ممکن است [خطر] داشته باشد و می‌دانیم این چقدر نگران‌کننده است. از سر احتیاط، لطفاً تا اطلاع بعدی از [محصول، شمارهٔ بسته] استفاده نکنید. اگر پرسشی دارید، از راه [کانال] با ما در تماس باشید. ایمنی شما در اولویت است و تا [ساعت] خبر تازه می‌دهیم.",
      approvedBy: null,
      approvedAt: null,
    },
  ],
};

/**
 * The demo brand's crisis plans: one per scenario from its ready template, every role held by a demo person with a
 * backup, the holding statements approved by the owner, stakeholders, and the listening streams and alert kinds that
 * propose each plan (the viral complaint on the brand stream's spike, the recall on the Complaints stream's keyword
 * alert for batch HB-0923). Marco (the agency partner) holds no role: his access ends by itself.
 */
export async function seedDemoCrisisPlans(services: Services, workspaceId: string): Promise<void> {
  const system = unsafeSystemCtx(services, "demo", workspaceId);
  await inTransaction(system, async (tx) => {
    const people = await tx.db
      .select({ id: users.id, email: users.email, role: memberships.role })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.workspaceId, workspaceId));
    const owner = people.find((p) => p.role === "owner")!;
    const byLocal = (local: string) => (local === "owner" ? owner.id : (people.find((p) => p.email.split("@")[0] === local)?.id ?? null));
    const domain = owner.email.split("@")[1];
    const streams = await tx.db.select({ id: listeningStreams.id, name: listeningStreams.name }).from(listeningStreams).where(eq(listeningStreams.workspaceId, workspaceId));
    const stream = (name: string) => streams.filter((s) => s.name === name).map((s) => s.id);
    const triggers: Partial<Record<keyof typeof SCENARIO_TEMPLATES, CrisisPlanContent["triggers"]>> = {
      viral_complaint: { streamIds: stream("Ember & Oak"), alertKinds: ["spike", "negative_turn"] },
      product_recall: { streamIds: stream("Complaints"), alertKinds: ["keyword"] },
      impostor_scam: { streamIds: [], alertKinds: ["impostor"] },
    };
    for (const scenario of Object.keys(SCENARIO_TEMPLATES) as Array<keyof typeof SCENARIO_TEMPLATES>) {
      const { name, content } = scenarioTemplate(scenario);
      content.roles = content.roles.map((r) => ({ role: r.role, holderId: byLocal(DEMO_ROLES[r.role][0]), backupId: byLocal(DEMO_ROLES[r.role][1]) }));
      content.statements = [...content.statements, ...(EXTRA_STATEMENTS[scenario] ?? [])];
      content.stakeholders = [
        { name: "Executive board", email: `board@${domain}`, destinationId: null, fromSeverity: 1 },
        { name: "Store managers", email: `stores@${domain}`, destinationId: null, fromSeverity: 2 },
      ];
      if (triggers[scenario]) content.triggers = triggers[scenario]!;
      const plan = await createPlanIn(tx, workspaceId, { scenario, name, content, note: "Demo plan from the ready template" });
      await approveStatementsIn(tx, plan, content.statements.map((s) => s.id), owner.id);
    }
  });
}
