import { useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router-dom";
import { ApiError, api } from "../../api/client";
import type { Me } from "../../api/types";
import { nextParam } from "../../app/RequireActive";
import { ME_KEY, signOutState } from "../../app/session";

/** Asks who is signed in now (after sign-in, MFA, accepting an invitation). */
export async function fetchMe(): Promise<Me | null> {
  try {
    return await api<Me>("GET", "/me");
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

/** After a sign-in step: reload who is signed in and go where their state leads (MFA, set-up, or the page asked for). */
export function useContinueAfterSignIn(next: string) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return async () => {
    signOutState.leaving = false;
    const me = await fetchMe();
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== ME_KEY[0] });
    queryClient.setQueryData(ME_KEY, me);
    if (!me) navigate(`/sign-in${nextParam(next)}`, { replace: true });
    else if (me.state === "mfa_challenge") navigate(`/mfa${nextParam(next)}`, { replace: true });
    else if (me.state === "mfa_enrolment_required") navigate(`/mfa/setup${nextParam(next)}`, { replace: true });
    else navigate(next, { replace: true });
  };
}
