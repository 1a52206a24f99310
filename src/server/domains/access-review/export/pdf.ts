import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import PDFDocument from "pdfkit";
import type { Locale } from "../../../../contracts/roles";
import type { AccessReview } from "../queries/build-access-review";
import type { SignOff } from "../queries/list-sign-offs";
import { pdfLocale, pdfTexts, type PdfTexts } from "./pdf-texts";

// Vazirmatn (SIL Open Font License 1.1, the `vazirmatn` package): one TrueType font with Latin (umlauts, accents) and
// Persian/Arabic, embedded (subset) in every report so names come out right whatever the reader's machine has.
const require = createRequire(import.meta.url);
let fonts: { regular: Buffer; bold: Buffer } | null = null;
const loadFonts = () =>
  (fonts ??= {
    regular: readFileSync(require.resolve("vazirmatn/fonts/ttf/Vazirmatn-Regular.ttf")),
    bold: readFileSync(require.resolve("vazirmatn/fonts/ttf/Vazirmatn-Bold.ttf")),
  });

const ARABIC_SCRIPT = "\\u0600-\\u06FF\\u0750-\\u077F\\uFB50-\\uFDFF\\uFE70-\\uFEFF";
const SPACE_BETWEEN_ARABIC = new RegExp(`(?<=[${ARABIC_SCRIPT}]) +(?=[${ARABIC_SCRIPT}])`, "g");
const BIDI_CONTROLS = /[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/g;

/**
 * Text as pdfkit should draw it. pdfkit lays out each space-separated word on its own, and the font engine (fontkit)
 * shapes a Persian word and puts its letters right to left. Joining the words of a Persian run with no-break spaces
 * makes the run one piece, so its words come out right to left too. The line itself stays left to right (the report's
 * layout is not mirrored), and invisible direction marks (which the font has no glyph for) are dropped.
 */
export function pdfText(text: string): string {
  return text.replace(BIDI_CONTROLS, "").replace(SPACE_BETWEEN_ARABIC, "\u00A0");
}

export type PdfOptions = { locale: Locale; compress?: boolean };

/** The review as a PDF report (A4 landscape): workspace, when, summary, last sign-off, and one row per person. */
export async function accessReviewPdf(review: AccessReview, options: PdfOptions): Promise<Buffer> {
  const t = pdfTexts(options.locale);
  const locale = pdfLocale(options.locale);
  const when = (iso: string) => `${new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(iso))} UTC`;
  const day = (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(iso));
  const number = (n: number) => new Intl.NumberFormat(locale).format(n);
  const { regular, bold } = loadFonts();

  const doc = new PDFDocument({
    size: "A4",
    layout: "landscape",
    margin: 36,
    bufferPages: true,
    compress: options.compress ?? true,
    info: { Title: `${t.title} — ${review.workspace.name}`, Author: "Parapet", CreationDate: new Date(review.generatedAt) },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.registerFont("body", regular);
  doc.registerFont("bold", bold);
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom - 14;
  const write = (text: string, x: number, y: number, opts: PDFKit.Mixins.TextOptions = {}) => doc.text(pdfText(text), x, y, opts);

  // Heading
  doc.font("bold").fontSize(18).fillColor("#111");
  write(`${t.title} — ${review.workspace.name}`, left, doc.page.margins.top, { width });
  doc.font("body").fontSize(10).fillColor("#444");
  write(`${t.generated}: ${when(review.generatedAt)}    ${t.quarter}: ${review.quarter}`, left, doc.y + 2, { width });

  // Summary: one box per count
  const keys = Object.keys(t.summary) as Array<keyof PdfTexts["summary"]>;
  const boxWidth = width / keys.length;
  const boxTop = doc.y + 10;
  let boxBottom = boxTop;
  keys.forEach((key, i) => {
    const x = left + i * boxWidth;
    const attention = review.summary[key] > 0 && (key === "withoutMfa" || key === "unused" || key === "partnersEndingSoon");
    doc.font("bold").fontSize(16).fillColor(attention ? "#b42318" : "#111");
    write(number(review.summary[key]), x + 6, boxTop + 6, { width: boxWidth - 12 });
    doc.font("body").fontSize(8).fillColor("#444");
    write(t.summary[key], x + 6, doc.y, { width: boxWidth - 12 });
    boxBottom = Math.max(boxBottom, doc.y + 6);
  });
  keys.forEach((_, i) => doc.rect(left + i * boxWidth, boxTop, boxWidth, boxBottom - boxTop).lineWidth(0.5).strokeColor("#bbb").stroke());

  // Last sign-off
  const last: SignOff | undefined = review.signOffs[0];
  doc.font("bold").fontSize(10).fillColor("#111");
  write(`${t.lastSignOff}: `, left, boxBottom + 10, { continued: true });
  doc.font("body");
  doc.text(pdfText(last ? t.signedOffBy({ name: last.signedBy.name, at: when(last.signedAt) }) : t.notSignedOff));
  if (last?.note) {
    doc.fillColor("#444");
    write(`“${last.note}”`, left, doc.y, { width });
  }

  // The table
  const columns = [
    { key: "person", width: 0.25 },
    { key: "role", width: 0.09 },
    { key: "mfa", width: 0.16 },
    { key: "lastActivity", width: 0.14 },
    { key: "access", width: 0.36 },
  ] as const;
  const xs = columns.reduce<number[]>((acc, column, i) => [...acc, i === 0 ? left : acc[i - 1] + columns[i - 1].width * width], []);
  const cellWidth = (i: number) => columns[i].width * width - 8;
  const header = (y: number) => {
    doc.font("bold").fontSize(9).fillColor("#111");
    columns.forEach((column, i) => write(t.columns[column.key], xs[i] + 4, y + 4, { width: cellWidth(i) }));
    const end = y + 4 + doc.heightOfString(pdfText(t.columns.access), { width: cellWidth(4) }) + 4;
    doc.moveTo(left, end).lineTo(left + width, end).lineWidth(0.8).strokeColor("#888").stroke();
    return end + 2;
  };
  let y = header(doc.y + 14);
  if (review.people.length === 0) {
    doc.font("body").fontSize(9).fillColor("#444");
    write(t.noPeople, left + 4, y + 4, { width });
  }

  const channelOf = new Map(review.channels.map((c) => [c.id, c]));
  const grantText = (grant: AccessReview["people"][number]["access"][number]["through"][number]) =>
    grant.type === "role" ? t.byRole(t.roles[grant.role]) : grant.type === "team" ? t.team(grant.teamName) : t.direct;

  for (const person of review.people) {
    // Each cell is a list of lines: [text, colour, bold]
    type Line = [string, string?, boolean?];
    const cells: Line[][] = [
      [
        [person.name, "#111", true],
        [person.email, "#444"],
        ...(person.partner
          ? [[person.partner.accessEndsAt ? t.partnerUntil({ organization: person.partner.organization, until: day(person.partner.accessEndsAt) }) : t.partnerOpenEnded(person.partner.organization), "#8a4b00"] as Line]
          : []),
      ],
      [[t.roles[person.role]]],
      [
        [t.mfa[person.mfa], person.mfa === "none" ? "#b42318" : "#111"],
        ...(person.signIn.ssoOnly ? [[t.ssoOnly, "#444"] as Line] : person.signIn.sso ? [[t.sso, "#444"] as Line] : []),
      ],
      [
        [person.lastActivityAt ? when(person.lastActivityAt) : t.never],
        ...(person.lastActivitySource ? [[`(${t.sources[person.lastActivitySource]})`, "#444"] as Line] : []),
        ...(person.unused ? [[t.unused(review.unusedAfterDays), "#b42318", true] as Line] : []),
      ],
      (() => {
        const granted = person.access.filter((a) => a.level !== "none");
        if (granted.length === 0) return [[t.noChannels, "#444"]] as Line[];
        return granted.map((a) => [`@${channelOf.get(a.channelId)?.handle ?? ""}: ${t.levels[a.level]} — ${a.through.map(grantText).join(", ")}`] as Line);
      })(),
    ];
    const heightOf = (lines: Line[], i: number) =>
      lines.reduce((sum, [text, , strong]) => sum + doc.font(strong ? "bold" : "body").fontSize(9).heightOfString(pdfText(text), { width: cellWidth(i) }), 0);
    const rowHeight = Math.max(...cells.map(heightOf)) + 8;
    if (y + rowHeight > bottom()) {
      doc.addPage();
      y = header(doc.page.margins.top);
    }
    cells.forEach((lines, i) => {
      let lineY = y + 4;
      for (const [text, colour, strong] of lines) {
        doc.font(strong ? "bold" : "body").fontSize(9).fillColor(colour ?? "#111");
        write(text, xs[i] + 4, lineY, { width: cellWidth(i) });
        lineY = doc.y;
      }
    });
    y += rowHeight;
    doc.moveTo(left, y).lineTo(left + width, y).lineWidth(0.4).strokeColor("#ccc").stroke();
  }

  // Page numbers, once every page exists
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing in the margin must not start a new page
    doc.font("body").fontSize(8).fillColor("#666");
    const text = pdfText(`${review.workspace.name} · ${t.title} · ${t.page({ page: number(i + 1), of: number(range.count) })}`);
    doc.text(text, left, doc.page.height - margin - 10, { width, align: "center", lineBreak: false });
    doc.page.margins.bottom = margin;
  }
  doc.end();
  return done;
}
