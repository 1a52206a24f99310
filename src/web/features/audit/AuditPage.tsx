import { ActionIcon, Alert, Button, Card, Group, Select, SimpleGrid, Stack, Table, Text, TextInput } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { IconChevronDown, IconDownload, IconListDetails, IconShieldCheck, IconShieldX } from "@tabler/icons-react";
import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { systemActorKind } from "../../../contracts/system-actor";
import { API_BASE, api, toQuery } from "../../api/client";
import type { AuditEvent, AuditPage as AuditPageData, AuditVerification } from "../../api/types";
import { useActiveMe, useCan } from "../../app/session";
import { Empty } from "../../components/Empty";
import { errorText } from "../../components/errors";
import { Page } from "../../components/Page";
import { DateTimeField } from "../../components/DateTimeField";
import { QueryState } from "../../components/QueryState";
import { RelativeTime } from "../../components/RelativeTime";
import { i18next } from "../../i18n";
import { formatNumber, viewerTimeZone } from "../../i18n/format";
import { useMembers } from "../members/hooks";
import { useTeams } from "../teams/hooks";
import { AuditDetails } from "./AuditDetails";

const PAGE_SIZE = 50;

/** "member.role_changed" → "Changed a member's role" (the type itself when not translated yet). */
export function actionLabel(action: string): string {
  const key = `audit.actions.${action}`;
  return i18next.exists(key) ? i18next.t(key) : action;
}

/** A day picked in a date input ("2026-03-01") as the start or end of that day in the viewer's zone, ISO. */
function dayBoundary(day: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [y, m, d] = day.split("-").map(Number);
  const date = end ? new Date(y, m - 1, d, 23, 59, 59, 999) : new Date(y, m - 1, d, 0, 0, 0, 0);
  return date.toISOString();
}

/** The filters, read from and written to the URL so that a filtered view can be shared. */
function useAuditFilters() {
  const [params, setParams] = useSearchParams();
  const filters = {
    actor: params.get("actor") ?? "",
    action: params.get("action") ?? "",
    from: params.get("from") ?? "",
    to: params.get("to") ?? "",
  };
  const set = (changes: Partial<typeof filters>) => {
    setParams(
      (old) => {
        const next = new URLSearchParams(old);
        for (const [key, value] of Object.entries(changes)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        return next;
      },
      { replace: true },
    );
  };
  const apiQuery = {
    actor: filters.actor.trim() || undefined,
    action: filters.action || undefined,
    from: dayBoundary(filters.from, false),
    to: dayBoundary(filters.to, true),
  };
  return { filters, set, apiQuery };
}

function targetText(event: AuditEvent, nameOf: (id: string | null) => string | undefined): string {
  if (!event.targetType) return "—";
  const key = `audit.targets.${event.targetType}`;
  const type = i18next.exists(key) ? i18next.t(key) : event.targetType;
  if (!event.targetId) return type;
  return `${type} · ${nameOf(event.targetId) ?? event.targetId.slice(0, 8)}`;
}

function actorText(event: AuditEvent): string {
  if (event.actorType === "anonymous") return i18next.t("audit.actorTypes.anonymous");
  if (event.actorLabel) return event.actorLabel;
  const key = `audit.actorTypes.${event.actorType}`;
  return i18next.exists(key) ? i18next.t(key) : event.actorType;
}

/**
 * Who acted. Parapet's own work (a job, crisis mode, the command line, SCIM…) is named in the reader's language, with
 * the label the log recorded under it: that is the record, and what the "Who" filter searches.
 */
function ActorCell({ event }: { event: AuditEvent }) {
  const { t } = useTranslation();
  const kind = event.actorType === "system" && event.actorLabel ? systemActorKind(event.actorLabel) : null;
  if (!kind)
    return (
      <Text size="sm" className="ltr-value" span>
        {actorText(event)}
      </Text>
    );
  return (
    <>
      <Text size="sm">{t(`audit.systemActors.${kind}`)}</Text>
      <Text size="xs" c="dimmed" ff="monospace" className="ltr-value">
        {event.actorLabel}
      </Text>
    </>
  );
}

/** The answer of "Verify integrity": intact, or where the chain breaks. */
function VerifyResult({ verify }: { verify: ReturnType<typeof useVerify> }) {
  const { t } = useTranslation();
  return (
    <>
      {verify.data &&
        (verify.data.ok ? (
          <Alert color="teal" icon={<IconShieldCheck aria-hidden />} role="status" title={t("audit.verifyOk")}>
            {t("audit.verifyOkText", { count: verify.data.rows, formatted: formatNumber(verify.data.rows) })}
          </Alert>
        ) : (
          <Alert color="red" icon={<IconShieldX aria-hidden />} role="alert" title={t("audit.verifyBroken")}>
            {t("audit.verifyBrokenText", { seq: verify.data.firstBadSeq ?? "?" })}
            {verify.data.message ? ` ${verify.data.message}` : ""}
          </Alert>
        ))}
      {verify.error && (
        <Alert color="red" role="alert">
          {errorText(t, verify.error)}
        </Alert>
      )}
    </>
  );
}

function useVerify() {
  return useMutation({ mutationFn: () => api<AuditVerification>("GET", "/audit/verify") });
}

/** Names for the IDs the log holds (people and teams of this workspace), where the person may read them. */
function useNames(): (id: string | null | undefined) => string | undefined {
  const members = useMembers();
  const teams = useTeams();
  const workspace = useActiveMe().workspace;
  return (id) => {
    if (!id) return undefined;
    if (id === workspace?.id) return workspace.name;
    const member = members.data?.find((m) => m.userId === id);
    if (member) return member.name || member.email;
    return teams.data?.find((team) => team.id === id)?.name;
  };
}

/** /settings/audit: the tamper-evident log of every change, filterable, exportable and verifiable. */
export function AuditPage() {
  const { t } = useTranslation();
  const canExport = useCan("audit.export");
  const canVerify = useCan("audit.verify");
  const { filters, set, apiQuery } = useAuditFilters();
  const [actorDraft, setActorDraft] = useState(filters.actor);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const verify = useVerify();
  const nameOf = useNames();
  const applyActor = useDebouncedCallback((value: string) => set({ actor: value }), 400);

  const events = useInfiniteQuery({
    queryKey: ["audit", apiQuery],
    queryFn: ({ pageParam }) => api<AuditPageData>("GET", `/audit${toQuery({ ...apiQuery, cursor: pageParam ?? undefined, limit: PAGE_SIZE })}`),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextCursor,
  });

  const actions = events.data?.pages[0]?.actions ?? [];
  const list = events.data?.pages.flatMap((page) => page.events) ?? [];
  const filtered = Boolean(filters.actor || filters.action || filters.from || filters.to);
  const exportHref = `${API_BASE}/audit/export.csv${toQuery(apiQuery)}`;

  const toggle = (id: string) =>
    setOpen((old) => {
      const next = new Set(old);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <Page
      title={t("audit.title")}
      description={t("audit.description")}
      actions={
        (canExport || canVerify) && (
          <>
            {canVerify && (
              <Button variant="default" leftSection={<IconShieldCheck size={16} aria-hidden />} loading={verify.isPending} onClick={() => verify.mutate()}>
                {t("audit.verify")}
              </Button>
            )}
            {canExport && (
              <Button component="a" href={exportHref} download variant="default" leftSection={<IconDownload size={16} aria-hidden />}>
                {t("audit.export")}
              </Button>
            )}
          </>
        )
      }
    >
      <Card withBorder padding="md" component="section" aria-label={t("audit.filters")}>
        {/* Bottom-aligned: the fields stay in line when a date is read back above its field. */}
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} style={{ alignItems: "end" }}>
          <TextInput
            label={t("audit.actor")}
            placeholder={t("audit.actorPlaceholder")}
            value={actorDraft}
            onChange={(event) => {
              setActorDraft(event.currentTarget.value);
              applyActor(event.currentTarget.value);
            }}
          />
          <Select
            label={t("audit.action")}
            placeholder={t("audit.allActions")}
            data={actions.map((action) => ({ value: action, label: actionLabel(action) }))}
            value={filters.action || null}
            onChange={(value) => set({ action: value ?? "" })}
            searchable
            clearable
            nothingFoundMessage={t("common.nothingFound")}
          />
          <DateTimeField kind="date" label={t("audit.from")} value={filters.from} onChange={(event) => set({ from: event.currentTarget.value })} />
          <DateTimeField kind="date" label={t("audit.to")} value={filters.to} onChange={(event) => set({ to: event.currentTarget.value })} />
        </SimpleGrid>
        <Group justify="space-between" mt="sm">
          <Text size="xs" c="dimmed">
            {t("audit.timeZone", { zone: viewerTimeZone() })}
          </Text>
          {filtered && (
            <Button
              size="xs"
              variant="subtle"
              onClick={() => {
                setActorDraft("");
                set({ actor: "", action: "", from: "", to: "" });
              }}
            >
              {t("audit.clearFilters")}
            </Button>
          )}
        </Group>
      </Card>

      <VerifyResult verify={verify} />

      <QueryState query={events}>
        {() =>
          list.length === 0 ? (
            <Card withBorder>
              <Empty
                icon={<IconListDetails aria-hidden />}
                title={filtered ? t("audit.noMatchTitle") : t("audit.emptyTitle")}
                description={filtered ? t("audit.noMatchText") : t("audit.emptyText")}
              />
            </Card>
          ) : (
            <Stack gap="sm">
              <Card withBorder padding={0}>
                <Table.ScrollContainer minWidth={860}>
                  <Table>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th w={40}>
                          <span className="visually-hidden">{t("audit.details")}</span>
                        </Table.Th>
                        <Table.Th>{t("audit.when")}</Table.Th>
                        <Table.Th>{t("audit.actor")}</Table.Th>
                        <Table.Th>{t("audit.action")}</Table.Th>
                        <Table.Th>{t("audit.target")}</Table.Th>
                        <Table.Th>{t("audit.ip")}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {list.map((event) => {
                        const expanded = open.has(event.id);
                        const detailsId = `audit-details-${event.id}`;
                        return (
                          <Fragment key={event.id}>
                            <Table.Tr data-action={event.action}>
                              <Table.Td>
                                <ActionIcon
                                  variant="subtle"
                                  color="gray"
                                  onClick={() => toggle(event.id)}
                                  aria-expanded={expanded}
                                  aria-controls={expanded ? detailsId : undefined}
                                  aria-label={t(expanded ? "audit.hideDetails" : "audit.showDetails", { action: actionLabel(event.action) })}
                                >
                                  <IconChevronDown
                                    size={16}
                                    aria-hidden
                                    style={{ transform: expanded ? "rotate(180deg)" : "rotate(calc(var(--arrow-flip, 1) * -90deg))", transition: "transform 150ms" }}
                                  />
                                </ActionIcon>
                              </Table.Td>
                              <Table.Td>
                                <RelativeTime value={event.occurredAt} />
                              </Table.Td>
                              <Table.Td>
                                <ActorCell event={event} />
                              </Table.Td>
                              <Table.Td>
                                <Text size="sm" fw={500}>
                                  {actionLabel(event.action)}
                                </Text>
                                <Text size="xs" c="dimmed" ff="monospace" className="ltr-value">
                                  {event.action}
                                </Text>
                              </Table.Td>
                              <Table.Td>
                                <Text size="sm">{targetText(event, nameOf)}</Text>
                              </Table.Td>
                              <Table.Td>
                                <span className="ltr-value">{event.ip ?? "—"}</span>
                              </Table.Td>
                            </Table.Tr>
                            {expanded && (
                              <Table.Tr id={detailsId}>
                                <Table.Td />
                                <Table.Td colSpan={5}>
                                  <AuditDetails event={event} nameOf={nameOf} />
                                </Table.Td>
                              </Table.Tr>
                            )}
                          </Fragment>
                        );
                      })}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </Card>
              <Group justify="space-between">
                <Text size="sm" c="dimmed">
                  {t("audit.shown", { count: list.length, formatted: formatNumber(list.length) })}
                </Text>
                {events.hasNextPage && (
                  <Button variant="default" onClick={() => void events.fetchNextPage()} loading={events.isFetchingNextPage}>
                    {t("audit.loadMore")}
                  </Button>
                )}
              </Group>
            </Stack>
          )
        }
      </QueryState>
    </Page>
  );
}
