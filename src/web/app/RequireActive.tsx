import { Center, Loader } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useLocation } from "react-router-dom";
import { QueryState } from "../components/QueryState";
import { signOutState, useMe } from "./session";

/** A full-screen spinner while the app learns who is signed in. */
export function FullPageLoader() {
  const { t } = useTranslation();
  return (
    <Center mih="100vh">
      <Loader aria-label={t("common.loading")} />
    </Center>
  );
}

/** "?next=<here>" so that sign-in returns to the page asked for (nothing for the home page). */
export function nextParam(path: string): string {
  return path === "/" ? "" : `?next=${encodeURIComponent(path)}`;
}

/** Lets only fully signed-in people through; sends others to sign-in, the MFA challenge or MFA set-up. */
export function RequireActive({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  const here = location.pathname + location.search;
  if (me.isPending) return <FullPageLoader />;
  if (me.isError)
    return (
      <Center mih="100vh" p="md">
        <QueryState query={me}>{() => null}</QueryState>
      </Center>
    );
  if (!me.data) return <Navigate to={signOutState.leaving ? "/sign-in" : `/sign-in${nextParam(here)}`} replace />;
  if (me.data.state === "mfa_challenge") return <Navigate to={`/mfa${nextParam(here)}`} replace />;
  if (me.data.state === "mfa_enrolment_required") return <Navigate to={`/mfa/setup${nextParam(here)}`} replace />;
  return <>{children}</>;
}
