// A deterministic multilingual corpus of Jetstream-shaped Bluesky posts and a set of saved listening queries over it,
// for benchmarks (bench/listening-match.ts, later bench:listening) and the matcher's property test. The same seed
// gives the same posts and queries on every machine.
//
// Posts mix ten languages (English, German, Italian, Dutch, Persian, French, Spanish, Portuguese, Arabic, Japanese)
// with brand names, #hashtags, @handles (Bluesky domain handles and Mastodon addresses), links, emoji, accents,
// Arabic/Persian letter variants, harakat and zero-width non-joiners, so every normalisation rule is exercised.

/** A small fast seeded PRNG (mulberry32): numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const CORPUS_LANGUAGES = ["en", "de", "it", "nl", "fa", "fr", "es", "pt", "ar", "ja"] as const;
export type CorpusLanguage = (typeof CORPUS_LANGUAGES)[number];

const VOCABULARY: Record<CorpusLanguage, string[]> = {
  en: "the a and of to in is it that for on with was this are but not have you they be at so great service order delivery refund customer support never again love new product price broken app update account scam free giveaway today please help waiting hours terrible amazing thanks coffee store hacked data breach outage".split(" "),
  de: "der die das und nicht ist ich mit für auf über schön grüße Kundenservice Lieferung Rückerstattung kaputt Bestellung warte seit Stunden wirklich toll danke Straße Müller Bäckerei Größe günstig Preis neue Aktualisierung Konto Betrug gehackt Datenleck Störung Kaffee fünf heute".split(" "),
  it: "il la e di che non per con una sono servizio clienti consegna rimborso rotto ordine aspetto da ore davvero grazie città perché più caffè prezzo nuovo aggiornamento conto truffa gratis oggi già però".split(" "),
  nl: "de het een en van niet is ik met voor op klantenservice levering terugbetaling kapot bestelling wacht al uren echt geweldig bedankt koffie prijs nieuwe update account oplichting gratis vandaag storing één café".split(" "),
  fa: "من از به که این را با است در برای می‌خواهم میخواهم نمی‌دانم خدمات مشتری سفارش ارسال بازپرداخت خراب منتظر ساعت واقعاً عالی ممنون قهوه قیمت جدید به‌روزرسانی حساب کلاهبرداری رایگان امروز بانک بانک‌ها کتاب یک".split(" "),
  fr: "le la les et de ne pas est je avec pour sur service client livraison remboursement cassé commande attends depuis heures vraiment génial merci café prix nouveau mise à jour compte arnaque gratuit aujourd'hui été très".split(" "),
  es: "el la los y de no es yo con para en servicio cliente entrega reembolso roto pedido espero desde horas realmente genial gracias café precio nuevo actualización cuenta estafa gratis hoy niño mañana".split(" "),
  pt: "o a os e de não é eu com para em serviço cliente entrega reembolso quebrado pedido espero há horas realmente ótimo obrigado café preço novo atualização conta golpe grátis hoje coração ação".split(" "),
  ar: "في من على إلى أن هذا هذه كان خدمة العملاء التوصيل استرداد مكسور طلب أنتظر منذ ساعات حقاً رائع شكراً قهوة السعر جديد تحديث حساب احتيال مجاني اليوم مدرسة كتاب الْعَرَبِيَّة يكون".split(" "),
  ja: "私 は が の を に で 注文 配送 返金 壊れ 待って 時間 本当に 素晴らしい ありがとう コーヒー 価格 新しい 更新 アカウント 詐欺 無料 今日 東京 サービス".split(" "),
};

const SYLLABLES = "ka ve lo mar tis ro ne qua zen dor pel fi sa lu bri ton ax om ri sto vel mo ra ix ler an".split(" ");
const EMOJI = ["😀", "🔥", "😡", "👍", "🙏", "💔", "🇩🇪", "🇮🇷", "☕"];
const SERVERS = ["mastodon.social", "chaos.social", "mstdn.io"];

export type JetstreamPost = {
  did: string;
  time_us: number;
  kind: "commit";
  commit: {
    rev: string;
    operation: "create";
    collection: "app.bsky.feed.post";
    rkey: string;
    record: { $type: "app.bsky.feed.post"; text: string; langs?: string[]; createdAt: string };
    cid: string;
  };
};

export type ListeningCorpus = {
  posts: JetstreamPost[];
  /** Handle of each author DID (Jetstream carries only the DID; the pipeline resolves handles). */
  handles: Map<string, string>;
  brands: string[];
};

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)];
}

/** Brand names: invented words, so they appear only where the generator puts them. */
export function corpusBrands(count: number, seed = 7): string[] {
  const random = seededRandom(seed);
  const out = new Set<string>();
  while (out.size < count) {
    const n = 2 + Math.floor(random() * 2);
    let w = "";
    for (let i = 0; i < n; i++) w += pick(random, SYLLABLES);
    out.add(w);
  }
  return [...out];
}

/** A brand drawn with a skew: a few brands are mentioned often, most rarely (as in real listening). */
function skewedBrand(random: () => number, brands: string[]): string {
  const r = random();
  return brands[Math.floor(r * r * brands.length)];
}

function capitalise(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}

export type CorpusOptions = {
  seed?: number;
  brands?: number;
  /**
   * Left out (the default, used by bench:listening-match and the matcher's property test): every post is drawn the
   * same way, with brands, brand hashtags, handles and links at fixed odds — about 77% of posts match one of 10,000
   * generated queries (a worst case for storage). Set (0–1): the share of posts that mention a brand (at least one
   * brand word, then the same odds for more); the others are ordinary chatter — the same languages, casing,
   * punctuation, hashtags, @handles, links and emoji, but of common words and ordinary users, never a brand — as
   * on a real firehose, where a brand's streams match a tiny share of the posts.
   */
  matchShare?: number;
};

/** Generates `count` posts deterministically. */
export function generateCorpus(count: number, options: CorpusOptions = {}): ListeningCorpus {
  const random = seededRandom(options.seed ?? 42);
  const brands = corpusBrands(options.brands ?? 3000);
  const authors = 5000;
  const handles = new Map<string, string>();
  for (let i = 0; i < authors; i++) {
    const did = `did:plc:${i.toString(36).padStart(24, "a")}`;
    handles.set(did, i % 50 === 0 ? `${brands[i % brands.length]}.bsky.social` : `user${i}.bsky.social`);
  }
  const dids = [...handles.keys()];
  const posts: JetstreamPost[] = [];
  let time = 1_763_900_000_000_000;
  for (let p = 0; p < count; p++) {
    const lang = pick(random, CORPUS_LANGUAGES);
    const vocab = VOCABULARY[lang];
    const length = 6 + Math.floor(random() * 34);
    const parts: string[] = [];
    for (let i = 0; i < length; i++) {
      let w = pick(random, vocab);
      if (random() < 0.08) w = capitalise(w);
      parts.push(w);
      if (lang !== "ja" && random() < 0.08) parts[parts.length - 1] += pick(random, [",", ".", "!", "?", ":"]);
    }
    const insert = (token: string) => parts.splice(Math.floor(random() * (parts.length + 1)), 0, token);
    // Chatter (only when a match share is set): the same shapes without any brand, by an ordinary user.
    const chatter = options.matchShare !== undefined && random() >= options.matchShare;
    if (chatter) {
      const user = () => `user${Math.floor(random() * authors)}`;
      if (random() < 0.15) insert("#" + (random() < 0.5 ? capitalise(pick(random, vocab)) : pick(random, vocab) + pick(random, vocab)));
      if (random() < 0.12) insert(random() < 0.6 ? `@${user()}.bsky.social` : `@${user()}@${pick(random, SERVERS)}`);
      if (random() < 0.08) insert(`https://${pick(random, ["example.org", "news.example.com", "blog.example.net"])}/${pick(random, VOCABULARY.en)}?ref=${Math.floor(random() * 1000)}`);
      if (random() < 0.2) insert(pick(random, EMOJI));
    } else {
      const mentions = options.matchShare !== undefined; // a post drawn as mentioning a brand always names one
      if (mentions || random() < 0.6) insert(random() < 0.3 ? capitalise(skewedBrand(random, brands)) : skewedBrand(random, brands));
      if (random() < 0.2) insert(skewedBrand(random, brands));
      if (random() < 0.15) insert("#" + (random() < 0.5 ? capitalise(skewedBrand(random, brands)) : skewedBrand(random, brands) + pick(random, vocab)));
      if (random() < 0.12) {
        const b = skewedBrand(random, brands);
        insert(random() < 0.6 ? `@${b}.bsky.social` : `@${b}@${pick(random, SERVERS)}`);
      }
      if (random() < 0.08) insert(`https://${skewedBrand(random, brands)}.com/${pick(random, VOCABULARY.en)}?ref=${Math.floor(random() * 1000)}`);
      if (random() < 0.2) insert(pick(random, EMOJI));
    }
    const text = (lang === "ja" ? parts.join("") : parts.join(" ")).slice(0, 600);
    time += 200 + Math.floor(random() * 400);
    const rkey = (time / 1000).toString(36);
    const record: JetstreamPost["commit"]["record"] = { $type: "app.bsky.feed.post", text, createdAt: new Date(time / 1000).toISOString() };
    if (random() < 0.85) record.langs = [lang];
    // Brand accounts (every 50th author) post only brand mentions when a match share is set.
    let author = Math.floor(random() * dids.length);
    if (chatter && author % 50 === 0) author += 1;
    posts.push({
      did: dids[author],
      time_us: time,
      kind: "commit",
      commit: { rev: rkey, operation: "create", collection: "app.bsky.feed.post", rkey, record, cid: `bafyrei${rkey}${p.toString(36)}` },
    });
  }
  return { posts, handles, brands };
}

/** The fields matching reads from a Jetstream post. */
export function postToMatch(corpus: ListeningCorpus, post: JetstreamPost) {
  return { text: post.commit.record.text, langs: post.commit.record.langs ?? null, network: "bluesky", author: corpus.handles.get(post.did) ?? null };
}

/**
 * Saved queries as analysts write them: mostly a brand with context (phrases, OR, NOT, NEAR, hashtags, handles,
 * fields, prefixes), some on common words alone (many candidates per post: the presearcher's worst case).
 */
export function generateQueries(
  count: number,
  options: {
    seed?: number;
    brands?: string[];
    /**
     * Every query needs a brand (no queries on common words alone, and prefixes are a whole brand name plus `*`), as
     * a brand's streams on a firehose: only posts that mention a brand can match. Left out: as before (3% of queries
     * on common words, the presearcher's worst case; bench:listening-match and the property test use that).
     */
    brandOnly?: boolean;
  } = {},
): string[] {
  const random = seededRandom(options.seed ?? 1234);
  const brands = options.brands ?? corpusBrands(3000);
  const word = () => {
    const lang = pick(random, CORPUS_LANGUAGES);
    return pick(random, VOCABULARY[lang]).replace(/[()"]/g, "");
  };
  const plainWord = () => {
    for (;;) {
      const w = word();
      if (w.length >= 4 && !/['’]/.test(w)) return w;
    }
  };
  const brand = () => brands[Math.floor(random() * brands.length)];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const b = brand();
    // Brand queries with context are the rule; 3% look for common words only (many candidates per post), 3% pair a
    // German word with umlaut or ß with a brand.
    const roll = random();
    let t = roll < 0.01 ? 14 : roll < 0.02 ? 15 : roll < 0.03 ? 17 : roll < 0.06 ? 16 : Math.floor(random() * 14);
    if (options.brandOnly && (t === 14 || t === 15)) t = 8;
    let q: string;
    switch (t) {
      case 0: q = b; break;
      case 1: q = `${b} OR ${brand()}`; break;
      case 2: q = `"${b} ${plainWord()}"`; break;
      case 3: q = `${b} -${plainWord()}`; break;
      case 4: q = `(${b} OR #${b}) lang:${pick(random, CORPUS_LANGUAGES)}`; break;
      case 5: q = `${b} NEAR/${Math.floor(random() * 6)} ${plainWord()}`; break;
      case 6: q = `#${b}`; break;
      case 7: q = `@${b}.bsky.social OR @${b}`; break;
      case 8: q = `${b} ${plainWord()}`; break;
      case 9: q = `${options.brandOnly ? b : b.slice(0, 4 + Math.floor(random() * 2))}* NOT "${plainWord()} ${plainWord()}"`; break;
      case 10: q = `author:${b}.bsky.social`; break;
      case 11: q = `network:bluesky (${b} OR "${plainWord()} ${b}") -lang:en`; break;
      case 12: q = `${plainWord()} AND ${b}`; break;
      case 13: q = `(${b} AND (${plainWord()} OR ${plainWord()})) OR (#${brand()} NOT ${plainWord()})`; break;
      case 14: q = `${plainWord()} NEAR/2 ${plainWord()}`; break; // common words only
      case 15: q = `"${plainWord()} ${plainWord()}"`; break; // common words only
      case 16: q = `${pick(random, ["Müller", "Größe", "Straße", "Bäckerei", "Rückerstattung", "grüße"])} ${b}`; break;
      default: q = `${pick(random, ["می‌خواهم", "بانک", "كتاب", "مدرسة", "كلاهبرداری", "東京", "詐欺"])} ${b}`; break;
    }
    out.push(q);
  }
  return out;
}
