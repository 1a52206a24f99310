// Prints the README's configuration table from src/server/config.ts (the one source of truth).
// Run: npx tsx scripts/settings-table.ts
import { describeSettings } from "../src/server/config";

const rows = describeSettings().map((s) => `| \`${s.name}\` | ${s.default ? `\`${s.default}\`` : "—"} | ${s.doc.replace(/\|/g, "\\|")} |`);
console.log(["| setting | default | what it does |", "| --- | --- | --- |", ...rows].join("\n"));
