import { Anchor, Badge, Button, Card, Group, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { REVIEW_SECTIONS } from "../../../contracts/crisis-review";
import { ApiError } from "../../api/client";
import { ExactTime } from "../../components/RelativeTime";
import { notifyError, notifySuccess } from "../../components/notify";
import { Page } from "../../components/Page";
import { PanelCard } from "../../components/PanelCard";
import { QueryState } from "../../components/QueryState";
import { formatNumber } from "../../i18n/format";
import { useMembers } from "../members/hooks";
import { actorName, noteText } from "../crisis-room/CrisisRoom";
import { languageName } from "../listening/MentionCard";
import { useAddActionItem, useDraftReview, usePublishReview, useReview, useUpdateActionItem, useUpdateReview, type CrisisReview, type ReviewContent } from "./hooks";

/** Minutes as the reader reads numbers ("12.5 min"), or a dash when there is no such moment on the timeline. */
export function useMinutes() {
  const { t, i18n } = useTranslation();
  return (m: number | null | undefined) => (m === null || m === undefined ? "—" : t("crisisReview.minutes", { value: new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 }).format(m) }));
}

/** /crisis/:crisisId/review — the blameless post-crisis review: figures from the timeline, sections, action items, exports. */
export function ReviewPage() {
  const { crisisId = "" } = useParams();
  const { t } = useTranslation();
  const review = useReview(crisisId);
  const draft = useDraftReview(crisisId);
  const notDrafted = review.error instanceof ApiError && review.error.code === "crisis_review_not_found";
  if (notDrafted) {
    return (
      <Page title={t("crisisReview.title")} description={t("crisisReview.notDrafted")}>
        <Group>
          <Button loading={draft.isPending} onClick={() => draft.mutate(undefined, { onError: (e) => notifyError(t, e) })}>
            {t("crisisReview.draftNow")}
          </Button>
          <Anchor component={Link} to={`/crisis/${crisisId}`}>
            {t("crisisReview.backToCrisis")}
          </Anchor>
        </Group>
      </Page>
    );
  }
  return <QueryState query={review}>{(r) => <ReviewView review={r} />}</QueryState>;
}

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} fz="lg">
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Card>
  );
}

function ReviewView({ review }: { review: CrisisReview }) {
  const { t, i18n } = useTranslation();
  const minutes = useMinutes();
  const f = review.figures;
  const percent = (share: number | null) => (share === null ? "—" : new Intl.NumberFormat(i18n.language, { style: "percent" }).format(share));
  const cadence = (c: CrisisReview["figures"]["cadence"]["internal"]) =>
    c ? t("crisisReview.cadenceValue", { onTime: formatNumber(c.onTime), gaps: formatNumber(c.gaps), interval: formatNumber(c.intervalMinutes) }) : "—";
  const exportHref = (ext: "md" | "pdf") => `/api/v1/crisis/crises/${review.crisisId}/review/export.${ext}?locale=${i18n.language.slice(0, 2)}`;
  return (
    <Page
      title={`${t("crisisReview.title")}: CR-${review.crisisNumber} ${review.crisisTitle}`}
      description={t("crisisReview.blameless")}
      actions={
        <>
          <Button component="a" href={exportHref("md")} variant="default">
            {t("crisisReview.exportMarkdown")}
          </Button>
          <Button component="a" href={exportHref("pdf")} variant="default">
            {t("crisisReview.exportPdf")}
          </Button>
        </>
      }
    >
      <Group gap="xs">
        <Badge color={review.status === "published" ? "teal" : review.status === "skipped" ? "gray" : "blue"}>{t(`crisisReview.status.${review.status}`)}</Badge>
        {review.isDrill && <Badge color="grape">{t("crisisReview.drill")}</Badge>}
        <Text size="sm" c="dimmed">
          SEV{review.severityLevel}
          {review.planName ? ` · ${review.planName}` : ""}
          {review.ownerName ? ` · ${t("crisisReview.owner")}: ${review.ownerName}` : ""}
        </Text>
        <Anchor component={Link} to={`/crisis/${review.crisisId}`} size="sm">
          {t("crisisReview.backToCrisis")}
        </Anchor>
      </Group>

      <section aria-labelledby="review-times">
        <Title order={2} fz="h4" id="review-times" mb="xs">
          {t("crisisReview.times")}
        </Title>
        <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }} data-testid="review-times">
          <Stat label={t("crisisReview.timeToDetect")} value={minutes(f.timeToDetectMinutes)} />
          <Stat label={t("crisisReview.timeToDeclare")} value={minutes(f.timeToDeclareMinutes)} />
          <Stat label={t("crisisReview.timeToPause")} value={minutes(f.timeToPauseMinutes)} />
          <Stat label={t("crisisReview.timeToFirstResponse")} value={minutes(f.timeToFirstPublicResponseMinutes)} />
          <Stat label={t("crisisReview.duration")} value={minutes(f.durationMinutes)} />
          <Stat label={t("crisisReview.inTriage")} value={minutes(f.stateMinutes.triage)} />
          <Stat label={t("crisisReview.inActive")} value={minutes(f.stateMinutes.active)} />
          <Stat label={t("crisisReview.inStable")} value={minutes(f.stateMinutes.stable)} />
          <Stat label={t("crisisReview.internalCadence")} value={f.cadence.internal ? (f.cadence.internal.kept ? t("crisisReview.kept") : t("crisisReview.notKept")) : "—"} hint={cadence(f.cadence.internal)} />
          <Stat label={t("crisisReview.publicCadence")} value={f.cadence.public ? (f.cadence.public.kept ? t("crisisReview.kept") : t("crisisReview.notKept")) : "—"} hint={cadence(f.cadence.public)} />
        </SimpleGrid>
      </section>

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <PanelCard title={t("crisisReview.statements")}>
          {f.statements.length === 0 ? (
            <Text c="dimmed" size="sm">{t("crisisReview.noStatements")}</Text>
          ) : (
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("crisisReview.statementKind")}</Table.Th>
                  <Table.Th>{t("crisisReview.language")}</Table.Th>
                  <Table.Th>{t("crisisReview.approvalTime")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {f.statements.map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td>{t(`crisisRoom.statementKind_${s.kind}`)}</Table.Td>
                    <Table.Td>{languageName(s.locale)}</Table.Td>
                    <Table.Td>
                      {minutes(s.approvalMinutes)}
                      {s.approvedByBackup ? ` · ${t("crisisReview.byBackup")}` : s.escalated ? ` · ${t("crisisReview.escalated")}` : ""}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </PanelCard>
        <Stack>
          <PanelCard title={t("crisisReview.heldPosts")}>
            <Group gap="lg">
              {(["total", "resume", "reschedule", "edit", "discard", "pending"] as const).map((k) => (
                <Stack key={k} gap={0}>
                  <Text size="xs" c="dimmed">{t(`crisisReview.held.${k}`)}</Text>
                  <Text fw={700}>{formatNumber(f.heldPosts[k])}</Text>
                </Stack>
              ))}
            </Group>
          </PanelCard>
          <PanelCard title={t("crisisReview.volume")}>
            {!f.volume ? (
              <Text c="dimmed" size="sm">{t("crisisReview.noVolume")}</Text>
            ) : (
              <Table>
                <Table.Tbody>
                  {([["before", f.volume.before], ["peak", f.volume.peak], ["after", f.volume.after]] as const).map(([k, p]) => (
                    <Table.Tr key={k}>
                      <Table.Td>{t(`crisisReview.period.${k}`)}</Table.Td>
                      <Table.Td>{p ? t("crisisReview.perHour", { value: new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 }).format(p.mentionsPerHour) }) : "—"}</Table.Td>
                      <Table.Td>{p ? `${percent(p.negativeShare)} ${t("crisisReview.negative")}` : ""}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </PanelCard>
        </Stack>
      </SimpleGrid>

      <PanelCard title={t("crisisReview.timeline")}>
        <Stack gap={4}>
          {f.timeline.map((m) => (
            <Text key={m.eventId} size="sm">
              <ExactTime value={m.at} /> — {t(`crisisReview.event.${m.type}`, { defaultValue: m.type })}
              {m.text ? `: ${noteText(t, m)}` : ""} <Text span c="dimmed">({actorName(t, m.actorLabel)})</Text>
            </Text>
          ))}
        </Stack>
      </PanelCard>

      <Sections review={review} />
      <ActionItems review={review} />
    </Page>
  );
}

function Sections({ review }: { review: CrisisReview }) {
  const { t } = useTranslation();
  const update = useUpdateReview(review.crisisId);
  const publish = usePublishReview(review.crisisId);
  const [content, setContent] = useState<ReviewContent>(review.content);
  useEffect(() => setContent(review.content), [review.content]);
  const changed = REVIEW_SECTIONS.some((s) => content[s] !== review.content[s]);
  return (
    <PanelCard title={t("crisisReview.sections")}>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {REVIEW_SECTIONS.map((s) => (
          <Textarea
            key={s}
            label={t(`crisisReview.section.${s}`)}
            description={t(`crisisReview.sectionHint.${s}`)}
            autosize
            minRows={3}
            dir="auto" // what the team wrote keeps its own direction (an English review in a Persian page)
            value={content[s]}
            readOnly={!review.can.edit}
            onChange={(e) => setContent({ ...content, [s]: e.currentTarget.value })}
          />
        ))}
      </SimpleGrid>
      {review.can.edit && (
        <Group>
          <Button
            disabled={!changed}
            loading={update.isPending}
            onClick={() => update.mutate({ content }, { onSuccess: () => notifySuccess(t("crisisReview.saved")), onError: (e) => notifyError(t, e) })}
          >
            {t("crisisReview.save")}
          </Button>
          <Button variant="default" loading={update.isPending} onClick={() => update.mutate({ recompute: true }, { onError: (e) => notifyError(t, e) })}>
            {t("crisisReview.recompute")}
          </Button>
          <Button
            disabled={changed}
            loading={publish.isPending}
            onClick={() => publish.mutate(undefined, { onSuccess: () => notifySuccess(t("crisisReview.publishedToast")), onError: (e) => notifyError(t, e) })}
          >
            {t("crisisReview.publish")}
          </Button>
        </Group>
      )}
    </PanelCard>
  );
}

function ActionItems({ review }: { review: CrisisReview }) {
  const { t } = useTranslation();
  const members = useMembers();
  const add = useAddActionItem(review.crisisId);
  const change = useUpdateActionItem(review.crisisId);
  const [title, setTitle] = useState("");
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const [updatesPlan, setUpdatesPlan] = useState(false);
  const people = (members.data ?? []).map((m) => ({ value: m.userId, label: m.name || m.email }));
  return (
    <PanelCard title={t("crisisReview.actionItems")}>
      <Text size="sm" c="dimmed">
        {t("crisisReview.actionItemsHint")}
      </Text>
      {review.actionItems.length > 0 && (
        <Table>
          <Table.Tbody>
            {review.actionItems.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>{a.title}</Table.Td>
                <Table.Td>
                  {review.can.edit ? (
                    <Select
                      aria-label={t("crisisReview.ownerOf", { title: a.title })}
                      data={people}
                      value={a.ownerId}
                      placeholder={t("crisisReview.noOwner")}
                      onChange={(value) => change.mutate({ id: a.id, ownerId: value }, { onError: (e) => notifyError(t, e) })}
                    />
                  ) : (
                    (a.ownerName ?? t("crisisReview.noOwner"))
                  )}
                </Table.Td>
                <Table.Td>{a.updatesPlan && <Badge variant="light">{t("crisisReview.updatesPlan")}</Badge>}</Table.Td>
                <Table.Td>
                  <Switch
                    label={t("crisisReview.done")}
                    checked={a.status === "done"}
                    disabled={!review.can.edit && review.status !== "published"}
                    onChange={(e) => change.mutate({ id: a.id, status: e.currentTarget.checked ? "done" : "open" }, { onError: (err) => notifyError(t, err) })}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {review.can.edit && (
        <Group align="flex-end">
          <TextInput label={t("crisisReview.newItem")} value={title} onChange={(e) => setTitle(e.currentTarget.value)} style={{ flex: 1 }} />
          <Select label={t("crisisReview.owner")} data={people} value={ownerId} onChange={setOwnerId} clearable />
          <Switch label={t("crisisReview.updatesPlan")} checked={updatesPlan} onChange={(e) => setUpdatesPlan(e.currentTarget.checked)} />
          <Button
            disabled={!title.trim()}
            loading={add.isPending}
            onClick={() =>
              add.mutate(
                { title: title.trim(), ownerId, updatesPlan },
                {
                  onSuccess: () => {
                    setTitle("");
                    setOwnerId(null);
                    setUpdatesPlan(false);
                  },
                  onError: (e) => notifyError(t, e),
                },
              )
            }
          >
            {t("crisisReview.addItem")}
          </Button>
        </Group>
      )}
    </PanelCard>
  );
}
