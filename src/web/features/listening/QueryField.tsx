import { Box, Stack, Text, Textarea } from "@mantine/core";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../../i18n/format";
import type { QueryError } from "./hooks";

/** A syntax error's message in the reader's language (the server's own, more specific message in English). */
export function useQueryErrorText() {
  const { t, i18n } = useTranslation();
  return (error: QueryError) => (i18n.language === "en" ? error.message : t(`listening.queryErrors.${error.code}`, { defaultValue: error.message }));
}

/**
 * The query editor: a text area, and under it the query again with each error's span underlined and its message
 * beside it (the span is where the parser stopped, so the person sees what to fix).
 */
export function QueryField({ value, onChange, errors }: { value: string; onChange: (value: string) => void; errors: QueryError[] }) {
  const { t } = useTranslation();
  const messageId = useId();
  const errorText = useQueryErrorText();
  const error = errors[0];
  return (
    <Stack gap={6}>
      <Textarea
        label={t("listening.query")}
        description={t("listening.queryDescription")}
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
        autosize
        minRows={2}
        maxRows={8}
        spellCheck={false}
        dir="ltr"
        styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
        error={error ? true : undefined}
        data-testid="query-input"
      />
      {error && (
        <Box
          p="xs"
          style={{ border: "1px solid var(--mantine-color-red-4)", borderRadius: 4, background: "var(--mantine-color-red-0)" }}
          data-testid="query-error"
        >
          <Text ff="monospace" size="sm" dir="ltr" ta="left" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }} aria-hidden>
            {value.slice(0, error.start)}
            <mark
              data-testid="query-error-span"
              style={{ background: "var(--mantine-color-red-1)", color: "inherit", textDecoration: "underline wavy var(--mantine-color-red-7)", textUnderlineOffset: 3 }}
            >
              {value.slice(error.start, error.end) || "\u00a0"}
            </mark>
            {value.slice(error.end)}
          </Text>
          <Text size="sm" c="red.9" mt={4} id={messageId} role="status">
            {t("listening.errorAt", { position: formatNumber(error.start + 1) })} {errorText(error)}
          </Text>
        </Box>
      )}
    </Stack>
  );
}
