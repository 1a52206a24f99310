import { inflateSync } from "node:zlib";

/**
 * A small text extractor for the PDFs Parapet writes (pdfkit, embedded TrueType fonts): it inflates the streams,
 * reads each font's ToUnicode map and decodes the glyph ids that the page contents show (`Tj` and `TJ`), one line per
 * text object. Not a general PDF parser: enough to check what a report says, in the order it draws it.
 */
export function pdfText(pdf: Buffer): string {
  const raw = pdf.toString("latin1");
  const objects = new Map<number, { dict: string; stream: string | null }>();
  for (const match of raw.matchAll(/(\d+) 0 obj\s*(<<[^]*?>>)\s*(stream\r?\n)?/g)) {
    const [whole, id, dict, hasStream] = match;
    let stream: string | null = null;
    if (hasStream) {
      const start = match.index! + whole.length;
      const length = Number(/\/Length (\d+)/.exec(dict)?.[1] ?? raw.indexOf("endstream", start) - start);
      let data = Buffer.from(raw.slice(start, start + length), "latin1");
      if (dict.includes("/FlateDecode")) data = inflateSync(data);
      stream = data.toString("latin1");
    }
    objects.set(Number(id), { dict, stream });
  }

  // Resource name (/F1) → glyph id → text, through the font object's ToUnicode CMap.
  const maps = new Map<string, Map<number, string>>();
  for (const { dict } of objects.values()) {
    for (const fontDict of dict.matchAll(/\/Font\s*<<([^>]*)>>/g)) {
      for (const [, name, ref] of fontDict[1].matchAll(/\/(\w+)\s+(\d+) 0 R/g)) {
        const toUnicode = /\/ToUnicode (\d+) 0 R/.exec(objects.get(Number(ref))?.dict ?? "")?.[1];
        const cmap = toUnicode ? objects.get(Number(toUnicode))?.stream : null;
        if (cmap) maps.set(name, parseCmap(cmap));
      }
    }
  }

  const lines: string[] = [];
  for (const { dict, stream } of objects.values()) {
    if (!stream || !/BT[\s\S]*ET/.test(stream) || dict.includes("/Subtype")) continue;
    let font = new Map<number, string>();
    let line = "";
    for (const token of stream.matchAll(/\/(\w+) [\d.]+ Tf|\[([^\]]*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj|\bET\b/g)) {
      if (token[1]) font = maps.get(token[1]) ?? new Map();
      else if (token[2] !== undefined) for (const hex of token[2].matchAll(/<([0-9a-fA-F]*)>/g)) line += decode(hex[1], font);
      else if (token[3] !== undefined) line += decode(token[3], font);
      else {
        lines.push(line);
        line = "";
      }
    }
  }
  return lines.join("\n");
}

function decode(hex: string, font: Map<number, string>): string {
  let out = "";
  for (let i = 0; i + 4 <= hex.length; i += 4) out += font.get(parseInt(hex.slice(i, i + 4), 16)) ?? "\uFFFD";
  return out;
}

function parseCmap(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const utf16 = (hex: string) => Buffer.from(hex, "hex").swap16().toString("utf16le");
  for (const block of cmap.matchAll(/beginbfrange([^]*?)endbfrange/g)) {
    for (const [, from, to, targets] of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
      const start = parseInt(from, 16);
      // An entry may hold several code points ("<0066 0069>" for a ligature).
      const list = [...targets.matchAll(/<([0-9a-fA-F ]*)>/g)].map((m) => m[1].replace(/ /g, ""));
      for (let id = start; id <= parseInt(to, 16); id++) {
        const hex = targets.startsWith("[") ? list[id - start] : (parseInt(list[0], 16) + id - start).toString(16).padStart(4, "0");
        if (hex) map.set(id, utf16(hex));
      }
    }
  }
  for (const block of cmap.matchAll(/beginbfchar([^]*?)endbfchar/g)) {
    for (const [, id, target] of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(id, 16), utf16(target));
  }
  return map;
}
