import { Alert, Badge, Button, Card, Checkbox, Group, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from "@mantine/core";
import { IconCircleCheck, IconDownload, IconFileTypePdf, IconSearch, IconShieldCheck } from "@tabler/icons-react";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import type { z } from "zod";
import type { AccessReview, AccessReviewGrant, AccessReviewPerson, AccessReviewSignOff } from "../../../contracts/api";
import type { ChannelLevel } from "../../../contracts/roles";
import { API_BASE, ApiError, api } from "../../api/client";
import { useCan } from "../../app/session";
import { errorText } from "../../components/errors";
import { notifySuccess } from "../../components/notify";
import { Page } from "../../components/Page";
import { PanelCard } from "../../components/PanelCard";
import { QueryState } from "../../components/QueryState";
import { ExactTime, RelativeTime } from "../../components/RelativeTime";
import { formatNumber } from "../../i18n/format";

type Review = z.infer<typeof AccessReview>;
type Person = z.infer<typeof AccessReviewPerson>;
type Grant = z.infer<typeof AccessReviewGrant>;
type SignOff = z.infer<typeof AccessReviewSignOff>;

export const ACCESS_REVIEW_KEY = ["access-review"] as const;
const LEVEL_COLOR: Record<ChannelLevel, string> = { none: "gray", read: "blue", approval_required: "yellow", reply: "teal", publish: "green" };
const FILTERS = ["unused", "noMfa", "partners"] as const;
type Filter = (typeof FILTERS)[number];

/**
 * /settings/access-review (owners and admins): who can do what on each channel and through which grant, with
 * second factors, last activity, partners; exports; and the quarterly sign-off with its history.
 */
export function AccessReviewPage() {
  const { t, i18n } = useTranslation();
  const review = useQuery({ queryKey: ACCESS_REVIEW_KEY, queryFn: () => api<Review>("GET", "/access-review") });
  return (
    <Page
      title={t("accessReview.title")}
      description={t("accessReview.description")}
      actions={
        <>
          <Button component="a" href={`${API_BASE}/access-review/export.csv`} download variant="default" leftSection={<IconDownload size={16} aria-hidden />}>
            {t("accessReview.exportCsv")}
          </Button>
          <Button component="a" href={`${API_BASE}/access-review/export.pdf?locale=${i18n.language}`} download variant="default" leftSection={<IconFileTypePdf size={16} aria-hidden />}>
            {t("accessReview.exportPdf")}
          </Button>
        </>
      }
    >
      <QueryState query={review}>{(data) => <ReviewView review={data} />}</QueryState>
    </Page>
  );
}

function ReviewView({ review }: { review: Review }) {
  const { t } = useTranslation();
  // Filters live in the page (so typing stays smooth) and are mirrored into the URL, to share or come back to.
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get("q") ?? "");
  const [active, setActive] = useState(() => new Set(FILTERS.filter((f) => params.get(f) === "1")));
  const mirror = (q: string, on: Set<Filter>) => {
    const next = new URLSearchParams();
    if (q) next.set("q", q);
    for (const f of on) next.set(f, "1");
    setParams(next, { replace: true });
  };
  const toggle = (filter: Filter, on: boolean) => {
    const next = new Set(active);
    if (on) next.add(filter);
    else next.delete(filter);
    setActive(next);
    mirror(search, next);
  };

  const people = useMemo(() => {
    const needle = search.trim().toLocaleLowerCase();
    return review.people.filter(
      (p) =>
        (!needle || p.name.toLocaleLowerCase().includes(needle) || p.email.toLocaleLowerCase().includes(needle) || (p.partner?.organization.toLocaleLowerCase().includes(needle) ?? false)) &&
        (!active.has("unused") || p.unused) &&
        (!active.has("noMfa") || p.mfa === "none") &&
        (!active.has("partners") || p.partner !== null),
    );
  }, [review.people, search, active]);

  const last = review.signOffs[0];
  return (
    <Stack gap="lg">
      {review.signedOffThisQuarter && last ? (
        <Alert color="teal" icon={<IconCircleCheck size={18} aria-hidden />} title={t("accessReview.signedOffTitle", { quarter: review.quarter })}>
          {t("accessReview.signedOffText", { name: last.signedBy.name })} <ExactTime value={last.signedAt} />
        </Alert>
      ) : (
        <Alert color="yellow" icon={<IconShieldCheck size={18} aria-hidden />} title={t("accessReview.dueTitle", { quarter: review.quarter })}>
          {t("accessReview.dueText")}
        </Alert>
      )}

      <Summary review={review} active={active} onToggle={toggle} />

      <Card withBorder padding="md" component="section" aria-label={t("accessReview.filters")}>
        <Group gap="md" wrap="wrap" align="center">
          <TextInput
            leftSection={<IconSearch size={16} aria-hidden />}
            placeholder={t("accessReview.search")}
            aria-label={t("accessReview.search")}
            value={search}
            onChange={(event) => {
              setSearch(event.currentTarget.value);
              mirror(event.currentTarget.value, active);
            }}
            miw={220}
          />
          {FILTERS.map((filter) => (
            <Checkbox key={filter} label={t(`accessReview.filter.${filter}`)} checked={active.has(filter)} onChange={(event) => toggle(filter, event.currentTarget.checked)} />
          ))}
          <Text size="sm" c="dimmed" aria-live="polite">
            {t("accessReview.shown", { count: people.length, formatted: formatNumber(people.length), total: formatNumber(review.people.length) })}
          </Text>
        </Group>
      </Card>

      <PeopleTable review={review} people={people} />
      <SignOffCard review={review} />
      <History signOffs={review.signOffs} />
    </Stack>
  );
}

/** The counts; those that are also filters (without MFA, unused, partners) show only those people when pressed. */
function Summary({ review, active, onToggle }: { review: Review; active: Set<Filter>; onToggle: (filter: Filter, on: boolean) => void }) {
  const { t } = useTranslation();
  const s = review.summary;
  const items: Array<{ key: keyof Review["summary"]; attention: boolean; filter?: Filter }> = [
    { key: "people", attention: false },
    { key: "withoutMfa", attention: s.withoutMfa > 0, filter: "noMfa" },
    { key: "unused", attention: s.unused > 0, filter: "unused" },
    { key: "partners", attention: false, filter: "partners" },
    { key: "partnersEndingSoon", attention: s.partnersEndingSoon > 0 },
    { key: "fullPublishing", attention: false },
    { key: "ssoOnly", attention: false },
  ];
  return (
    <SimpleGrid cols={{ base: 2, sm: 4, lg: 7 }} spacing="sm" component="section" aria-label={t("accessReview.summaryLabel")}>
      {items.map(({ key, attention, filter }) => {
        const pressed = filter ? active.has(filter) : false;
        const content = (
          <>
            <Text fz={26} fw={700} c={attention ? "red.7" : undefined}>
              {formatNumber(s[key])}
            </Text>
            <Text size="xs" c="dimmed">
              {t(`accessReview.summary.${key}`, { days: formatNumber(key === "unused" ? review.unusedAfterDays : review.partnerEndingWithinDays) })}
            </Text>
          </>
        );
        return filter ? (
          <Card
            key={key}
            withBorder
            padding="sm"
            component="button"
            type="button"
            aria-pressed={pressed}
            onClick={() => onToggle(filter, !pressed)}
            style={{ cursor: "pointer", textAlign: "start", borderColor: pressed ? "var(--mantine-color-blue-6)" : undefined }}
          >
            {content}
          </Card>
        ) : (
          <Card key={key} withBorder padding="sm">
            {content}
          </Card>
        );
      })}
    </SimpleGrid>
  );
}

/** One person's parts, shown as table cells on wide screens and as a card on narrow ones (a plain function: no hooks). */
function personParts(t: TFunction, review: Review, person: Person) {
  const channelOf = new Map(review.channels.map((c) => [c.id, c]));
  const grantText = (grant: Grant) =>
    grant.type === "role" ? t("accessReview.grant.role", { role: t(`roles.${grant.role}`) }) : grant.type === "team" ? t("accessReview.grant.team", { team: grant.teamName }) : t("accessReview.grant.direct");
  const granted = person.access.filter((a) => a.level !== "none");
  return {
    person: (
      <>
        <Text size="sm" fw={600}>
          {person.name}
        </Text>
        <Text size="xs" c="dimmed" className="ltr-value">
          {person.email}
        </Text>
        <Group gap={4} mt={4}>
          <Badge variant="light" color="gray">
            {t(`roles.${person.role}`)}
          </Badge>
          {person.partner && (
            <Badge variant="light" color="orange">
              {t("accessReview.partner", { organization: person.partner.organization })}
            </Badge>
          )}
        </Group>
        {person.partner?.accessEndsAt && (
          <Text size="xs" c="dimmed" mt={2}>
            {t("accessReview.partnerEnds")} <ExactTime value={person.partner.accessEndsAt} />
          </Text>
        )}
      </>
    ),
    mfa: (
      <>
        <Badge variant="light" color={person.mfa === "none" ? "red" : "teal"}>
          {t(`accessReview.mfa.${person.mfa}`)}
        </Badge>
        {person.signIn.sso && (
          <Text size="xs" c="dimmed" mt={4}>
            {person.signIn.ssoOnly ? t("accessReview.ssoOnly") : t("accessReview.sso")}
          </Text>
        )}
      </>
    ),
    activity: (
      <>
        <Text size="sm">
          <RelativeTime value={person.lastActivityAt} fallback={t("accessReview.never")} />
        </Text>
        {person.lastActivitySource && (
          <Text size="xs" c="dimmed">
            {t(`accessReview.source.${person.lastActivitySource}`)}
          </Text>
        )}
        {person.unused && (
          <Badge variant="light" color="red" mt={4}>
            {t("accessReview.unusedBadge", { days: formatNumber(review.unusedAfterDays) })}
          </Badge>
        )}
      </>
    ),
    access:
      granted.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("accessReview.noChannelAccess")}
        </Text>
      ) : (
        <Stack gap={6}>
          {granted.map((a) => (
            <div key={a.channelId}>
              <Group gap={6} wrap="wrap">
                <Text size="sm" fw={500} className="ltr-value">
                  @{channelOf.get(a.channelId)?.handle}
                </Text>
                <Badge variant="light" color={LEVEL_COLOR[a.level]}>
                  {t(`access.levels.${a.level}`)}
                </Badge>
              </Group>
              <Text size="xs" c="dimmed">
                {t("accessReview.through", { grants: a.through.map(grantText).join(t("accessReview.listSeparator")) })}
                {a.overridden.length > 0 &&
                  ` · ${t("accessReview.overridden", { grants: a.overridden.map((g) => `${grantText(g)} (${t(`access.levels.${g.level}`)})`).join(t("accessReview.listSeparator")) })}`}
              </Text>
            </div>
          ))}
        </Stack>
      ),
  };
}

function PeopleTable({ review, people }: { review: Review; people: Person[] }) {
  const { t } = useTranslation();
  const narrow = useMediaQuery("(max-width: 48em)");
  if (people.length === 0) {
    return (
      <Card withBorder>
        <Text c="dimmed">{review.people.length === 0 ? t("accessReview.noPeople") : t("accessReview.noMatch")}</Text>
      </Card>
    );
  }
  if (narrow) {
    // A phone: one card per person, every part labelled, nothing to scroll sideways.
    return (
      <Stack gap="sm">
        {people.map((person) => {
          const cells = personParts(t, review, person);
          return (
            <Card key={person.userId} withBorder padding="sm" data-testid="review-person">
              <Stack gap="xs">
                <div>{cells.person}</div>
                <div>
                  <Text size="xs" fw={600} c="dimmed">
                    {t("accessReview.col.mfa")}
                  </Text>
                  {cells.mfa}
                </div>
                <div>
                  <Text size="xs" fw={600} c="dimmed">
                    {t("accessReview.col.lastActivity")}
                  </Text>
                  {cells.activity}
                </div>
                <div>
                  <Text size="xs" fw={600} c="dimmed" mb={4}>
                    {t("accessReview.col.access")}
                  </Text>
                  {cells.access}
                </div>
              </Stack>
            </Card>
          );
        })}
      </Stack>
    );
  }
  return (
    <Card withBorder padding={0}>
      <Table.ScrollContainer minWidth={860}>
        <Table verticalSpacing="sm" stickyHeader>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("accessReview.col.person")}</Table.Th>
              <Table.Th>{t("accessReview.col.mfa")}</Table.Th>
              <Table.Th>{t("accessReview.col.lastActivity")}</Table.Th>
              <Table.Th>{t("accessReview.col.access")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {people.map((person) => {
              const cells = personParts(t, review, person);
              return (
                <Table.Tr key={person.userId} data-testid="review-person">
                  <Table.Td>{cells.person}</Table.Td>
                  <Table.Td>{cells.mfa}</Table.Td>
                  <Table.Td>{cells.activity}</Table.Td>
                  <Table.Td>{cells.access}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

function SignOffCard({ review }: { review: Review }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const canSignOff = useCan("access_review.sign_off");
  const [note, setNote] = useState("");
  const signOff = useMutation({
    mutationFn: () => api<SignOff>("POST", "/access-review/sign-offs", { contentHash: review.contentHash, note: note.trim() || undefined }),
    onSuccess: () => {
      notifySuccess(t("accessReview.signedToast"));
      setNote("");
      void queryClient.invalidateQueries({ queryKey: ACCESS_REVIEW_KEY });
    },
    onError: (error) => {
      // The review changed while it was open: show the new one, the admin checks again.
      if (error instanceof ApiError && error.code === "access_review_changed") void queryClient.invalidateQueries({ queryKey: ACCESS_REVIEW_KEY });
    },
  });
  if (!canSignOff) return null;
  return (
    <PanelCard title={t("accessReview.signOffTitle")}>
      <Text size="sm" c="dimmed">
        {t("accessReview.signOffText")}
      </Text>
      <Textarea label={t("accessReview.note")} description={t("accessReview.noteHint")} value={note} onChange={(event) => setNote(event.currentTarget.value)} maxLength={2000} autosize minRows={2} />
      {signOff.error && (
        <Alert color="red" role="alert">
          {errorText(t, signOff.error)}
        </Alert>
      )}
      <Group>
        <Button leftSection={<IconShieldCheck size={16} aria-hidden />} onClick={() => signOff.mutate()} loading={signOff.isPending}>
          {t("accessReview.signOff")}
        </Button>
      </Group>
    </PanelCard>
  );
}

function History({ signOffs }: { signOffs: SignOff[] }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" component="section" aria-labelledby="history-title">
      <Title order={2} fz="h4" id="history-title">
        {t("accessReview.historyTitle")}
      </Title>
      {signOffs.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("accessReview.historyEmpty")}
        </Text>
      ) : (
        <Card withBorder padding={0}>
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("accessReview.col.when")}</Table.Th>
                  <Table.Th>{t("accessReview.col.who")}</Table.Th>
                  <Table.Th>{t("accessReview.col.counts")}</Table.Th>
                  <Table.Th>{t("accessReview.note")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {signOffs.map((s) => (
                  <Table.Tr key={s.id} data-testid="sign-off">
                    <Table.Td>
                      <Text size="sm">
                        <ExactTime value={s.signedAt} />
                      </Text>
                      <Text size="xs" c="dimmed">
                        {s.quarter}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{s.signedBy.name}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs">
                        {t("accessReview.counts", {
                          people: formatNumber(s.summary.people),
                          withoutMfa: formatNumber(s.summary.withoutMfa),
                          unused: formatNumber(s.summary.unused),
                          partners: formatNumber(s.summary.partners),
                        })}
                      </Text>
                      <Text size="xs" c="dimmed" className="ltr-value" title={s.contentHash}>
                        {t("accessReview.fingerprint")} {s.contentHash.slice(0, 12)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
                        {s.note ?? "—"}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
    </Stack>
  );
}
