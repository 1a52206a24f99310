import { describe, expect, it } from "vitest";
import { normalizeText } from "./normalize";
import { tokenize, words } from "./tokenize";

const pairs = (text: string) => {
  const t = tokenize(text);
  return t.tokens.map((token, i) => `${t.positions[i]}:${token}`);
};

describe("normalisation", () => {
  it("folds case, accents and compatibility forms", () => {
    expect(words("Café NAÏVE Ångström façade")).toEqual(["cafe", "naive", "angstrom", "facade"]);
    expect(words("ＦＵＬＬ ｗｉｄｔｈ ﬁne")).toEqual(["full", "width", "fine"]);
    expect(words("İstanbul ΟΔΟΣ Ёлка")).toEqual(["istanbul", "οδοσ", "елка"]);
    expect(normalizeText("Ὀδυσσεύς")).toBe("οδυσσευσ");
  });

  it("treats German umlauts as accents and ß as ss", () => {
    expect(words("Müller Mueller Muller Straße STRASSE Größe")).toEqual(["muller", "mueller", "muller", "strasse", "strasse", "grosse"]);
  });

  it("folds Arabic and Persian letter variants and removes harakat and tatweel", () => {
    expect(words("كتاب")).toEqual(words("کتاب")); // Arabic kaf / Persian keheh
    expect(words("يكي")).toEqual(words("یکی")); // Arabic yeh / Persian yeh
    expect(words("مدرسة")).toEqual(words("مدرسه")); // teh marbuta / heh
    expect(words("أحمد إسلام آب")).toEqual(["احمد", "اسلام", "اب"]);
    expect(words("الْعَرَبِيَّة")).toEqual(words("العربية"));
    expect(words("بـــانک")).toEqual(["بانک"]);
    expect(words("۱۴۰۳ ٢٠٢٤")).toEqual(["1403", "2024"]);
  });

  it("makes a word with a zero-width non-joiner equal to the joined word, and finds its parts", () => {
    expect(words("می‌خواهم")).toEqual(words("میخواهم"));
    expect(pairs("بانک‌های ملی")).toEqual(["0:بانکهای", "0:بانک", "0:های", "1:ملی"]);
  });
});

describe("word boundaries", () => {
  it("splits on spaces, punctuation, apostrophes, hyphens and underscores", () => {
    expect(words("Parapet's e-mail (really?!) parapet_hack… 3.5")).toEqual(["parapet", "s", "e", "mail", "really", "parapet", "hack", "3", "5"]);
  });

  it("splits Persian and Arabic on their own punctuation", () => {
    expect(words("سلام، دنیا؟ «پاراپت»؛ تست")).toEqual(["سلام", "دنیا", "پاراپت", "تست"]);
  });

  it("gives one token per character in scripts written without spaces", () => {
    expect(words("東京タワーへ行く")).toEqual(["東", "京", "タ", "ワ", "ー", "へ", "行", "く"]);
    expect(words("ไปเที่ยว").length).toBe(6); // the vowel and tone marks stay on their consonant
    expect(words("𠮷野家")).toEqual(["𠮷", "野", "家"]);
  });

  it("keeps Indic vowel signs inside the word", () => {
    expect(words("नमस्ते दुनिया")).toEqual(["नमस्ते", "दुनिया"]);
  });

  it("drops emoji and symbols", () => {
    expect(words("great 🔥🔥 service 👍🏽 ★")).toEqual(["great", "service"]);
  });
});

describe("hashtags, handles and links", () => {
  it("keeps a hashtag as a token and its words at the same position", () => {
    expect(pairs("love #ParapetHack and #parapet_hack!")).toEqual([
      "0:love",
      "1:#parapethack",
      "1:parapethack",
      "2:and",
      "3:#parapet_hack",
      "3:parapet",
      "4:hack",
    ]);
    expect(pairs("#ایران #Café")).toEqual(["0:#ایران", "0:ایران", "1:#cafe", "1:cafe"]);
  });

  it("keeps Bluesky domain handles and Mastodon addresses whole, without a sentence's full stop", () => {
    expect(pairs("thanks @Parapet.bsky.social.")).toEqual(["0:thanks", "1:@parapet.bsky.social", "1:parapet", "2:bsky", "3:social"]);
    expect(pairs("cc @parapet@mastodon.social")).toEqual(["0:cc", "1:@parapet@mastodon.social", "1:parapet", "2:mastodon", "3:social", "1:@parapet"]);
  });

  it("does not take an email address, C# or a link's fragment for a handle or hashtag", () => {
    expect(tokenize("mail info@parapet.example about C#").tokens).toEqual(["mail", "info", "parapet", "example", "about", "c"]);
    expect(tokenize("see https://example.com/@parapet/#news and www.parapet.io, ok").tokens).toEqual([
      "see",
      "example",
      "com",
      "parapet",
      "news",
      "and",
      "parapet",
      "io",
      "ok",
    ]);
  });
});
