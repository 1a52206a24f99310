import { ActionIcon, Anchor, Badge, Button, Card, Group, Menu, Modal, Select, Stack, Text, Tooltip } from "@mantine/core";
import { IconDots, IconExternalLink } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useCan } from "../../app/session";
import { notifyError, notifySuccess } from "../../components/notify";
import { currentLocale } from "../../i18n";
import { formatDateTime, formatRelative, isolate } from "../../i18n/format";
import { useCorrectMention, type Mention } from "./hooks";

/** Languages a mention can be corrected to: those the pipeline knows, in the reader's language. */
export const MENTION_LANGUAGES = ["en", "de", "it", "nl", "fa", "fr", "es", "pt", "ar"] as const;
const SENTIMENT_COLOR = { negative: "red", neutral: "gray", positive: "green" } as const;

/** A language code as the reader's language names it ("German", "Deutsch", "آلمانی"); the code itself if unknown. */
export function languageName(code: string): string {
  if (code === "und") return code;
  try {
    return new Intl.DisplayNames([currentLocale()], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function SentimentBadge({ sentiment, corrected }: { sentiment: Mention["sentiment"]; corrected?: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge color={SENTIMENT_COLOR[sentiment]} variant="light" size="sm">
      {t(`listening.sentiment.${sentiment}`)}
      {corrected ? ` · ${t("listening.corrected")}` : ""}
    </Badge>
  );
}

/** One mention: who said it where and when, its text, language and sentiment, a link to it, and a menu to correct it. */
export function MentionCard({ mention, compact = false }: { mention: Mention; compact?: boolean }) {
  const { t } = useTranslation();
  const canCorrect = useCan("listening.correct");
  const correct = useCorrectMention();
  const [languageOpen, setLanguageOpen] = useState(false);
  const [language, setLanguage] = useState<string | null>(mention.lang);
  const send = (body: { lang?: string; sentiment?: string }) =>
    correct.mutate(
      { mentionId: mention.id, ...body },
      {
        onSuccess: () => {
          setLanguageOpen(false);
          notifySuccess(t("listening.correctedNotice"));
        },
        onError: (err) => notifyError(t, err),
      },
    );
  const author = mention.authorName ? `${mention.authorName} (@${mention.authorHandle})` : `@${mention.authorHandle}`;
  return (
    <Card withBorder padding={compact ? "xs" : "sm"} radius="sm" component="article" aria-label={t("listening.mentionBy", { author })} data-testid="mention">
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
          <Stack gap={0} miw={0}>
            <Text size="sm" fw={600} truncate>
              {mention.authorName ?? isolate(`@${mention.authorHandle}`)}
            </Text>
            <Text size="xs" c="dimmed" truncate>
              {isolate(`@${mention.authorHandle}`)} · {t(`listening.networks.${mention.network}`, { defaultValue: mention.network })}
            </Text>
          </Stack>
          {canCorrect && (
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <ActionIcon variant="subtle" color="gray" aria-label={t("listening.correctMenu", { author })}>
                  <IconDots size={16} aria-hidden />
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{t("listening.correctSentiment")}</Menu.Label>
                {(["negative", "neutral", "positive"] as const).map((s) => (
                  <Menu.Item key={s} disabled={s === mention.sentiment} onClick={() => send({ sentiment: s })}>
                    {t("listening.markAs", { sentiment: t(`listening.sentiment.${s}`) })}
                  </Menu.Item>
                ))}
                <Menu.Divider />
                <Menu.Item onClick={() => setLanguageOpen(true)}>{t("listening.correctLanguage")}</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          )}
        </Group>
        <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }} dir="auto" lang={mention.lang === "und" ? undefined : mention.lang}>
          {mention.text}
        </Text>
        <Group gap={6} wrap="wrap">
          <SentimentBadge sentiment={mention.sentiment} corrected={mention.sentimentCorrected} />
          <Tooltip label={t(`listening.langSource.${mention.langSource}`)}>
            <Badge variant="outline" color="gray" size="sm" tabIndex={0}>
              {languageName(mention.lang)}
            </Badge>
          </Tooltip>
          {mention.nearDuplicate && (
            <Badge variant="outline" color="orange" size="sm">
              {t("listening.nearDuplicate")}
            </Badge>
          )}
          <Tooltip label={formatDateTime(mention.postedAt)}>
            <Text size="xs" c="dimmed" component="time" dateTime={mention.postedAt} tabIndex={0}>
              {formatRelative(mention.postedAt)}
            </Text>
          </Tooltip>
          {mention.url && (
            <Anchor href={mention.url} target="_blank" rel="noreferrer noopener" size="xs" style={{ marginInlineStart: "auto" }}>
              <Group gap={2} wrap="nowrap">
                {t("listening.open")}
                <IconExternalLink size={12} aria-hidden />
              </Group>
            </Anchor>
          )}
        </Group>
      </Stack>
      <Modal opened={languageOpen} onClose={() => setLanguageOpen(false)} title={t("listening.correctLanguage")}>
        <Stack>
          <Text size="sm" c="dimmed">
            {t("listening.correctLanguageHint")}
          </Text>
          <Select
            label={t("listening.language")}
            data={[...new Set([...MENTION_LANGUAGES, mention.lang])].filter((c) => c !== "und").map((code) => ({ value: code, label: languageName(code) }))}
            value={language}
            onChange={setLanguage}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setLanguageOpen(false)}>
              {t("common.cancel")}
            </Button>
            <Button loading={correct.isPending} disabled={!language || language === mention.lang} onClick={() => language && send({ lang: language })}>
              {t("listening.saveCorrection")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
