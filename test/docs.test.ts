import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { describeSettings } from "../src/server/config";

const readme = fs.readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("the README", () => {
  it("starts with the two commands", () => {
    expect(readme).toContain("npm ci && npm start");
    expect(readme).toContain("npm test");
  });

  it("documents every setting with its default", () => {
    for (const setting of describeSettings()) {
      const row = readme.split("\n").find((line) => line.startsWith(`| \`${setting.name}\``));
      expect(row, setting.name).toBeDefined();
      if (setting.default) expect(row, setting.name).toContain(`\`${setting.default}\``);
    }
  });

  it("links only to docs that exist", () => {
    for (const [, target] of readme.matchAll(/\]\((docs\/[^)]+)\)/g)) {
      expect(fs.existsSync(new URL(`../${target}`, import.meta.url)), target).toBe(true);
    }
  });
});
