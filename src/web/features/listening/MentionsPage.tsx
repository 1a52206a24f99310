import { Button, Checkbox, Group, MultiSelect, Stack, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { languageName, MENTION_LANGUAGES, MentionCard } from "./MentionCard";
import { useMentions, useStreams, type MentionFilters } from "./hooks";

const NETWORKS = ["sandbox", "bluesky", "mastodon", "rss"] as const;
const SENTIMENT_VALUES = ["negative", "neutral", "positive"] as const;

/** Every mention across the streams, newest first, filtered by what the URL says (so a view can be shared). */
export function MentionsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const streams = useStreams();
  const listOf = (key: string) => (params.get(key) ?? "").split(",").filter(Boolean);
  const setList = (key: string, values: string[]) => {
    const next = new URLSearchParams(params);
    if (values.length) next.set(key, values.join(","));
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const [words, setWords] = useState(params.get("q") ?? "");
  const [debouncedWords] = useDebouncedValue(words, 300);
  useEffect(() => {
    if ((params.get("q") ?? "") !== debouncedWords) {
      const next = new URLSearchParams(params);
      if (debouncedWords) next.set("q", debouncedWords);
      else next.delete("q");
      setParams(next, { replace: true });
    }
  }, [debouncedWords, params, setParams]);

  const filters: MentionFilters = {};
  for (const key of ["stream", "sentiment", "lang", "network", "q", "duplicates"] as const) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  const mentions = useMentions(filters);
  const filtered = Object.keys(filters).length > 0;

  return (
    <Page title={t("listening.mentionsTitle")} description={t("listening.mentionsDescription")}>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <MultiSelect
          label={t("listening.filterStreams")}
          placeholder={listOf("stream").length ? undefined : t("listening.allStreams")}
          data={(streams.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
          value={listOf("stream")}
          onChange={(values) => setList("stream", values)}
          w={240}
          clearable
        />
        <MultiSelect
          label={t("listening.filterSentiment")}
          placeholder={listOf("sentiment").length ? undefined : t("listening.any")}
          data={SENTIMENT_VALUES.map((s) => ({ value: s, label: t(`listening.sentiment.${s}`) }))}
          value={listOf("sentiment")}
          onChange={(values) => setList("sentiment", values)}
          w={200}
          clearable
        />
        <MultiSelect
          label={t("listening.filterLanguage")}
          placeholder={listOf("lang").length ? undefined : t("listening.any")}
          data={MENTION_LANGUAGES.map((code) => ({ value: code, label: languageName(code) }))}
          value={listOf("lang")}
          onChange={(values) => setList("lang", values)}
          w={200}
          clearable
        />
        <MultiSelect
          label={t("listening.filterNetwork")}
          placeholder={listOf("network").length ? undefined : t("listening.any")}
          data={NETWORKS.map((n) => ({ value: n, label: t(`listening.networks.${n}`) }))}
          value={listOf("network")}
          onChange={(values) => setList("network", values)}
          w={200}
          clearable
        />
        <TextInput label={t("listening.filterWords")} value={words} onChange={(e) => setWords(e.currentTarget.value)} w={200} />
        <Checkbox
          label={t("listening.showDuplicates")}
          checked={params.get("duplicates") === "true"}
          onChange={(e) => setList("duplicates", e.currentTarget.checked ? ["true"] : [])}
          mb={8}
        />
      </Group>
      <QueryState query={mentions}>
        {(data) => {
          const all = data.pages.flatMap((page) => page.mentions);
          if (all.length === 0)
            return (
              <Stack gap="xs" py="md">
                <Text fw={600}>{filtered ? t("listening.noMatchTitle") : t("listening.noMentionsTitle")}</Text>
                <Text size="sm" c="dimmed">
                  {filtered ? t("listening.noMatchText") : t("listening.noMentionsText")}
                </Text>
                {filtered && (
                  <Button variant="default" w="fit-content" onClick={() => { setWords(""); setParams(new URLSearchParams(), { replace: true }); }}>
                    {t("listening.clearFilters")}
                  </Button>
                )}
              </Stack>
            );
          return (
            <Stack gap="xs" maw={720}>
              {all.map((mention) => (
                <MentionCard key={mention.id} mention={mention} />
              ))}
              {mentions.hasNextPage && (
                <Button variant="default" w="fit-content" loading={mentions.isFetchingNextPage} onClick={() => void mentions.fetchNextPage()}>
                  {t("listening.loadMore")}
                </Button>
              )}
            </Stack>
          );
        }}
      </QueryState>
    </Page>
  );
}
