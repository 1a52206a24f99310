import { baitPhrasesIn, type ImpostorReason } from "./judge-account";

/** What a suspected impostor is kept with (impostor_accounts.evidence); the Impostors page shows it. */
export type ImpostorEvidence = {
  reasons: ImpostorReason[];
  imitates: { channelId: string; network: string; handle: string; displayName: string | null };
  /** Posts with bait first, then plain ones; at most `EVIDENCE_TEXTS`. */
  texts: string[];
  /** At most `EVIDENCE_MENTIONS`, oldest first. */
  mentionIds: number[];
};

/** A suspect keeps at most this many of its posts as evidence. */
export const EVIDENCE_TEXTS = 5;
/** … and at most this many mention ids. */
export const EVIDENCE_MENTIONS = 20;

/**
 * The posts worth keeping of these (oldest first), at most `EVIDENCE_TEXTS`: those with bait before plain ones, as
 * bait is what makes an account a scam. Of the bait posts the earliest are kept (what first made the account
 * suspicious) and the newest; plain posts fill what is left, newest first.
 */
export function keepTexts(texts: string[]): string[] {
  const unique = [...new Set(texts)];
  const isBait = new Map(unique.map((text) => [text, baitPhrasesIn(text).length > 0]));
  const bait = unique.filter((text) => isBait.get(text));
  const plain = unique.filter((text) => !isBait.get(text));
  const keptBait = bait.length <= EVIDENCE_TEXTS ? bait : [...bait.slice(0, EVIDENCE_TEXTS - 1), bait.at(-1)!];
  const room = EVIDENCE_TEXTS - keptBait.length;
  return [...keptBait, ...(room > 0 ? plain.slice(-room) : [])];
}

/**
 * A suspect nobody has looked at yet, seen again: the evidence of both sightings, so a later harmless post never
 * hides the bait post that made it suspicious. Reasons are the union (a bait reason gathers the phrases of both);
 * which channel it imitates follows the stronger sighting; texts and mention ids stay within their bounds.
 */
export function mergeEvidence(kept: ImpostorEvidence, keptScore: number, fresh: ImpostorEvidence, freshScore: number): ImpostorEvidence {
  const reasons = kept.reasons.map((reason) => ({ ...reason }) as ImpostorReason);
  for (const reason of fresh.reasons) {
    const same = reasons.find((r) => reasonKey(r) === reasonKey(reason));
    if (!same) reasons.push(reason);
    else if (same.kind === "bait" && reason.kind === "bait") {
      same.phrases = [...new Set([...same.phrases, ...reason.phrases])];
      same.asksForPayment ||= reason.asksForPayment;
    }
  }
  const mentionIds = [...new Set([...(kept.mentionIds ?? []), ...fresh.mentionIds])].sort((a, b) => a - b);
  const half = EVIDENCE_MENTIONS / 2;
  return {
    reasons,
    imitates: freshScore > keptScore ? fresh.imitates : kept.imitates,
    texts: keepTexts([...(kept.texts ?? []), ...fresh.texts]),
    mentionIds: mentionIds.length <= EVIDENCE_MENTIONS ? mentionIds : [...mentionIds.slice(0, half), ...mentionIds.slice(-half)],
  };
}

/** Two reasons are the same signal when they are of one kind about one of the brand's accounts. */
function reasonKey(reason: ImpostorReason): string {
  if ("brandHandle" in reason) return `${reason.kind} ${reason.brandHandle}`;
  if ("brandName" in reason) return `${reason.kind} ${reason.brandName}`;
  return reason.kind;
}
