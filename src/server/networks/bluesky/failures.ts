import { NetworkError } from "../types";
import { atprotoIfLoaded } from "./sdk";

/** XRPC error names meaning the session no longer works: the account must be reconnected (or refreshed first). */
const AUTH_ERRORS = new Set([
  "ExpiredToken",
  "InvalidToken",
  "AuthenticationRequired",
  "AuthMissing",
  "AuthRequired",
  "AccountTakedown",
  "AccountDeactivated",
  "AccountNotFound",
]);
/** Node's codes for a connection that never carried the request: retrying is safe even for writes. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);
const DEFAULT_RETRY_AFTER_SECONDS = 60;

/** Whether the failed call changed something at the network if it got through (a write) or only read. */
export type CallKind = "read" | "write";

/** The chain of causes of an error, outermost first. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current && chain.length < 8; current = (current as { cause?: unknown }).cause) chain.push(current);
  return chain;
}

/** Seconds until the rate limit resets, from the PDS's `ratelimit-reset` (epoch seconds) or `retry-after`. */
function retryAfterSeconds(headers: { [name: string]: string | undefined } | undefined, now = Date.now()): number {
  const reset = Number(headers?.["ratelimit-reset"]);
  if (Number.isFinite(reset) && reset > 0) return Math.max(1, Math.ceil(reset - now / 1000));
  const retryAfter = Number(headers?.["retry-after"]);
  if (Number.isFinite(retryAfter) && retryAfter > 0) return Math.ceil(retryAfter);
  return DEFAULT_RETRY_AFTER_SECONDS;
}

/** A failure that never reached an answer: refused connection (not sent), or a timeout / reset (maybe sent). */
function classifyNoAnswer(error: unknown, call: CallKind): NetworkError {
  const chain = causes(error);
  const code = chain.map((cause) => (cause as { code?: unknown }).code).find((value): value is string => typeof value === "string");
  const timedOut = chain.some((cause) => cause instanceof Error && (cause.name === "TimeoutError" || cause.name === "AbortError"));
  if (code && NOT_SENT_CODES.has(code)) return new NetworkError("transient", `Bluesky could not be reached (${code})`, { networkCode: code });
  // A write may have been applied before the answer was lost: the caller reconciles before retrying.
  if (call === "write") {
    return new NetworkError("outcome_unknown", "Bluesky did not answer (the request may have been applied)", { networkCode: timedOut ? "timeout" : (code ?? "no_answer") });
  }
  return new NetworkError("transient", timedOut ? "Bluesky did not answer in time" : "the connection to Bluesky failed", { networkCode: timedOut ? "timeout" : (code ?? "no_answer") });
}

/** Turns anything a Bluesky call threw into the contract's NetworkError kinds. */
export function classifyFailure(error: unknown, call: CallKind): NetworkError {
  if (error instanceof NetworkError) return error;
  const XRPCError = atprotoIfLoaded()?.XRPCError;
  if (!XRPCError || !(error instanceof XRPCError)) return classifyNoAnswer(error, call);
  const status = error.status;
  const details = { status, networkCode: error.error };
  const message = error.message || error.error || `Bluesky answered ${status}`;
  if (status === 429) return new NetworkError("rate_limited", message, { ...details, retryAfterSeconds: retryAfterSeconds(error.headers) });
  if (status === 401 || AUTH_ERRORS.has(error.error)) return new NetworkError("auth_expired", message, details);
  // XRPCError uses status 1 for "no response" and 2 for an answer that failed validation.
  if (status === 1) return classifyNoAnswer(error, call);
  if (status === 2) return call === "write" ? new NetworkError("outcome_unknown", message, details) : new NetworkError("transient", message, details);
  if (status >= 500) return new NetworkError("transient", message, details);
  return new NetworkError("invalid_content", message, details);
}

/**
 * A chat call's failure. The PDS refuses to proxy to the chat service for an app password made without "Allow access
 * to your direct messages" (`InvalidToken`, "Bad token method"): say so, since reconnecting with such a password helps.
 */
export function classifyChatFailure(error: unknown, call: CallKind): NetworkError {
  const failure = classifyFailure(error, call);
  if (failure.details.networkCode === "InvalidToken" && /token method/i.test(failure.message)) {
    return new NetworkError("auth_expired", "the app password does not allow direct messages: connect with one that has \"Allow access to your direct messages\"", {
      ...failure.details,
      networkCode: "direct_messages_not_allowed",
    });
  }
  return failure;
}
