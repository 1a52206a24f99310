import type { Db } from "../../db/client";
import { createSandboxPost, findSandboxAccount, findSandboxPostByKey, reactToSandboxPost, sendSandboxDirectMessage } from "./network";

/**
 * Scenarios: what the Sandbox's audience (and its impostors and attackers) do next, as data. Each scenario is a
 * list of ticks; `runScenarioTick` adds the next tick's posts, messages and reactions. The volume and tone follow the
 * story: a viral complaint grows tick by tick, a defective product spreads across languages. Scenarios act on the
 * seeded network (`seedSandboxNetwork`) and refer to its accounts by handle.
 */

export type ScenarioId = "steady_chatter" | "viral_complaint" | "impostor_giveaway" | "hacked_account_spam" | "defective_product";

/** A post of this scenario (by its beat key) or a seeded post (by handle and seed key). */
export type PostReference = { beat: string } | { seed: { handle: string; key: string } };

export type ScenarioBeat =
  | { key: string; post: { by: string; text: string; lang: string; replyTo?: PostReference } }
  | { key: string; message: { from: string; to: string; text: string } }
  | { key: string; reaction: { by: string; to: PostReference; reaction: string } };

export type SandboxScenario = {
  id: ScenarioId;
  title: string;
  description: string;
  /** What each tick adds, in order. */
  ticks: ScenarioBeat[][];
};

const post = (key: string, by: string, lang: string, text: string, replyTo?: PostReference): ScenarioBeat => ({ key, post: { by, lang, text, replyTo } });
const message = (key: string, from: string, to: string, text: string): ScenarioBeat => ({ key, message: { from, to, text } });
const react = (key: string, by: string, to: PostReference, reaction: string): ScenarioBeat => ({ key, reaction: { by, to, reaction } });
const beat = (key: string): PostReference => ({ beat: key });
const seeded = (handle: string, key: string): PostReference => ({ seed: { handle, key } });

const PILE_ON: Array<[by: string, lang: string, text: string]> = [
  ["tom_hargreaves", "en", "Wow. @emberoak this is disgusting, I have the same batch in my cupboard."],
  ["priya_raman", "en", "Binning my bag right now. @emberoak what batch numbers are affected?"],
  ["lena_schmidt", "de", "@emberoak Ist das auch in Deutschland verkauft worden? Ich habe dieselbe Tüte."],
  ["giulia_rossi", "it", "Che schifo. @emberoak spiegate subito cosa è successo."],
  ["sanne_devries", "nl", "Dit is echt niet oké @emberoak. Ik wil mijn geld terug."],
  ["camille_martin", "fr", "@emberoak on attend une explication, et vite."],
  ["lucia_garcia", "es", "@emberoak ¿Qué pasa con vuestro control de calidad?"],
  ["sara_ahmadi", "fa", "@emberoak این خیلی نگران‌کننده است. لطفاً توضیح دهید."],
  ["jonas_becker", "de", "Erst doppelte Abbuchung, jetzt Schimmel. @emberoak ich bin raus."],
  ["lucas_bernard", "fr", "Je partage pour que tout le monde vérifie ses sachets. @emberoak"],
  ["hugo_lefevre", "fr", "Même lot chez moi. @emberoak je fais une réclamation."],
  ["javier_lopez", "es", "Compartido. @emberoak respondan de una vez."],
  ["eva_visser", "nl", "Onze hele lerarenkamer drinkt dit. @emberoak wat nu?"],
  ["reza_karimi", "fa", "@emberoak آیا این محموله به ایران هم ارسال شده؟"],
];

export const SANDBOX_SCENARIOS: Record<ScenarioId, SandboxScenario> = {
  steady_chatter: {
    id: "steady_chatter",
    title: "Steady chatter",
    description: "An ordinary day: a few mentions, questions and compliments in every language.",
    ticks: [
      [post("morning", "maya_collins", "en", "Morning cup of Hearth before bed after a night shift. Thanks @emberoak ☕")],
      [post("abo", "felix_draussen", "de", "@emberoak_de Kann man das Abo pausieren, wenn man im Urlaub ist?"), react("like-morning", "jake_on_trails", beat("morning"), "like")],
      [post("moka", "francesca_conti", "it", "Nuova ricetta sul blog: affogato con Hearth di @emberoak 🍨")],
      [post("vraag", "thijs_bakker", "nl", "@emberoak_support welke maling gebruik ik voor een aeropress?"), message("dm-grind", "thijs_bakker", "emberoak_support", "Hoi! Welke maling raden jullie aan voor een aeropress?")],
      [post("sobh", "maryam_hosseini", "fa", "صبح با قهوه‌ی @emberoak و نور خوب برای عکاسی.")],
      [post("cafe", "chloe_dubois", "fr", "Petit café au labo avant la fournée. @emberoak fidèle au poste."), post("cafe-es", "pablo_fernandez", "es", "Estudiando con café de @emberoak. Examen mañana 😅")],
    ],
  },

  viral_complaint: {
    id: "viral_complaint",
    title: "Viral complaint",
    description: "A reviewer with a large following finds mould in a bag of beans; it spreads at once (a burst of replies in the first tick), the pile-on goes on and the press asks.",
    // The first tick is already a burst (ten mentions of the brand, the medium level's floor), so the brand stream's
    // spike is raised at the judging job's next run, within a minute or two of starting, next to the batch number's
    // critical-term alert, rather than minutes after it.
    ticks: [
      [
        post("mould", "dan_reviews", "en", "Opened a sealed bag of @emberoak Hearth for a review and it's MOULDY. Batch HB-0923. Photos below. Not OK."),
        ...PILE_ON.slice(0, 9).map(([by, lang, text], n) => post(`pile-${n}`, by, lang, text, beat("mould"))),
        react("angry-0", "tom_hargreaves", beat("mould"), "😡"),
      ],
      [
        ...PILE_ON.slice(9, 11).map(([by, lang, text], n) => post(`pile-${n + 9}`, by, lang, text, beat("mould"))),
        message("dm-refund", "priya_raman", "emberoak_support", "I have two bags of HB-0923. How do I get a refund?"),
      ],
      PILE_ON.slice(11).map(([by, lang, text], n) => post(`pile-${n + 11}`, by, lang, text, beat("mould"))),
      ["sarah_bakes", "anna_kocht", "marco_bianchi", "bram_jansen", "carmen_ruiz", "ali_rahimi"].map((by) => react(`angry-${by}`, by, beat("mould"), "😡")),
      [post("press", "dan_reviews", "en", "Update: 40k views. Still no word from @emberoak. Journalists are asking me for comment.")],
    ],
  },

  impostor_giveaway: {
    id: "impostor_giveaway",
    title: "Impostor giveaway",
    description: "A look-alike account announces a fake giveaway; fans fall for it and ask the brand whether it is real.",
    ticks: [
      [post("announce", "emberoak_giveaway", "en", "🎉 MEGA GIVEAWAY 🎉 @emberoak turns 15! 500 Copper Kettles FREE. Claim at emberoak-gifts.example/win (shipping fee only) ⏰ 2 hours left!")],
      [
        post("entered", "tom_hargreaves", "en", "Just entered! Paid the shipping fee, fingers crossed 🤞 @emberoak", beat("announce")),
        post("real", "maya_collins", "en", "@emberoak is this your account? The handle looks off…", beat("announce")),
      ],
      [
        post("de", "jonas_becker", "de", "@emberoak_de Ist das Gewinnspiel echt? Die wollen meine Kreditkarte.", beat("announce")),
        message("dm-real", "sarah_bakes", "emberoak_support", "Hi, is the giveaway on @emberoak_giveaway real? They asked for my card number."),
        post("it", "luca_ferrari", "it", "@emberoak il vostro giveaway chiede i dati della carta. È una truffa?", beat("announce")),
      ],
      [
        post("scammed", "tom_hargreaves", "en", "@emberoak I was charged £89 by the 'giveaway'. Your brand, your problem. Fix this."),
        post("again", "emberoak_giveaway", "en", "Only 37 kettles left!!! Claim now 👉 emberoak-gifts.example/win — official @emberoak partner"),
        post("fr", "camille_martin", "fr", "Attention, ce compte n'est PAS @emberoak. Ne donnez pas vos coordonnées bancaires !", beat("again")),
      ],
    ],
  },

  hacked_account_spam: {
    id: "hacked_account_spam",
    title: "Hacked account spam",
    description: "Someone takes over @emberoak_support and posts crypto spam from it; followers notice.",
    ticks: [
      [post("spam-1", "emberoak_support", "en", "🚀 We now accept crypto! Send 0.05 BTC to bc1q-example-wallet and get 0.1 BTC back + free beans for a year!")],
      [
        post("spam-2", "emberoak_support", "en", "Limited offer!!! Double your ETH with Ember & Oak 👉 emberoak-crypto.example"),
        post("spam-3", "emberoak_support", "de", "Nur heute: Bitcoin verdoppeln mit Ember & Oak! emberoak-crypto.example"),
      ],
      [
        post("hacked", "priya_raman", "en", "@emberoak_support has been hacked, don't click anything. @emberoak you might want to look at this.", beat("spam-1")),
        post("spam-4", "emberoak_support", "en", "DM us your wallet seed phrase to verify your account for the airdrop 🎁"),
        message("dm-hacked", "dan_reviews", "emberoak", "Your support account is posting crypto scams right now. Heads up."),
      ],
      [
        post("spam-5", "emberoak_support", "fr", "Offre crypto exclusive ! Envoyez 0,05 BTC et recevez le double. emberoak-crypto.example"),
        post("fooled", "ali_rahimi", "fa", "@emberoak_support من بیت‌کوین فرستادم ولی چیزی برنگشت!", beat("spam-1")),
        post("nl", "bram_jansen", "nl", "Jullie support-account is gehackt @emberoak. Doe er iets aan.", beat("spam-2")),
      ],
    ],
  },

  defective_product: {
    id: "defective_product",
    title: "Defective product",
    description: "The Copper Kettle's handle overheats; burns are reported in one language after another.",
    ticks: [
      [post("burn-en", "sarah_bakes", "en", "Second burn this week from the @emberoak Copper Kettle handle. Photo of the blister below. This needs a recall.")],
      [
        post("burn-de", "anna_kocht", "de", "Auch bei mir: Griff des Copper Kettle wird über 60 °C heiß. @emberoak_de Rückruf?", seeded("anna_kocht", "anna-kessel")),
        message("dm-burn", "maya_collins", "emberoak_support", "My kettle handle melted a little on the gas hob. Is it safe to keep using?"),
      ],
      [
        post("burn-it", "francesca_conti", "it", "Il manico del Copper Kettle di @emberoak scotta. Mia figlia si è bruciata."),
        post("burn-es", "carmen_ruiz", "es", "Medí el asa del Copper Kettle: 71 °C tras hervir. @emberoak esto es peligroso.", seeded("javier_lopez", "javier-tetera")),
        post("burn-nl", "eva_visser", "nl", "@emberoak de Copper Kettle is gevaarlijk, ik heb mijn hand gebrand."),
      ],
      [
        post("burn-fr", "chloe_dubois", "fr", "@emberoak brûlure au deuxième degré avec la bouilloire Copper Kettle. J'attends une réponse."),
        post("burn-fa", "maryam_hosseini", "fa", "دسته‌ی کتری Copper Kettle از @emberoak خیلی داغ می‌شود. مراقب باشید."),
        post("review", "dan_reviews", "en", "Thermal camera test: @emberoak Copper Kettle handle hits 74 °C. I'm pulling my recommendation.", seeded("dan_reviews", "dan-kettle")),
        message("dm-lawyer", "chloe_dubois", "emberoak", "Bonjour, mon avocat vous contactera au sujet de ma brûlure."),
      ],
    ],
  },
};

/** What a call added, whether the scenario has no tick left, and how many of its ticks are now stored (progress). */
/** A scenario needs an account or post the Sandbox does not have: it was not seeded (seedSandboxNetwork). */
export class SandboxNotSeededError extends Error {}

export type ScenarioTick = { added: number; finished: boolean; ticksPlayed: number };

/**
 * Adds the next tick of the scenario: the first tick whose beats are not all stored yet. Each beat has a stable key
 * (per `run`), so a tick that died half-way is completed by the next call, and a finished scenario adds nothing; a
 * new `run` plays the scenario again. Needs the seeded network.
 */
export async function runScenarioTick(db: Db, scenario: SandboxScenario, now: Date, options: { run?: string } = {}): Promise<ScenarioTick> {
  const run = options.run ?? "1";
  const keyOf = (beatKey: string) => `scenario:${scenario.id}:${run}:${beatKey}`;
  const accounts = new Map<string, string>();
  const accountId = async (handle: string) => {
    let id = accounts.get(handle);
    if (!id) {
      const account = await findSandboxAccount(db, handle);
      if (!account) throw new SandboxNotSeededError(`the scenario "${scenario.id}" needs @${handle}: seed the Sandbox first (seedSandboxNetwork)`);
      id = account.id;
      accounts.set(handle, id);
    }
    return id;
  };
  const posts = new Map<string, string>();
  const resolve = async (reference: PostReference) => {
    const id =
      "beat" in reference
        ? posts.get(reference.beat)
        : (await findSandboxPostByKey(db, await accountId(reference.seed.handle), `seed:${reference.seed.key}`))?.id;
    if (!id) throw new SandboxNotSeededError(`the scenario "${scenario.id}" refers to a post that is not there: ${JSON.stringify(reference)}`);
    return id;
  };

  for (const [index, tick] of scenario.ticks.entries()) {
    let added = 0;
    for (const [order, beat] of tick.entries()) {
      if ("post" in beat) {
        const stored = await createSandboxPost(db, await accountId(beat.post.by), {
          text: beat.post.text,
          lang: beat.post.lang,
          replyToId: beat.post.replyTo ? await resolve(beat.post.replyTo) : null,
          idempotencyKey: keyOf(beat.key),
          // A millisecond apart in the tick's order: a post comes before the replies to it (a spike's first posts).
          createdAt: new Date(now.getTime() + order),
        });
        posts.set(beat.key, stored.post.id);
        if (stored.created) added++;
      } else if ("message" in beat) {
        const sent = await sendSandboxDirectMessage(db, {
          senderId: await accountId(beat.message.from),
          recipientId: await accountId(beat.message.to),
          text: beat.message.text,
          idempotencyKey: keyOf(beat.key),
          createdAt: now,
        });
        if (sent.created) added++;
      } else {
        const reacted = await reactToSandboxPost(db, { accountId: await accountId(beat.reaction.by), postId: await resolve(beat.reaction.to), reaction: beat.reaction.reaction, createdAt: now });
        if (reacted) added++;
      }
    }
    if (added > 0) return { added, finished: index === scenario.ticks.length - 1, ticksPlayed: index + 1 };
  }
  return { added: 0, finished: true, ticksPlayed: scenario.ticks.length };
}

/** Handles a scenario acts as or refers to that the Sandbox does not have (empty when it can play). */
export async function missingScenarioAccounts(db: Db, scenario: SandboxScenario): Promise<string[]> {
  const handles = new Set<string>();
  for (const beat of scenario.ticks.flat()) {
    if ("post" in beat) {
      handles.add(beat.post.by);
      if (beat.post.replyTo && "seed" in beat.post.replyTo) handles.add(beat.post.replyTo.seed.handle);
    } else if ("message" in beat) {
      handles.add(beat.message.from);
      handles.add(beat.message.to);
    } else {
      handles.add(beat.reaction.by);
      if ("seed" in beat.reaction.to) handles.add(beat.reaction.to.seed.handle);
    }
  }
  const missing: string[] = [];
  for (const handle of handles) if (!(await findSandboxAccount(db, handle))) missing.push(handle);
  return missing;
}
