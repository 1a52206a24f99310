import { Parser } from "htmlparser2";

export type PageMetadata = { title: string | null; description: string | null; siteName: string | null; imageUrl: string | null };

const clean = (value: string | undefined | null, max: number) => {
  const text = value?.replace(/\s+/g, " ").trim();
  if (!text) return null;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

/** The charset an HTML page declares in its Content-Type header or, failing that, a <meta> in its first bytes. */
function charsetOf(contentType: string, body: Buffer): string {
  const fromHeader = /charset=["']?([\w-]+)/i.exec(contentType)?.[1];
  const fromMeta = /<meta[^>]+charset=["']?([\w-]+)/i.exec(body.subarray(0, 2048).toString("latin1"))?.[1];
  const label = (fromHeader ?? fromMeta ?? "utf-8").toLowerCase();
  try {
    new TextDecoder(label);
    return label;
  } catch {
    // An unknown label: read it as UTF-8, like browsers do for most pages.
    return "utf-8";
  }
}

/**
 * Reads a page's preview from its <head>: OpenGraph (og:title, og:description, og:image, og:site_name), then the
 * Twitter card's, then <title> and <meta name="description">. Parsed with htmlparser2; parsing stops at <body>.
 * Relative image addresses are resolved against `pageUrl`; only http(s) images are kept.
 */
export function readMetadata(body: Buffer, contentType: string, pageUrl: string): PageMetadata {
  const html = new TextDecoder(charsetOf(contentType, body)).decode(body);
  const meta = new Map<string, string>();
  let title = "";
  let inTitle = false;
  let done = false;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (done) return;
        if (name === "body") {
          done = true;
          parser.pause();
          return;
        }
        if (name === "title") inTitle = true;
        if (name === "meta") {
          const key = (attributes.property ?? attributes.name ?? "").toLowerCase().trim();
          if (key && attributes.content !== undefined && !meta.has(key)) meta.set(key, attributes.content);
        }
      },
      ontext(text) {
        if (inTitle && !done) title += text;
      },
      onclosetag(name) {
        if (name === "title") inTitle = false;
        if (name === "head") {
          done = true;
          parser.pause();
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  if (!done) parser.end();

  const pick = (...keys: string[]) => keys.map((k) => meta.get(k)).find((v) => v && v.trim());
  let imageUrl: string | null = null;
  const image = pick("og:image:secure_url", "og:image", "og:image:url", "twitter:image", "twitter:image:src");
  if (image) {
    try {
      const resolved = new URL(image.trim(), pageUrl);
      if (resolved.protocol === "http:" || resolved.protocol === "https:") imageUrl = resolved.toString();
    } catch {
      // Not an address: no image.
    }
  }
  return {
    title: clean(pick("og:title", "twitter:title") ?? title, 300),
    description: clean(pick("og:description", "twitter:description", "description"), 500),
    siteName: clean(pick("og:site_name", "application-name"), 100),
    imageUrl,
  };
}
