import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Locale, WorkspaceAction } from "../../contracts/roles";
import { ApiError, api } from "../api/client";
import type { Me, User } from "../api/types";
import { notifySuccess } from "../components/notify";
import { changeLocale, i18next, rememberLocale } from "../i18n";

export const ME_KEY = ["me"] as const;

/** Who is signed in (null when nobody is): GET /me, with 401 meaning "signed out". */
export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async (): Promise<Me | null> => {
      try {
        return await api<Me>("GET", "/me");
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 30_000,
  });
}

/** The signed-in, fully authenticated person (only inside the app layout, where that is guaranteed). */
export function useActiveMe(): Me {
  const { data } = useMe();
  if (!data) throw new Error("useActiveMe outside the signed-in layout");
  return data;
}

/** Whether the signed-in person may do an action in the current workspace, as the server said. */
export function useCan(action: WorkspaceAction): boolean {
  const { data } = useMe();
  return data?.can?.[action] === true;
}

/** Changes the interface language; for a signed-in person it is saved in their profile too. */
export function useSetLocale() {
  const queryClient = useQueryClient();
  const me = useMe().data;
  return useMutation({
    mutationFn: async (locale: Locale) => {
      rememberLocale(locale);
      if (me?.state === "active") {
        const user = await api<User>("PATCH", "/me", { locale });
        queryClient.setQueryData<Me | null>(ME_KEY, (old) => (old ? { ...old, user: { ...old.user, ...user } } : old));
      }
      await changeLocale(locale);
      return locale;
    },
    // Said in the newly chosen language.
    onSuccess: () => notifySuccess(i18next.t("account.languageSaved")),
  });
}

/**
 * Set while the person signs out on purpose, so that the page they leave is not offered as "next" after
 * the following sign-in (which may be someone else's).
 */
export const signOutState = { leaving: false };

/** A path is safe to return to after sign-in when it stays on this site. */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  return next;
}
