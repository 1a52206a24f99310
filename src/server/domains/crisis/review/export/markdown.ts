import type { Block } from "./document";

/** A table cell: a `|` or line break in someone's text cannot break the table. */
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/** The review as Markdown (CommonMark with GitHub tables). */
export function reviewMarkdown(blocks: Block[]): string {
  const out: string[] = [];
  for (const block of blocks) {
    if (block.kind === "title") out.push(`# ${block.text}`, "");
    else if (block.kind === "meta") out.push(block.text, "");
    else if (block.kind === "heading") out.push(`## ${block.text}`, "");
    else if (block.kind === "paragraph") out.push(block.muted ? `_${block.text}_` : block.text, "");
    else if (block.kind === "list") out.push(...block.items.map((item) => `- ${item.replace(/\r?\n/g, " ")}`), "");
    else {
      const width = block.rows[0]?.length ?? 2;
      const header = block.header ? block.rows[0] : Array.from({ length: width }, () => " ");
      const body = block.header ? block.rows.slice(1) : block.rows;
      out.push(`| ${header.map(cell).join(" | ")} |`, `|${header.map(() => " --- ").join("|")}|`, ...body.map((row) => `| ${row.map(cell).join(" | ")} |`), "");
    }
  }
  return out.join("\n");
}
