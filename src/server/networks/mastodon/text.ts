import type { mastodon } from "masto";

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/**
 * The plain text of a status's `content` (HTML from Mastodon's TextFormatter, or a remote server's sanitized HTML):
 * paragraphs become blank lines, `<br>` a line break; links keep their full address (Mastodon hides the scheme and
 * the tail of long links in `invisible` spans, which are part of the text).
 */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/p>\s*<p[^>]*>/gi, "\n\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
      if (name[0] === "#") {
        const code = name[1].toLowerCase() === "x" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) ? String.fromCodePoint(code) : entity;
      }
      return ENTITIES[name.toLowerCase()] ?? entity;
    })
    .trim();
}

/**
 * The text of a reply or private mention without the addressing at its start: Mastodon clients begin a reply with
 * `@author` (only a mention notifies), which is not what the person wrote to the brand.
 */
export function withoutLeadingMentions(text: string, mentions: readonly Pick<mastodon.v1.StatusMention, "acct" | "username">[]): string {
  const names = new Set(mentions.flatMap((mention) => [mention.acct.toLowerCase(), mention.username.toLowerCase()]));
  let rest = text;
  for (;;) {
    const match = /^@([\w.-]+(?:@[\w.-]+)?)\s+/.exec(rest);
    if (!match) return rest;
    const name = match[1].toLowerCase();
    if (!names.has(name) && !names.has(name.split("@")[0])) return rest;
    rest = rest.slice(match[0].length);
  }
}

/** Normalises text for comparing what was sent with what Mastodon shows (whitespace differences only). */
export const comparableText = (text: string) => text.replace(/\s+/g, " ").trim();
