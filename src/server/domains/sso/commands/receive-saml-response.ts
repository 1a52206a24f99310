import { SamlStatusError, type CacheProvider, type Profile } from "@node-saml/node-saml";
import { and, eq, gt, isNull } from "drizzle-orm";
import { inTransaction, withActor, type Ctx } from "../../../context";
import { hashToken } from "../../../crypto/secrets";
import { consumeRateLimit } from "../../../db/rate-limit";
import type { AppError } from "../../../errors";
import { assertionIdOf, checkAssertion, identityFromAssertion, nameIdIsTransient, responseEnvelope, samlClient, samlServiceProvider } from "../saml";
import { ssoSignIns } from "../sso.schema";
import { ssoNameIdTransient, ssoNotConfigured, ssoProviderRefused, ssoStateInvalid, ssoTokenInvalid, ssoUnsolicited } from "../sso.errors";
import { ssoProviderOf, type SsoProvider } from "../queries/sso-provider";

export type ReceiveSamlResponseInput = { workspaceId: string; samlResponse: string };
export type ReceiveSamlResponseResult = { ok: true; attemptId: string } | { ok: false; error: AppError };

type Refusal = "attempt_invalid" | "response_invalid" | "replayed" | "unsolicited" | "provider_refused" | "name_id_transient";

/**
 * The assertion consumer service: verifies a SAML Response posted by the browser and keeps the person it names with
 * the sign-in attempt it answers, for that browser to finish (`finishSamlSignIn`). Refused, each audited without the
 * response's contents: a response to no pending request of this workspace, or to one already answered
 * (`sso_state_invalid`); one not signed by a configured certificate, for another audience or recipient, outside its
 * time window, from another issuer, or whose assertion was used before (`sso_token_invalid`); an IdP-initiated
 * response (`sso_unsolicited`); a transient NameID (`sso_name_id_transient`); the IdP's own refusal
 * (`sso_provider_refused`).
 */
export async function receiveSamlResponse(ctx: Ctx, input: ReceiveSamlResponseInput): Promise<ReceiveSamlResponseResult> {
  await consumeRateLimit(ctx.db, `saml-acs:${ctx.request.ip ?? "unknown"}`, ctx.services.config.login.ratePerMinute, 60, ctx.now());
  const provider = /^[0-9a-f-]{36}$/i.test(input.workspaceId) ? await ssoProviderOf(ctx.db, input.workspaceId) : undefined;
  if (!provider || provider.protocol !== "saml") return { ok: false, error: ssoNotConfigured() };
  const refuse = async (reason: Refusal, error: AppError, detail?: string) => {
    // What failed, never the response's contents (they carry the person's attributes).
    ctx.log.warn({ reason, detail, issuer: provider.issuer, workspaceId: provider.workspaceId }, "SAML response refused");
    await inTransaction(ctx, (tx) =>
      withActor(tx, tx.actor, provider.workspaceId).audit({ type: "sso.sign_in_failed", data: { providerId: provider.id, issuer: provider.issuer, email: null, reason } }),
    );
    return { ok: false as const, error };
  };

  const sp = samlServiceProvider(ctx.services, provider.workspaceId);
  const envelope = responseEnvelope(input.samlResponse);
  if (!envelope) return refuse("response_invalid", ssoTokenInvalid(), "not a SAML Response");
  if (envelope.destination !== null && envelope.destination !== sp.acsUrl) return refuse("response_invalid", ssoTokenInvalid(), "Destination is not this ACS");

  const attempts = new PendingAttempts(ctx, provider);
  let profile: Profile | null;
  try {
    ({ profile } = await samlClient(ctx.services, provider, attempts).validatePostResponseAsync({ SAMLResponse: input.samlResponse }));
  } catch (err) {
    if (attempts.asked && !attempts.claimed) return refuse("attempt_invalid", ssoStateInvalid(), "InResponseTo names no pending request");
    // The IdP's status (its own refusal) is shown to the person, as OpenID providers' errors are.
    if (err instanceof SamlStatusError) return refuse("provider_refused", ssoProviderRefused(err.message.replace(/^SAML provider returned /, "")));
    return refuse("response_invalid", ssoTokenInvalid(), whichCheckFailed(err));
  }
  if (!profile) return refuse("response_invalid", ssoTokenInvalid(), "no assertion");
  // IdP-initiated: a response to no request cannot be bound to a browser, so it could sign anyone in anywhere.
  if (!attempts.claimed || !envelope.inResponseTo) return refuse("unsolicited", ssoUnsolicited());
  const problem = checkAssertion(profile, { now: ctx.now(), issuer: provider.issuer, acsUrl: sp.acsUrl, inResponseTo: envelope.inResponseTo });
  if (problem) return refuse("response_invalid", ssoTokenInvalid(), problem);
  if (nameIdIsTransient(profile)) return refuse("name_id_transient", ssoNameIdTransient());

  const identity = identityFromAssertion(profile, provider);
  const assertionKey = hashToken(`${provider.issuer}\n${assertionIdOf(profile)}`);
  const [seen] = await ctx.db.select({ id: ssoSignIns.id }).from(ssoSignIns).where(eq(ssoSignIns.assertionKey, assertionKey));
  if (seen) return refuse("replayed", ssoTokenInvalid(), "assertion ID used before");
  try {
    await ctx.db
      .update(ssoSignIns)
      .set({ assertionKey, secrets: ctx.services.secrets.seal(JSON.stringify(identity)) })
      .where(eq(ssoSignIns.id, attempts.claimed.id));
  } catch (err) {
    // The unique assertion key: the same assertion arrived twice at once.
    ctx.log.warn({ err: err instanceof Error ? err.message : String(err) }, "SAML assertion recorded concurrently");
    return refuse("replayed", ssoTokenInvalid(), "assertion ID used concurrently");
  }
  return { ok: true, attemptId: attempts.claimed.id };
}

/**
 * node-saml's own messages name the check that failed (signature, audience, status…) and carry no attribute of the
 * person; anything else (an XML parser's complaint may quote the document) is logged as unreadable.
 */
function whichCheckFailed(err: unknown): string {
  const message = err instanceof Error ? err.message : "";
  return /^(Invalid|SAML |InResponseTo|SubjectInResponseTo|Missing SAML|No valid subject|Unable to process|Cannot obtain|Too many signatures|Unknown SAML|Unexpected SAML)/.test(message)
    ? message.slice(0, 200)
    : "unreadable response";
}

/**
 * node-saml's cache of request IDs, backed by the sign-in attempts: the first look-up of an InResponseTo claims the
 * attempt (unanswered, unexpired, this workspace's provider) by marking it answered, so a request is answered once —
 * whatever happens next, as for OpenID states. Later look-ups in the same validation (the SubjectConfirmation's
 * InResponseTo) see the same claim.
 */
class PendingAttempts implements CacheProvider {
  asked = false;
  claimed: { id: string; requestId: string } | null = null;
  constructor(
    private ctx: Ctx,
    private provider: SsoProvider,
  ) {}
  async getAsync(requestId: string): Promise<string | null> {
    this.asked = true;
    // node-saml compares this with its own (machine) clock; expiry is checked here with the injected one.
    const valid = new Date().toISOString();
    if (this.claimed) return this.claimed.requestId === requestId ? valid : null;
    const now = this.ctx.now();
    const [row] = await this.ctx.db
      .update(ssoSignIns)
      .set({ answeredAt: now })
      .where(
        and(
          eq(ssoSignIns.stateHash, hashToken(requestId)),
          eq(ssoSignIns.providerId, this.provider.id),
          isNull(ssoSignIns.answeredAt),
          isNull(ssoSignIns.usedAt),
          gt(ssoSignIns.expiresAt, now),
        ),
      )
      .returning({ id: ssoSignIns.id });
    if (!row) return null;
    this.claimed = { id: row.id, requestId };
    return valid;
  }
  async saveAsync(): Promise<null> {
    return null;
  }
  async removeAsync(): Promise<null> {
    return null;
  }
}
