import { Alert, Badge, Button, Card, Checkbox, Group, NativeSelect, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { IconSearch } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { CHANNEL_ACTIONS, CHANNEL_LEVEL_ALLOWS, CHANNEL_LEVELS, type ChannelLevel } from "../../../contracts/roles";
import type { ChannelAccessMatrix } from "../../api/types";
import { errorText } from "../../components/errors";
import { notifySuccess } from "../../components/notify";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";


const LEVEL_COLOR: Record<ChannelLevel, string> = { none: "gray", read: "blue", approval_required: "yellow", reply: "teal", publish: "green" };
export const ACCESS_KEY = ["channel-access"] as const;

type Change = { channelId: string; userId?: string; teamId?: string; level: ChannelLevel };
const keyOf = (change: Omit<Change, "level">) => `${change.userId ? `u:${change.userId}` : `t:${change.teamId}`}:${change.channelId}`;

/**
 * /settings/channel-access: the people × channels matrix. Each cell is the person's own grant; what their teams or
 * their role give is shown under it, and the highest counts. Edits collect until saved, all at once.
 */
export function ChannelAccessPage() {
  const { t } = useTranslation();
  const matrix = useQuery({ queryKey: ACCESS_KEY, queryFn: () => api<ChannelAccessMatrix>("GET", "/channel-access") });
  return (
    <Page title={t("access.title")} description={t("access.description")}>
      <QueryState query={matrix}>{(data) => <AccessEditor data={data} />}</QueryState>
      <LevelLegend />
    </Page>
  );
}

function AccessEditor({ data }: { data: ChannelAccessMatrix }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState(new Map<string, Change>());
  const [search, setSearch] = useState("");
  const [teamFilter, setTeamFilter] = useState<string | null>(null);
  const [selected, setSelected] = useState(new Set<string>());
  const [bulkChannel, setBulkChannel] = useState<string | null>(data.channels[0]?.id ?? null);
  const [bulkLevel, setBulkLevel] = useState<ChannelLevel>("read");
  const teamName = (id: string) => data.teams.find((team) => team.id === id)?.name ?? "";
  const levelName = (level: ChannelLevel) => t(`access.levels.${level}`);

  const save = useMutation({
    mutationFn: () => api<{ changed: number }>("PUT", "/channel-access", { changes: [...pending.values()] }),
    onSuccess: ({ changed }) => {
      notifySuccess(t("access.savedToast", { count: changed }));
      setPending(new Map());
      setSelected(new Set());
      void queryClient.invalidateQueries({ queryKey: ACCESS_KEY });
      void queryClient.invalidateQueries({ queryKey: ["channels"] });
    },
  });

  const change = (next: Change) => {
    const stored = next.userId
      ? (data.people.find((p) => p.userId === next.userId)?.levels[next.channelId]?.sources.direct ?? "none")
      : (data.teams.find((team) => team.id === next.teamId)?.levels[next.channelId] ?? "none");
    const copy = new Map(pending);
    if (stored === next.level) copy.delete(keyOf(next));
    else copy.set(keyOf(next), next);
    setPending(copy);
  };
  const valueOf = (subject: Omit<Change, "level">, stored: ChannelLevel) => pending.get(keyOf(subject))?.level ?? stored;

  const people = useMemo(() => {
    const needle = search.trim().toLocaleLowerCase();
    return data.people.filter(
      (person) =>
        (!needle || person.name.toLocaleLowerCase().includes(needle) || person.email.toLocaleLowerCase().includes(needle)) &&
        (!teamFilter || person.teamIds.includes(teamFilter)),
    );
  }, [data.people, search, teamFilter]);
  const editable = people.filter((person) => person.levels[data.channels[0]?.id]?.sources.role !== "publish");

  const applyBulk = () => {
    if (!bulkChannel) return;
    const copy = new Map(pending);
    for (const userId of selected) {
      const person = data.people.find((p) => p.userId === userId)!;
      const next = { channelId: bulkChannel, userId, level: bulkLevel };
      if ((person.levels[bulkChannel]?.sources.direct ?? "none") === bulkLevel) copy.delete(keyOf(next));
      else copy.set(keyOf(next), next);
    }
    setPending(copy);
  };

  const levelOptions = CHANNEL_LEVELS.map((level) => ({ value: level, label: levelName(level) }));
  if (data.channels.length === 0) return <Alert color="blue">{t("access.noChannels")}</Alert>;

  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="sm" wrap="wrap">
          <TextInput
            leftSection={<IconSearch size={16} aria-hidden />}
            placeholder={t("access.search")}
            aria-label={t("access.search")}
            value={search}
            onChange={(event) => setSearch(event.currentTarget.value)}
          />
          <Select
            aria-label={t("access.teamFilter")}
            placeholder={t("access.allTeams")}
            data={data.teams.map((team) => ({ value: team.id, label: team.name }))}
            value={teamFilter}
            onChange={setTeamFilter}
            clearable
          />
        </Group>
        <Group gap="sm">
          {pending.size > 0 && (
            <Button variant="default" onClick={() => setPending(new Map())}>
              {t("access.discard")}
            </Button>
          )}
          <Button onClick={() => save.mutate()} disabled={pending.size === 0} loading={save.isPending}>
            {pending.size === 0 ? t("access.saveNone") : t("access.save", { count: pending.size })}
          </Button>
        </Group>
      </Group>
      {save.error && (
        <Alert color="red" role="alert">
          {errorText(t, save.error)}
        </Alert>
      )}
      {selected.size > 0 && (
        <Card withBorder padding="sm" role="region" aria-label={t("access.bulkLabel")}>
          <Group gap="sm" wrap="wrap" align="flex-end">
            <Text size="sm" fw={500}>
              {t("access.bulkSelected", { count: selected.size })}
            </Text>
            <NativeSelect
              label={t("access.bulkChannel")}
              data={data.channels.map((channel) => ({ value: channel.id, label: `@${channel.handle}` }))}
              value={bulkChannel ?? ""}
              onChange={(event) => setBulkChannel(event.currentTarget.value)}
            />
            <NativeSelect label={t("access.bulkLevel")} data={levelOptions} value={bulkLevel} onChange={(event) => setBulkLevel(event.currentTarget.value as ChannelLevel)} />
            <Button variant="light" onClick={applyBulk}>
              {t("access.bulkApply")}
            </Button>
          </Group>
        </Card>
      )}
      <Card withBorder padding={0}>
        <Table.ScrollContainer minWidth={320 + 200 * data.channels.length}>
          <Table verticalSpacing="sm" stickyHeader>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40}>
                  <Checkbox
                    aria-label={t("access.selectAll")}
                    checked={editable.length > 0 && editable.every((p) => selected.has(p.userId))}
                    indeterminate={selected.size > 0 && !editable.every((p) => selected.has(p.userId))}
                    onChange={(event) => setSelected(event.currentTarget.checked ? new Set(editable.map((p) => p.userId)) : new Set())}
                  />
                </Table.Th>
                <Table.Th>{t("access.person")}</Table.Th>
                {data.channels.map((channel) => (
                  <Table.Th key={channel.id}>
                    <Text size="sm" fw={600}>
                      {channel.displayName}
                    </Text>
                    <Text size="xs" c="dimmed" className="ltr-value">
                      @{channel.handle}
                    </Text>
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {people.map((person) => {
                const byRole = person.levels[data.channels[0].id]?.sources.role === "publish";
                return (
                  <Table.Tr key={person.userId}>
                    <Table.Td>
                      {!byRole && (
                        <Checkbox
                          aria-label={t("access.selectPerson", { name: person.name })}
                          checked={selected.has(person.userId)}
                          onChange={(event) => {
                            const copy = new Set(selected);
                            if (event.currentTarget.checked) copy.add(person.userId);
                            else copy.delete(person.userId);
                            setSelected(copy);
                          }}
                        />
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {person.name}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {t(`roles.${person.role}`)}
                        {person.teamIds.length > 0 && ` · ${person.teamIds.map(teamName).join(", ")}`}
                      </Text>
                    </Table.Td>
                    {data.channels.map((channel) => {
                      const cell = person.levels[channel.id];
                      if (byRole) {
                        return (
                          <Table.Td key={channel.id}>
                            <Badge color={LEVEL_COLOR.publish} variant="light">
                              {levelName("publish")}
                            </Badge>
                            <Text size="xs" c="dimmed" mt={4}>
                              {t("access.byRole", { role: t(`roles.${person.role}`) })}
                            </Text>
                          </Table.Td>
                        );
                      }
                      const value = valueOf({ channelId: channel.id, userId: person.userId }, cell.sources.direct);
                      const fromTeams = cell.sources.teams.reduce<{ level: ChannelLevel; teamId: string } | null>(
                        (best, team) => (best === null || CHANNEL_LEVELS.indexOf(team.level) > CHANNEL_LEVELS.indexOf(best.level) ? team : best),
                        null,
                      );
                      const teamWins = fromTeams !== null && CHANNEL_LEVELS.indexOf(fromTeams.level) > CHANNEL_LEVELS.indexOf(value);
                      return (
                        <Table.Td key={channel.id}>
                          <NativeSelect
                            size="xs"
                            aria-label={t("access.cellLabel", { name: person.name, handle: channel.handle })}
                            data={levelOptions}
                            value={value}
                            onChange={(event) => change({ channelId: channel.id, userId: person.userId, level: event.currentTarget.value as ChannelLevel })}
                            styles={pending.has(keyOf({ channelId: channel.id, userId: person.userId })) ? { input: { borderColor: "var(--mantine-color-orange-6)" } } : undefined}
                          />
                          {teamWins && (
                            <Text size="xs" c="dimmed" mt={4}>
                              {t("access.viaTeam", { level: levelName(fromTeams.level), team: teamName(fromTeams.teamId) })}
                            </Text>
                          )}
                        </Table.Td>
                      );
                    })}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>

      {data.teams.length > 0 && (
        <Stack gap="xs">
          <Title order={2} fz="h4">
            {t("access.teamsTitle")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("access.teamsText")}
          </Text>
          <Card withBorder padding={0}>
            <Table.ScrollContainer minWidth={280 + 200 * data.channels.length}>
              <Table verticalSpacing="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("access.team")}</Table.Th>
                    {data.channels.map((channel) => (
                      <Table.Th key={channel.id}>
                        <span className="ltr-value">@{channel.handle}</span>
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.teams.map((team) => (
                    <Table.Tr key={team.id}>
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          {team.name}
                        </Text>
                      </Table.Td>
                      {data.channels.map((channel) => (
                        <Table.Td key={channel.id}>
                          <NativeSelect
                            size="xs"
                            aria-label={t("access.cellLabel", { name: team.name, handle: channel.handle })}
                            data={levelOptions}
                            value={valueOf({ channelId: channel.id, teamId: team.id }, team.levels[channel.id])}
                            onChange={(event) => change({ channelId: channel.id, teamId: team.id, level: event.currentTarget.value as ChannelLevel })}
                          />
                        </Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Card>
        </Stack>
      )}
    </Stack>
  );
}

/** What each level may do: the model at a glance. */
function LevelLegend() {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Title order={2} fz="h4">
        {t("access.legendTitle")}
      </Title>
      <Card withBorder padding={0}>
        {/* Scrolls on a phone rather than squeezing the level names to "…". */}
        <Table.ScrollContainer minWidth={560}>
          <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("access.level")}</Table.Th>
              {CHANNEL_ACTIONS.map((action) => (
                <Table.Th key={action}>{t(`access.actions.${action}`)}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {CHANNEL_LEVELS.map((level) => (
              <Table.Tr key={level}>
                <Table.Td>
                  <Badge color={LEVEL_COLOR[level]} variant="light" miw="max-content">
                    {t(`access.levels.${level}`)}
                  </Badge>
                </Table.Td>
                {CHANNEL_ACTIONS.map((action) => (
                  <Table.Td key={action}>{(CHANNEL_LEVEL_ALLOWS[level] as readonly string[]).includes(action) ? t("access.yes") : "—"}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
    </Stack>
  );
}
