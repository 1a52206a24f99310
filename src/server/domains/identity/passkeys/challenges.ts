import { eq, lt } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { passkeyChallenges } from "../passkeys.schema";
import { PASSKEY_CHALLENGE_TTL_MS } from "./relying-party";
import { passkeyChallengeInvalid } from "./passkeys.errors";

type Purpose = (typeof passkeyChallenges.$inferInsert)["purpose"];
type Binding = { userId?: string; sessionId?: string };

/** Keeps a challenge just handed to a browser (and drops expired ones, which nobody can answer any more). */
export async function storeChallenge(ctx: Ctx, challenge: string, purpose: Purpose, binding: Binding = {}): Promise<void> {
  const now = ctx.now();
  await ctx.db.delete(passkeyChallenges).where(lt(passkeyChallenges.expiresAt, now));
  await ctx.db.insert(passkeyChallenges).values({
    challenge,
    purpose,
    userId: binding.userId ?? null,
    sessionId: binding.sessionId ?? null,
    createdAt: now,
    expiresAt: new Date(now.getTime() + PASSKEY_CHALLENGE_TTL_MS),
  });
}

/** The challenge a browser answer signed, read from its clientDataJSON (null when it is not readable). */
function challengeIn(answer: { response: { clientDataJSON: string } }): string | null {
  try {
    const clientData = JSON.parse(Buffer.from(answer.response.clientDataJSON, "base64url").toString("utf8")) as { challenge?: unknown };
    return typeof clientData.challenge === "string" ? clientData.challenge : null;
  } catch {
    // Not base64url JSON: not an answer to anything we asked.
    return null;
  }
}

/**
 * Takes (deletes) the challenge an answer claims to answer, inside the caller's transaction: it must exist, be
 * for this purpose and this person/session, and not have expired. A challenge is answered once: commit the
 * transaction even when the answer then fails verification, or it could be tried again.
 */
export async function takeChallenge(tx: Ctx, answer: { response: { clientDataJSON: string } }, purpose: Purpose, binding: Binding = {}): Promise<string> {
  const challenge = challengeIn(answer);
  if (!challenge) throw passkeyChallengeInvalid();
  const [row] = await tx.db.delete(passkeyChallenges).where(eq(passkeyChallenges.challenge, challenge)).returning();
  const fits =
    row &&
    row.purpose === purpose &&
    row.expiresAt > tx.now() &&
    (binding.userId === undefined || row.userId === binding.userId) &&
    (binding.sessionId === undefined || row.sessionId === binding.sessionId);
  if (!fits) throw passkeyChallengeInvalid();
  return row.challenge;
}
