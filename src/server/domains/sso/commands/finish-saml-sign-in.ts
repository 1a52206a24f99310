import { and, eq, gt, isNotNull, isNull } from "drizzle-orm";
import type { Ctx } from "../../../context";
import { hashToken } from "../../../crypto/secrets";
import { ssoProviders, ssoSignIns } from "../sso.schema";
import { ssoNotConfigured, ssoStateInvalid } from "../sso.errors";
import { signInThroughProvider, type ProviderIdentity, type SsoSignInResult } from "./sign-in-through-provider";

export type FinishSamlSignInInput = {
  /** The attempt the assertion consumer service verified a response for. */
  attemptId: string;
  /** The cookie value `beginSsoSignIn` gave this browser, if it came back with it. */
  browserToken: string | undefined;
};

/**
 * Second step of a SAML sign-in, in the browser that started it: the attempt must have been answered by a verified
 * response, be unused and unexpired, and belong to this browser (its cookie) — so a response posted into someone
 * else's browser (login CSRF) signs nobody in. Then the person is signed in like after OpenID Connect.
 */
export async function finishSamlSignIn(ctx: Ctx, input: FinishSamlSignInInput): Promise<SsoSignInResult> {
  if (!input.browserToken || !/^[0-9a-f-]{36}$/i.test(input.attemptId)) return { ok: false, error: ssoStateInvalid() };
  const now = ctx.now();
  const [attempt] = await ctx.db
    .update(ssoSignIns)
    .set({ usedAt: now })
    .where(
      and(
        eq(ssoSignIns.id, input.attemptId),
        eq(ssoSignIns.browserHash, hashToken(input.browserToken)),
        isNotNull(ssoSignIns.answeredAt),
        isNotNull(ssoSignIns.assertionKey),
        isNull(ssoSignIns.usedAt),
        gt(ssoSignIns.expiresAt, now),
      ),
    )
    .returning();
  if (!attempt) return { ok: false, error: ssoStateInvalid() };
  const [provider] = await ctx.db.select().from(ssoProviders).where(eq(ssoProviders.id, attempt.providerId));
  if (!provider || provider.protocol !== "saml") return { ok: false, error: ssoNotConfigured() };
  const identity = JSON.parse(ctx.services.secrets.open(attempt.secrets)) as ProviderIdentity;
  // The verified identity is of no use once signed in: keep nothing about the person in the attempt.
  await ctx.db.update(ssoSignIns).set({ secrets: ctx.services.secrets.seal("{}") }).where(eq(ssoSignIns.id, attempt.id));
  return signInThroughProvider(ctx, provider, identity);
}
