import { Alert, Anchor, Badge, Button, Card, Group, Loader, Modal, Select, SimpleGrid, Stack, TagsInput, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router-dom";
import { ApiError } from "../../api/client";
import { errorText } from "../../components/errors";
import { notifyError, notifySuccess } from "../../components/notify";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { formatDateTime, formatRelative, isolate } from "../../i18n/format";
import { languageName, SentimentBadge } from "./MentionCard";
import { QueryField } from "./QueryField";
import { QueryHelp } from "./QueryHelp";
import { useArchiveStream, usePreview, useSaveStream, useStream, type PreviewResult, type QueryError, type Stream } from "./hooks";

const SENSITIVITIES = ["off", "low", "medium", "high"] as const;

/** Recent posts the query matches, as the person types (debounced), each saying where it was found. */
function Preview({ query }: { query: string }) {
  const { t } = useTranslation();
  const preview = usePreview(query);
  if (!query.trim()) return <Text size="sm" c="dimmed">{t("listening.previewEmpty")}</Text>;
  if (preview.isPending) return <Loader size="sm" aria-label={t("common.loading")} />;
  if (preview.isError) return <Alert color="red">{errorText(t, preview.error)}</Alert>;
  const data: PreviewResult = preview.data;
  if (!data.ok) return <Text size="sm" c="dimmed">{t("listening.previewFixFirst")}</Text>;
  return (
    <Stack gap="xs" data-testid="preview">
      <Text size="sm" c="dimmed">
        {t("listening.previewScope", { count: data.scanned })}
      </Text>
      {data.searches.map((s) => (
        <Text key={s.channelId} size="xs" c={s.error ? "red.8" : "dimmed"}>
          {s.error
            ? t("listening.searchFailed", { network: t(`listening.networks.${s.network}`, { defaultValue: s.network }), handle: s.handle, error: s.error })
            : t("listening.searchFound", { count: s.found, network: t(`listening.networks.${s.network}`, { defaultValue: s.network }), handle: s.handle })}
        </Text>
      ))}
      {data.posts.length === 0 ? (
        <Text size="sm">{t("listening.previewNone")}</Text>
      ) : (
        data.posts.map((post) => (
          <Card key={`${post.network} ${post.networkPostId}`} withBorder padding="xs" data-testid="preview-post">
            <Group justify="space-between" gap="xs" wrap="nowrap">
              <Text size="sm" fw={600} truncate>
                {post.authorName ?? isolate(`@${post.authorHandle}`)}{" "}
                <Text span size="xs" c="dimmed">
                  {isolate(`@${post.authorHandle}`)} · {t(`listening.networks.${post.network}`, { defaultValue: post.network })}
                </Text>
              </Text>
              <Badge size="xs" variant="light" color={post.from === "stored" ? "blue" : "grape"}>
                {post.from === "stored" ? t("listening.fromStored") : t("listening.fromSearch")}
              </Badge>
            </Group>
            <Text size="sm" dir="auto" style={{ overflowWrap: "anywhere" }}>
              {post.text}
            </Text>
            <Group gap={6} mt={4}>
              {post.sentiment && <SentimentBadge sentiment={post.sentiment} />}
              {post.lang && (
                <Badge size="xs" variant="outline" color="gray">
                  {languageName(post.lang)}
                </Badge>
              )}
              <Text size="xs" c="dimmed" title={formatDateTime(post.postedAt)}>
                {formatRelative(post.postedAt)}
              </Text>
              {post.url && (
                <Anchor href={post.url} target="_blank" rel="noreferrer noopener" size="xs">
                  {t("listening.open")}
                </Anchor>
              )}
            </Group>
          </Card>
        ))
      )}
    </Stack>
  );
}

function Editor({ stream }: { stream: Stream | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const save = useSaveStream();
  const archive = useArchiveStream();
  const [name, setName] = useState(stream?.name ?? "");
  const [query, setQuery] = useState(stream?.query ?? "");
  const [criticalTerms, setCriticalTerms] = useState<string[]>(stream?.criticalTerms ?? []);
  const [sensitivity, setSensitivity] = useState<string>(stream?.spikeSensitivity ?? "medium");
  const [saveErrors, setSaveErrors] = useState<QueryError[]>([]);
  const [confirmArchive, setConfirmArchive] = useState(false);
  const [debounced] = useDebouncedValue(query, 400);
  const preview = usePreview(debounced);
  useEffect(() => setSaveErrors([]), [query]);
  // The preview's errors while typing; the server's answer to Save when it refused the query.
  const errors = saveErrors.length ? saveErrors : preview.data && !preview.data.ok && debounced === query ? preview.data.errors : [];
  const nameError = save.error instanceof ApiError && save.error.fields.name ? t("listening.nameRequired") : undefined;

  const submit = () =>
    save.mutate(
      { streamId: stream?.id, version: stream?.version, name, query, criticalTerms, spikeSensitivity: sensitivity },
      {
        onSuccess: (saved) => {
          notifySuccess(stream ? t("listening.streamSaved", { name: saved.name }) : t("listening.streamCreated", { name: saved.name }));
          // The board shows this stream's column (a new one is last, often beyond the right edge).
          navigate("/listening", { state: { showStream: saved.id } });
        },
        onError: (err) => {
          if (err instanceof ApiError && err.code === "query_invalid" && Array.isArray(err.details.errors)) setSaveErrors(err.details.errors as QueryError[]);
          else if (!(err instanceof ApiError && err.code === "invalid_input")) notifyError(t, err);
        },
      },
    );

  return (
    <Page
      title={stream ? t("listening.editTitle", { name: stream.name }) : t("listening.newStream")}
      description={t("listening.editorDescription")}
      actions={
        <Anchor component={Link} to="/listening">
          {t("listening.backToBoard")}
        </Anchor>
      }
    >
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
        <div>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              submit();
            }}
          >
            <Stack>
              <TextInput label={t("listening.streamName")} value={name} onChange={(e) => setName(e.currentTarget.value)} required maxLength={80} error={nameError} />
              <QueryField value={query} onChange={setQuery} errors={errors} />
              {preview.data?.ok && debounced === query && (
                <Text size="sm" c="dimmed" data-testid="query-explanation" dir="ltr" ta="start">
                  {preview.data.explanation}
                </Text>
              )}
              <QueryHelp />
              <Title order={2} fz="h4" mt="sm">
                {t("listening.alertSettings")}
              </Title>
              <Select
                label={t("listening.spikeSensitivity")}
                description={t("listening.spikeSensitivityHint")}
                data={SENSITIVITIES.map((value) => ({ value, label: t(`listening.sensitivity.${value}`) }))}
                value={sensitivity}
                onChange={(value) => value && setSensitivity(value)}
                allowDeselect={false}
              />
              <TagsInput label={t("listening.criticalTerms")} description={t("listening.criticalTermsHint")} value={criticalTerms} onChange={setCriticalTerms} maxTags={50} />
              {save.error instanceof ApiError && save.error.code === "stream_version_conflict" && <Alert color="orange">{errorText(t, save.error)}</Alert>}
              <Group justify="space-between">
                <Button type="submit" loading={save.isPending}>
                  {stream ? t("common.save") : t("listening.createStream")}
                </Button>
                {stream && (
                  <Button variant="subtle" color="red" onClick={() => setConfirmArchive(true)}>
                    {t("listening.archive")}
                  </Button>
                )}
              </Group>
            </Stack>
          </form>
        </div>
        <div>
          <Stack gap="xs" component="section" aria-labelledby="preview-title">
            <Title order={2} fz="h4" id="preview-title">
              {t("listening.previewTitle")}
            </Title>
            <Preview query={debounced} />
          </Stack>
        </div>
      </SimpleGrid>
      <Modal opened={confirmArchive} onClose={() => setConfirmArchive(false)} title={t("listening.archiveTitle", { name: stream?.name ?? "" })}>
        <Stack>
          <Text size="sm">{t("listening.archiveText")}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmArchive(false)}>
              {t("common.cancel")}
            </Button>
            <Button
              color="red"
              loading={archive.isPending}
              onClick={() =>
                stream &&
                archive.mutate(stream.id, {
                  onSuccess: () => {
                    notifySuccess(t("listening.archived", { name: stream.name }));
                    navigate("/listening");
                  },
                  onError: (err) => notifyError(t, err),
                })
              }
            >
              {t("listening.archive")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Page>
  );
}

export function NewStreamPage() {
  return <Editor stream={null} />;
}

export function EditStreamPage() {
  const { streamId } = useParams();
  const stream = useStream(streamId);
  return <QueryState query={stream}>{(data) => <Editor key={data.id} stream={data} />}</QueryState>;
}
