import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import PDFDocument from "pdfkit";
import { pdfText } from "../../../access-review/export/pdf";
import type { Block } from "./document";

const require = createRequire(import.meta.url);
let fonts: { regular: Buffer; bold: Buffer } | null = null;
// Vazirmatn (SIL OFL 1.1): Latin with accents and Persian in one embedded font, as the access review's PDF does.
const loadFonts = () =>
  (fonts ??= {
    regular: readFileSync(require.resolve("vazirmatn/fonts/ttf/Vazirmatn-Regular.ttf")),
    bold: readFileSync(require.resolve("vazirmatn/fonts/ttf/Vazirmatn-Bold.ttf")),
  });

/** The review as an A4 PDF: the same blocks as the Markdown, drawn top to bottom with page breaks. */
export async function reviewPdf(blocks: Block[], options: { title: string; createdAt: Date; rtl: boolean; compress?: boolean }): Promise<Buffer> {
  const { regular, bold } = loadFonts();
  const doc = new PDFDocument({ size: "A4", margin: 48, bufferPages: true, compress: options.compress ?? true, info: { Title: options.title, Author: "Parapet", CreationDate: options.createdAt } });
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
  const align = options.rtl ? "right" : "left";
  const room = (height: number) => {
    if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
  };
  const write = (text: string, opts: PDFKit.Mixins.TextOptions = {}) => doc.text(pdfText(text), left, doc.y, { width, align, ...opts });

  for (const block of blocks) {
    if (block.kind === "title") {
      doc.font("bold").fontSize(17).fillColor("#111");
      write(block.text);
      doc.moveDown(0.3);
    } else if (block.kind === "meta") {
      doc.font("body").fontSize(9.5).fillColor("#444");
      write(block.text);
      doc.moveDown(0.5);
    } else if (block.kind === "heading") {
      room(40);
      doc.moveDown(0.6);
      doc.font("bold").fontSize(12.5).fillColor("#111");
      write(block.text);
      doc.moveDown(0.2);
    } else if (block.kind === "paragraph") {
      doc.font("body").fontSize(10).fillColor(block.muted ? "#666" : "#111");
      write(block.text);
      doc.moveDown(0.3);
    } else if (block.kind === "list") {
      doc.font("body").fontSize(10).fillColor("#111");
      for (const item of block.items) {
        room(16);
        write(`• ${item}`);
      }
      doc.moveDown(0.3);
    } else {
      const columns = block.rows[0]?.length ?? 2;
      const widths = columns === 2 ? [width * 0.55, width * 0.45] : Array.from({ length: columns }, () => width / columns);
      block.rows.forEach((row, index) => {
        doc.font(block.header && index === 0 ? "bold" : "body").fontSize(9.5).fillColor("#111");
        const heights = row.map((text, i) => doc.heightOfString(pdfText(text), { width: widths[i] - 6 }));
        const height = Math.max(...heights, 12) + 4;
        room(height);
        const top = doc.y;
        let x = left;
        const order = options.rtl ? [...row.keys()].reverse() : [...row.keys()];
        for (const i of order) {
          doc.text(pdfText(row[i]), x + 3, top + 2, { width: widths[i] - 6, align });
          x += widths[i];
        }
        doc.moveTo(left, top + height).lineTo(left + width, top + height).strokeColor("#ddd").lineWidth(0.5).stroke();
        doc.y = top + height;
      });
      doc.moveDown(0.4);
    }
  }
  doc.end();
  return done;
}
