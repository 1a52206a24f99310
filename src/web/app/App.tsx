import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import "./global.css";

import { DirectionProvider, MantineProvider, useDirection } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useEffect, useMemo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { RouterProvider } from "react-router-dom";
import { ApiError } from "../api/client";
import { ConfirmProvider } from "../components/confirm";
import { changeLocale, directionOf, i18next, isLocale, rememberLocale } from "../i18n";
import { router } from "./routes";
import { ME_KEY, useMe } from "./session";
import { cssVariablesResolver, themeFor } from "./theme";

/** Errors that mean "who you are has changed" (signed out elsewhere, MFA now required): ask /me again. */
function isSessionError(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    (error.status === 401 || error.code === "mfa_required" || error.code === "mfa_enrolment_required")
  );
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (error, query) => {
      if (isSessionError(error) && query.queryKey[0] !== ME_KEY[0]) void queryClient.invalidateQueries({ queryKey: ME_KEY });
    },
  }),
  mutationCache: new MutationCache({
    onError: (error) => {
      if (isSessionError(error) && error instanceof ApiError && error.code !== "invalid_credentials") {
        void queryClient.invalidateQueries({ queryKey: ME_KEY });
      }
    },
  }),
  defaultOptions: {
    queries: {
      // A 4xx will not get better by asking again; network hiccups might.
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: true,
      staleTime: 10_000,
    },
  },
});

/** Keeps the interface language on the signed-in person's profile language, and Mantine's direction on the language's. */
function LocaleSync({ children }: { children: ReactNode }) {
  const { setDirection } = useDirection();
  const profileLocale = useMe().data?.user.locale;

  useEffect(() => {
    const onChange = (language: string) => setDirection(directionOf(isLocale(language) ? language : "en"));
    onChange(i18next.language);
    i18next.on("languageChanged", onChange);
    return () => i18next.off("languageChanged", onChange);
  }, [setDirection]);

  useEffect(() => {
    if (isLocale(profileLocale)) {
      rememberLocale(profileLocale);
      void changeLocale(profileLocale);
    }
  }, [profileLocale]);

  return <>{children}</>;
}

/** The whole web app: providers, then the router. */
export function App() {
  const { t, i18n } = useTranslation();
  const theme = useMemo(() => themeFor(t("common.close")), [t, i18n.language]);
  return (
    <DirectionProvider initialDirection={directionOf(isLocale(i18next.language) ? i18next.language : "en")} detectDirection>
      <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
        <QueryClientProvider client={queryClient}>
          <LocaleSync>
            <Notifications position="bottom-right" limit={4} />
            <ConfirmProvider>
              <RouterProvider router={router} />
            </ConfirmProvider>
          </LocaleSync>
        </QueryClientProvider>
      </MantineProvider>
    </DirectionProvider>
  );
}
