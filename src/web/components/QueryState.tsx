import { Alert, Button, Center, Loader, Stack, Text } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/client";
import { errorText } from "./errors";

/** What QueryState needs of a query (a plain or an infinite TanStack query both fit). */
type QueryLike<T> = { isPending: boolean; isError: boolean; error: unknown; data: T | undefined; refetch: () => unknown };

/** Shows a query's loading and error states, and its data through `children` once there. */
export function QueryState<T>({ query, children }: { query: QueryLike<T>; children: (data: T) => ReactNode }) {
  const { t } = useTranslation();
  if (query.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label={t("common.loading")} />
      </Center>
    );
  }
  if (query.isError) {
    // A load rejected as invalid input means the page's address (an id, a filter) is malformed, e.g. a link cut
    // short; the form wording ("see the messages below") would point nowhere. Neither it, a missing record nor a
    // role that does not allow the page is helped by trying again.
    const code = query.error instanceof ApiError ? query.error.code : undefined;
    return (
      <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title={t("common.couldNotLoad")}>
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{code === "invalid_input" ? t("common.badAddress") : errorText(t, query.error)}</Text>
          {code !== "invalid_input" && code !== "not_found" && code !== "forbidden" && (
            <Button size="xs" variant="default" onClick={() => void query.refetch()}>
              {t("common.tryAgain")}
            </Button>
          )}
        </Stack>
      </Alert>
    );
  }
  return <>{children(query.data as T)}</>;
}

/** An error banner for a failed change, in the user's language; nothing when there is no error. */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title={title} role="alert">
      {errorText(t, error)}
    </Alert>
  );
}
