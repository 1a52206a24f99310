import type { Db } from "../../db/client";
import { createSandboxPost, ensureSandboxAccount, findSandboxAccount, findSandboxPostByKey, reactToSandboxPost, sendSandboxDirectMessage } from "./network";
import type { SandboxAccountKind } from "./sandbox.schema";

/**
 * The Sandbox as the demo finds it: Ember & Oak Coffee Roasters' three accounts, an audience of thirty-one people
 * writing in English, German, Italian, Dutch, Persian, French and Spanish (praise, questions, complaints), and two
 * look-alike impostors. Every row has a stable key, so seeding again adds nothing.
 */

type SeedAccount = { handle: string; displayName: string; kind: SandboxAccountKind; language: string; followers: number; bio: string; daysOld: number; verified?: boolean };

export const SANDBOX_BRAND_HANDLES = ["emberoak", "emberoak_de", "emberoak_support"] as const;
export const SANDBOX_IMPOSTOR_HANDLES = ["emberoak_giveaway", "ember0ak"] as const;

const BRAND: SeedAccount[] = [
  { handle: "emberoak", displayName: "Ember & Oak Coffee", kind: "brand", language: "en", followers: 48_200, bio: "Small-batch coffee roasters since 2009. Brewing gear, beans, and the odd opinion.", daysOld: 5200, verified: true },
  { handle: "emberoak_de", displayName: "Ember & Oak Deutschland", kind: "brand", language: "de", followers: 9_300, bio: "Frisch geröstet, schnell geliefert. Impressum: emberoak.example/de/impressum", daysOld: 2100, verified: true },
  { handle: "emberoak_support", displayName: "Ember & Oak Support", kind: "brand", language: "en", followers: 3_100, bio: "Orders, returns, brewing help. Mon–Fri 8–18 CET. DMs open.", daysOld: 1800, verified: true },
];

const IMPOSTORS: SeedAccount[] = [
  { handle: "emberoak_giveaway", displayName: "Ember & Oak Coffee 🎁", kind: "impostor", language: "en", followers: 212, bio: "OFFICIAL giveaway page ☕ Claim your free grinder — link below!", daysOld: 3 },
  { handle: "ember0ak", displayName: "Ember & 0ak Coffee", kind: "impostor", language: "en", followers: 57, bio: "Coffee roasters. Customer care: DM us your order number and email.", daysOld: 9 },
];

type Person = [handle: string, displayName: string, followers: number, bio: string];
const person = (language: string) => ([handle, displayName, followers, bio]: Person) => ({ handle, displayName, followers, bio, language, kind: "audience" as const });

const AUDIENCE: SeedAccount[] = [
  ...([
    ["maya_collins", "Maya Collins", 1240, "Pour-over nerd. Nurse on nights."],
    ["tom_hargreaves", "Tom Hargreaves", 380, "Leeds. Cycling, coffee, complaining about trains."],
    ["priya_raman", "Priya Raman", 2900, "Product designer. Flat whites are a personality."],
    ["jake_on_trails", "Jake Morrison", 860, "Camp stove coffee, always."],
    ["sarah_bakes", "Sarah O'Neill", 5400, "Home baker. Cakes pair with coffee, obviously."],
    ["dan_reviews", "Dan Whitfield", 15_800, "I review kitchen gear so you don't have to."],
  ] satisfies Person[]).map(person("en")),
  ...([
    ["lena_schmidt", "Lena Schmidt", 640, "Hamburg. Kaffee, Hafen, Bücher."],
    ["jonas_becker", "Jonas Becker", 210, "Software in Köln."],
    ["katrin_wolf", "Katrin Wolf", 1330, "Café-Besitzerin in Leipzig."],
    ["felix_draussen", "Felix Hoffmann", 470, "Immer draußen, immer mit Kaffee."],
    ["anna_kocht", "Anna Richter", 3900, "Ich koche, backe und trinke zu viel Espresso."],
  ] satisfies Person[]).map(person("de")),
  ...([
    ["giulia_rossi", "Giulia Rossi", 980, "Milano. Il caffè è una cosa seria."],
    ["marco_bianchi", "Marco Bianchi", 320, "Barista a Torino."],
    ["francesca_conti", "Francesca Conti", 2100, "Food blogger, Bologna."],
    ["luca_ferrari", "Luca Ferrari", 150, "Ingegnere, moka purista."],
  ] satisfies Person[]).map(person("it")),
  ...([
    ["sanne_devries", "Sanne de Vries", 720, "Utrecht. Fietsen en filterkoffie."],
    ["bram_jansen", "Bram Jansen", 260, "Rotterdam. Altijd haast."],
    ["eva_visser", "Eva Visser", 1450, "Leraar. Koffie is mijn brandstof."],
    ["thijs_bakker", "Thijs Bakker", 90, "Student in Groningen."],
  ] satisfies Person[]).map(person("nl")),
  ...([
    ["sara_ahmadi", "سارا احمدی", 1870, "تهران. عاشق قهوه و کتاب."],
    ["reza_karimi", "رضا کریمی", 540, "برنامه‌نویس، قهوه‌ی دمی."],
    ["maryam_hosseini", "مریم حسینی", 3100, "عکاس. صبح بدون قهوه معنا ندارد."],
    ["ali_rahimi", "علی رحیمی", 120, "دانشجو در شیراز."],
  ] satisfies Person[]).map(person("fa")),
  ...([
    ["camille_martin", "Camille Martin", 890, "Lyon. Café filtre et vélo."],
    ["lucas_bernard", "Lucas Bernard", 310, "Paris. Toujours pressé."],
    ["chloe_dubois", "Chloé Dubois", 2600, "Pâtissière à Bordeaux."],
    ["hugo_lefevre", "Hugo Lefèvre", 140, "Lille. Geek du café."],
  ] satisfies Person[]).map(person("fr")),
  ...([
    ["lucia_garcia", "Lucía García", 1520, "Madrid. Café con leche, siempre."],
    ["javier_lopez", "Javier López", 430, "Valencia. Ciclismo y espresso."],
    ["carmen_ruiz", "Carmen Ruiz", 760, "Sevilla. Profesora de química (y del café)."],
    ["pablo_fernandez", "Pablo Fernández", 95, "Barcelona. Estudiante."],
  ] satisfies Person[]).map(person("es")),
].map((account, n) => ({ ...account, daysOld: 200 + n * 97 }));

/** The accounts the seed creates, in the order it creates them. */
export const SANDBOX_SEED_ACCOUNTS: readonly SeedAccount[] = [...BRAND, ...AUDIENCE, ...IMPOSTORS];

type SeedPost = { key: string; by: string; text: string; lang: string; hoursAgo: number; replyTo?: string };

const POSTS: SeedPost[] = [
  { key: "launch-hearth", by: "emberoak", lang: "en", hoursAgo: 70, text: "Meet Hearth: our new autumn blend. Dark chocolate, roasted hazelnut, a little smoke. Out today ☕🍂" },
  { key: "launch-hearth-de", by: "emberoak_de", lang: "de", hoursAgo: 69, text: "Neu: Hearth, unsere Herbstmischung. Zartbitterschokolade, geröstete Haselnuss, ein Hauch Rauch. Ab heute im Shop!" },
  { key: "kettle-tip", by: "emberoak", lang: "en", hoursAgo: 50, text: "Brewing tip: let the Copper Kettle rest 30 seconds off the boil for light roasts. Your cup will thank you." },
  { key: "support-hours", by: "emberoak_support", lang: "en", hoursAgo: 30, text: "Heads up: our support team answers DMs Mon–Fri 8–18 CET. We never ask for your password or card details." },

  { key: "maya-hearth", by: "maya_collins", lang: "en", hoursAgo: 66, replyTo: "launch-hearth", text: "Tried Hearth this morning after a night shift. Absolutely lovely. Hazelnut is real." },
  { key: "tom-late", by: "tom_hargreaves", lang: "en", hoursAgo: 40, text: "@emberoak my order #48213 was supposed to arrive Tuesday. It's Friday. Any news?" },
  { key: "priya-flat-white", by: "priya_raman", lang: "en", hoursAgo: 38, text: "Flat white with @emberoak Hearth at my desk. This is the whole personality today." },
  { key: "dan-kettle", by: "dan_reviews", lang: "en", hoursAgo: 26, replyTo: "kettle-tip", text: "Tested the Copper Kettle for my channel. Pours beautifully, but the handle gets HOT after two boils. Be careful." },
  { key: "sarah-kettle", by: "sarah_bakes", lang: "en", hoursAgo: 22, replyTo: "dan-kettle", text: "Same here, I burned my fingers on it yesterday @emberoak. Is that normal?" },
  { key: "jake-camp", by: "jake_on_trails", lang: "en", hoursAgo: 12, text: "Hearth beans + camp stove + sunrise. Thanks @emberoak 🏕️" },

  { key: "lena-lieferung", by: "lena_schmidt", lang: "de", hoursAgo: 60, text: "@emberoak_de Lieferung kam in zwei Tagen nach Hamburg, super verpackt. Danke!" },
  { key: "jonas-abo", by: "jonas_becker", lang: "de", hoursAgo: 44, text: "@emberoak_de Warum wurde mein Abo zweimal abgebucht? Ich warte seit einer Woche auf eine Antwort." },
  { key: "katrin-cafe", by: "katrin_wolf", lang: "de", hoursAgo: 34, replyTo: "launch-hearth-de", text: "Wir haben Hearth jetzt in unserem Café in Leipzig. Die Gäste lieben es!" },
  { key: "anna-kessel", by: "anna_kocht", lang: "de", hoursAgo: 18, text: "Der Griff vom Copper Kettle wird gefährlich heiß. @emberoak_de habt ihr das getestet??" },

  { key: "giulia-moka", by: "giulia_rossi", lang: "it", hoursAgo: 58, text: "Ho provato Hearth nella moka: sorprendente. Bravi @emberoak!" },
  { key: "marco-barista", by: "marco_bianchi", lang: "it", hoursAgo: 36, replyTo: "launch-hearth", text: "Come barista: ottimo per il latte, un po' troppo tostato per l'espresso liscio." },
  { key: "luca-rotto", by: "luca_ferrari", lang: "it", hoursAgo: 16, text: "@emberoak il bollitore è arrivato con il beccuccio ammaccato. Come faccio il reso?" },

  { key: "sanne-filter", by: "sanne_devries", lang: "nl", hoursAgo: 55, text: "Hearth als filterkoffie is echt heerlijk. Goed gedaan @emberoak!" },
  { key: "bram-klacht", by: "bram_jansen", lang: "nl", hoursAgo: 28, text: "@emberoak_support al drie mails gestuurd over mijn retour, nog steeds niks gehoord. Slecht." },
  { key: "eva-kantoor", by: "eva_visser", lang: "nl", hoursAgo: 9, text: "De hele lerarenkamer drinkt nu @emberoak. Ik ben een trendsetter." },

  { key: "sara-ghahve", by: "sara_ahmadi", lang: "fa", hoursAgo: 48, text: "قهوه‌ی Hearth از @emberoak واقعاً خوش‌عطر است. با یک کتاب خوب عالی شد." },
  { key: "reza-ersal", by: "reza_karimi", lang: "fa", hoursAgo: 24, text: "@emberoak سفارش من دو هفته است که نرسیده. کسی پاسخگو هست؟" },
  { key: "maryam-aks", by: "maryam_hosseini", lang: "fa", hoursAgo: 14, replyTo: "launch-hearth", text: "بسته‌بندی خیلی زیباست، برای عکاسی عالی بود. طعمش هم همین‌طور." },

  { key: "camille-filtre", by: "camille_martin", lang: "fr", hoursAgo: 52, text: "Le Hearth de @emberoak en V60, c'est une merveille. Notes de noisette bien présentes." },
  { key: "lucas-colis", by: "lucas_bernard", lang: "fr", hoursAgo: 20, text: "@emberoak colis perdu, service client injoignable. Franchement décevant." },
  { key: "chloe-dessert", by: "chloe_dubois", lang: "fr", hoursAgo: 8, text: "Mon nouveau dessert : tiramisu au café Hearth. Merci @emberoak pour l'inspiration !" },

  { key: "lucia-cafe", by: "lucia_garcia", lang: "es", hoursAgo: 46, text: "El café Hearth de @emberoak con leche de avena: mi nuevo ritual de las mañanas." },
  { key: "javier-tetera", by: "javier_lopez", lang: "es", hoursAgo: 15, replyTo: "kettle-tip", text: "El asa del Copper Kettle quema. ¿Van a hacer algo al respecto?" },
  { key: "carmen-quimica", by: "carmen_ruiz", lang: "es", hoursAgo: 6, text: "Explicando la extracción del café en clase con una bolsa de @emberoak. Los alumnos, encantados." },

  { key: "giveaway", by: "emberoak_giveaway", lang: "en", hoursAgo: 5, text: "🎁 GIVEAWAY! @emberoak is giving 100 Copper Kettles away! Follow us and claim yours at emberoak-gifts.example/claim — ends tonight!" },
  { key: "fake-care", by: "ember0ak", lang: "en", hoursAgo: 4, replyTo: "tom-late", text: "Sorry about that Tom! DM us your order number, email and the card you paid with and we'll refund you right away." },
];

type SeedMessage = { key: string; from: string; to: string; text: string; hoursAgo: number };

const MESSAGES: SeedMessage[] = [
  { key: "tom-dm", from: "tom_hargreaves", to: "emberoak_support", hoursAgo: 39, text: "Hi, order #48213 still hasn't arrived. Tracking says 'label created' since Monday." },
  { key: "jonas-dm", from: "jonas_becker", to: "emberoak_de", hoursAgo: 43, text: "Hallo, mein Abo wurde am 3. und am 4. abgebucht. Bitte erstatten Sie eine Zahlung." },
  { key: "luca-dm", from: "luca_ferrari", to: "emberoak", hoursAgo: 15, text: "Buongiorno, allego le foto del bollitore ammaccato. Ordine 50877." },
  { key: "reza-dm", from: "reza_karimi", to: "emberoak_support", hoursAgo: 23, text: "سلام، سفارش ۴۹۱۰۲ هنوز نرسیده است. لطفاً بررسی کنید." },
  { key: "katrin-dm", from: "katrin_wolf", to: "emberoak_de", hoursAgo: 33, text: "Hallo! Wir würden Hearth gern als Großkunde bestellen. Wer ist dafür zuständig?" },
  { key: "sarah-dm", from: "sarah_bakes", to: "emberoak_support", hoursAgo: 21, text: "My fingers are blistered from the kettle handle. I'd like a refund please." },
];

const REACTIONS: Array<{ by: string; post: string; reaction: string }> = [
  { by: "maya_collins", post: "launch-hearth", reaction: "❤️" },
  { by: "priya_raman", post: "launch-hearth", reaction: "❤️" },
  { by: "giulia_rossi", post: "launch-hearth", reaction: "like" },
  { by: "sanne_devries", post: "launch-hearth", reaction: "like" },
  { by: "camille_martin", post: "launch-hearth", reaction: "❤️" },
  { by: "lena_schmidt", post: "launch-hearth-de", reaction: "like" },
  { by: "felix_draussen", post: "launch-hearth-de", reaction: "❤️" },
  { by: "jake_on_trails", post: "kettle-tip", reaction: "like" },
  { by: "sarah_bakes", post: "kettle-tip", reaction: "😡" },
  { by: "hugo_lefevre", post: "support-hours", reaction: "like" },
];

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const SEED_KEY = (key: string) => `seed:${key}`;

/**
 * Creates the demo Sandbox (accounts, posts, replies, direct messages, reactions), or completes it where a row is
 * missing; running it again adds nothing. Times are set relative to `now` on first creation.
 */
export async function seedSandboxNetwork(db: Db, now: Date = new Date()): Promise<void> {
  const accounts = new Map<string, string>();
  for (const account of SANDBOX_SEED_ACCOUNTS) {
    const { daysOld, ...fields } = account;
    const stored = await ensureSandboxAccount(db, { ...fields, createdAt: new Date(now.getTime() - daysOld * DAY) });
    accounts.set(account.handle, stored.id);
  }
  const accountId = (handle: string) => {
    const id = accounts.get(handle);
    if (!id) throw new Error(`seed refers to an unknown account @${handle}`);
    return id;
  };

  const posts = new Map<string, string>();
  for (const post of POSTS) {
    const replyToId = post.replyTo ? posts.get(post.replyTo) : null;
    if (replyToId === undefined) throw new Error(`seed post ${post.key} answers ${post.replyTo}, which comes later`);
    const { post: stored } = await createSandboxPost(db, accountId(post.by), {
      text: post.text,
      lang: post.lang,
      replyToId,
      idempotencyKey: SEED_KEY(post.key),
      createdAt: new Date(now.getTime() - post.hoursAgo * HOUR),
    });
    posts.set(post.key, stored.id);
  }

  for (const message of MESSAGES) {
    await sendSandboxDirectMessage(db, {
      senderId: accountId(message.from),
      recipientId: accountId(message.to),
      text: message.text,
      idempotencyKey: SEED_KEY(message.key),
      createdAt: new Date(now.getTime() - message.hoursAgo * HOUR),
    });
  }

  for (const reaction of REACTIONS) {
    const postId = posts.get(reaction.post);
    if (!postId) throw new Error(`seed reaction to an unknown post ${reaction.post}`);
    const post = POSTS.find((p) => p.key === reaction.post)!;
    await reactToSandboxPost(db, { accountId: accountId(reaction.by), postId, reaction: reaction.reaction, createdAt: new Date(now.getTime() - (post.hoursAgo - 1) * HOUR) });
  }
}

/** The id of a seeded post by its seed key (for scenarios and tests that answer seeded posts). */
export async function findSeededPost(db: Db, handle: string, key: string): Promise<string | null> {
  const account = await findSandboxAccount(db, handle);
  if (!account) return null;
  return (await findSandboxPostByKey(db, account.id, SEED_KEY(key)))?.id ?? null;
}
