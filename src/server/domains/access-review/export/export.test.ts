import { describe, expect, it } from "vitest";
import { quarterOf, quarterStart } from "../quarters";
import { csvCell } from "./csv";
import { pdfText } from "./pdf";

describe("CSV cells", () => {
  it.each([
    ["=1+1", "'=1+1"],
    ["+31 20 123", "'+31 20 123"],
    ["-5", "'-5"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tx", "'\tx"],
    ['=HYPERLINK("http://evil.test")', `"'=HYPERLINK(""http://evil.test"")"`],
    ["Ann, PR", '"Ann, PR"'],
    ['team "Social media"', '"team ""Social media"""'],
    ["line\nbreak", '"line\nbreak"'],
    ["Jürgen", "Jürgen"],
    [null, ""],
    [true, "true"],
    [3, "3"],
  ] as const)("writes %j as %j", (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });
});

describe("PDF text", () => {
  it("keeps a Persian run together so its words come out right to left, and drops invisible direction marks", () => {
    expect(pdfText("مریم رضایی")).toBe("مریم\u00A0رضایی");
    expect(pdfText("Maryam مریم رضایی (admin)")).toBe("Maryam مریم\u00A0رضایی (admin)");
    expect(pdfText("Jürgen Müller")).toBe("Jürgen Müller");
    expect(pdfText("\u2068Brightside\u2069 \u200Fx")).toBe("Brightside x");
  });
});

describe("quarters", () => {
  it.each([
    ["2026-01-01T00:00:00Z", "2026-Q1", "2026-01-01T00:00:00.000Z"],
    ["2026-03-31T23:59:59Z", "2026-Q1", "2026-01-01T00:00:00.000Z"],
    ["2026-04-01T00:00:00Z", "2026-Q2", "2026-04-01T00:00:00.000Z"],
    ["2026-11-23T09:00:00Z", "2026-Q4", "2026-10-01T00:00:00.000Z"],
    ["2026-12-31T23:30:00-01:00", "2027-Q1", "2027-01-01T00:00:00.000Z"],
  ])("puts %s in %s (from %s), in UTC", (moment, quarter, start) => {
    expect(quarterOf(new Date(moment))).toBe(quarter);
    expect(quarterStart(new Date(moment)).toISOString()).toBe(start);
  });
});
