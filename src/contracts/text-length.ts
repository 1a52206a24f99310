/**
 * How long a post's text is as a network counts it: user-perceived characters (graphemes: an emoji with a skin tone
 * is one), and links counted as `linkLength` characters where the network shortens them (Mastodon: 23). Shared by
 * the composer, which counts as you type, and the server, which refuses what a channel would refuse.
 */
const URL_PATTERN = /https?:\/\/[^\s<>"]+/gi;

export function countGraphemes(text: string): number {
  let count = 0;
  for (const _ of new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)) count++;
  return count;
}

export function textLengthFor(text: string, limits: { linkLength: number | null }): number {
  if (limits.linkLength === null) return countGraphemes(text);
  const links = text.match(URL_PATTERN) ?? [];
  return countGraphemes(text.replace(URL_PATTERN, "")) + links.length * limits.linkLength;
}
