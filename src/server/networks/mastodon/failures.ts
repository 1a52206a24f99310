import { MastoHttpError, MastoTimeoutError } from "masto";
import { NetworkError } from "../types";

/** Whether the failed call could have changed something at the instance (a write), which makes a lost answer unknowable. */
export type CallKind = "read" | "write";

const DEFAULT_RETRY_AFTER_SECONDS = 60;
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

/**
 * Seconds to wait from a 429: Mastodon's rack-attack sends `X-RateLimit-Reset` as an ISO 8601 time (a proxy may add
 * `Retry-After` in seconds).
 */
export function retryAfterSeconds(headers: Headers | undefined, now = Date.now()): number {
  const reset = headers?.get("x-ratelimit-reset");
  if (reset && !Number.isNaN(Date.parse(reset))) return Math.max(1, Math.ceil((Date.parse(reset) - now) / 1000));
  const retryAfter = Number(headers?.get("retry-after"));
  if (Number.isFinite(retryAfter) && retryAfter > 0) return Math.ceil(retryAfter);
  return DEFAULT_RETRY_AFTER_SECONDS;
}

/** The message Mastodon put in `{"error": …}`, as masto read it. */
const messageOf = (error: MastoHttpError) => error.message || `HTTP ${error.statusCode}`;

/** Doorkeeper's 401/403 messages that mean the token no longer works, and the code Parapet keeps for each. */
function tokenProblem(message: string): string | null {
  if (/revoked/i.test(message)) return "token_revoked";
  if (/expired/i.test(message)) return "token_expired";
  if (/access token is invalid|not authorized|invalid access token/i.test(message)) return "token_invalid";
  if (/outside the authorized scopes/i.test(message)) return "scope_missing";
  if (/login is currently disabled|account is (suspended|disabled)|confirm your e-?mail|pending approval/i.test(message)) return "account_unavailable";
  return null;
}

/** Classifies anything a masto call threw into the contract's NetworkError kinds. */
export function classifyFailure(error: unknown, call: CallKind): NetworkError {
  if (error instanceof NetworkError) return error;
  if (error instanceof MastoHttpError) {
    const status = error.statusCode;
    const message = messageOf(error);
    const response = error.cause instanceof Response ? error.cause : undefined;
    if (status === 429) {
      return new NetworkError("rate_limited", `Mastodon: ${message}`, { status, retryAfterSeconds: retryAfterSeconds(response?.headers), networkCode: "rate_limited" });
    }
    if (status === 401) return new NetworkError("auth_expired", `Mastodon: ${message}`, { status, networkCode: tokenProblem(message) ?? "unauthorized" });
    if (status === 403) {
      const problem = tokenProblem(message);
      if (problem) return new NetworkError("auth_expired", `Mastodon: ${message}`, { status, networkCode: problem });
      return new NetworkError("invalid_content", `Mastodon: ${message}`, { status, networkCode: message });
    }
    if (status === 400 && (message === "invalid_grant" || message === "invalid_client")) {
      return new NetworkError("auth_expired", `Mastodon refused the authorisation: ${error.description ?? message}`, { status, networkCode: message });
    }
    if (status >= 500) return new NetworkError("transient", `Mastodon: ${message}`, { status });
    // 404 (a removed or invisible status), 422 (validation) and other refusals: the content or its target.
    return new NetworkError("invalid_content", `Mastodon: ${message}`, { status, networkCode: message });
  }
  if (error instanceof MastoTimeoutError || (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))) {
    return call === "write"
      ? new NetworkError("outcome_unknown", "Mastodon did not answer in time; the call may have gone through", { networkCode: "timeout" })
      : new NetworkError("transient", "Mastodon did not answer in time", { networkCode: "timeout" });
  }
  const code = (error as { cause?: { code?: string } })?.cause?.code ?? (error as { code?: string })?.code;
  if (code && NOT_SENT_CODES.has(code)) return new NetworkError("transient", `Mastodon could not be reached (${code})`, { networkCode: code });
  if (error instanceof TypeError || code) {
    // The connection broke; for a write we cannot tell whether the instance got it.
    return call === "write"
      ? new NetworkError("outcome_unknown", `The connection to Mastodon broke: ${code ?? error}`, { networkCode: code ?? "connection_lost" })
      : new NetworkError("transient", `The connection to Mastodon broke: ${code ?? error}`, { networkCode: code ?? "connection_lost" });
  }
  // MastoUnexpectedError: a proxy's HTML error page or garbage instead of JSON; the instance is not answering properly.
  return new NetworkError("transient", `Mastodon answered unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
}

/** Runs a masto call and turns any failure into a classified NetworkError. */
export async function call<T>(kind: CallKind, run: () => PromiseLike<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw classifyFailure(error, kind);
  }
}
