// Writes the README's configuration table from src/server/config.ts (the one source of truth), between the
// markers <!-- settings:start --> and <!-- settings:end -->. Run: npx tsx scripts/settings-table.ts
import fs from "node:fs";
import { describeSettings } from "../src/server/config";

const rows = describeSettings().map((s) => `| \`${s.name}\` | ${s.default ? `\`${s.default}\`` : "—"} | ${s.doc.replace(/\|/g, "\\|")} |`);
const table = ["| setting | default | what it does |", "| --- | --- | --- |", ...rows].join("\n");
const readme = new URL("../README.md", import.meta.url);
const text = fs.readFileSync(readme, "utf8");
const updated = text.replace(/<!-- settings:start -->[\s\S]*<!-- settings:end -->/, `<!-- settings:start -->\n${table}\n<!-- settings:end -->`);
if (updated === text && !text.includes(table)) throw new Error("README has no <!-- settings:start --> … <!-- settings:end --> markers");
fs.writeFileSync(readme, updated);
console.log("README settings table updated");
