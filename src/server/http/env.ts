import type { Actor } from "../authz";
import type { Ctx, Services } from "../context";

/** How the request is signed in, after the auth middleware. */
export type AuthState =
  | { kind: "anonymous" }
  | {
      kind: "signed_in";
      via: "session" | "api_token";
      /** active: may use the product; the other two may only finish signing in. */
      state: "active" | "mfa_challenge" | "mfa_enrolment_required";
      sessionId?: string;
    };

export type AppEnv = {
  Variables: {
    services: Services;
    actor: Actor;
    auth: AuthState;
    ctx: Ctx;
    requestId: string;
    csrfToken: string;
  };
};
