import { Alert, Badge, Button, Card, Group, Modal, MultiSelect, SegmentedControl, Select, Stack, Table, Text, TextInput, Textarea } from "@mantine/core";
import { IconBellRinging, IconCheck, IconX } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { DESTINATION_KINDS, DESTINATION_LOCALES } from "../../../contracts/alert-destinations";
import { ALERT_KINDS } from "../../../contracts/listening-alerts";
import { ConfirmedRowAction, useConfirm } from "../../components/confirm";
import { CopyField } from "../../components/CopyField";
import { Empty } from "../../components/Empty";
import { errorText } from "../../components/errors";
import { notifyError, notifySuccess } from "../../components/notify";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { useCreateDestination, useDeleteDestination, useDestinations, useTestDestination, useUpdateDestination, type AlertDestination, type DestinationTestOutcome } from "./hooks";

/** Each language named in itself, as a language picker does. */
const LANGUAGE_NAMES: Record<string, string> = { en: "English", de: "Deutsch", it: "Italiano", nl: "Nederlands", fa: "فارسی" };

/** Settings → Alert destinations: where listening alerts go besides Parapet (email, Slack, Teams, signed webhooks). */
export function AlertDestinationsPage() {
  const { t } = useTranslation();
  const destinations = useDestinations();
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  // Whoever sees this page may change it (admins only), so the empty state offers to add one.
  const addButton = <Button onClick={() => setAdding(true)}>{t("alertDestinations.add")}</Button>;
  return (
    <Page title={t("alertDestinations.title")} description={t("alertDestinations.description")} actions={addButton}>
      <QueryState query={destinations}>
        {(list) =>
          list.length === 0 ? (
            <Card withBorder data-testid="destinations-empty">
              <Empty icon={<IconBellRinging aria-hidden />} title={t("alertDestinations.emptyTitle")} description={t("alertDestinations.emptyText")} action={addButton} />
            </Card>
          ) : (
            <Table.ScrollContainer minWidth={800}>
              <Table verticalSpacing="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("alertDestinations.name")}</Table.Th>
                    <Table.Th>{t("alertDestinations.target")}</Table.Th>
                    <Table.Th>{t("alertDestinations.kinds")}</Table.Th>
                    <Table.Th>{t("alertDestinations.locale")}</Table.Th>
                    <Table.Th>{t("alertDestinations.state")}</Table.Th>
                    <Table.Th>{t("common.actions")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.map((d) => (
                    <DestinationRow key={d.id} destination={d} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryState>
      <AddDestination opened={adding} onClose={() => setAdding(false)} onSecret={setSecret} />
      <Modal opened={secret !== null} onClose={() => setSecret(null)} title={t("alertDestinations.secretTitle")} centered>
        <Stack>
          <Text size="sm">{t("alertDestinations.secretText")}</Text>
          {secret && <CopyField label={t("alertDestinations.secretTitle")} value={secret} />}
          <Group justify="flex-end">
            <Button onClick={() => setSecret(null)}>{t("common.done")}</Button>
          </Group>
        </Stack>
      </Modal>
    </Page>
  );
}

function DestinationRow({ destination: d }: { destination: AlertDestination }) {
  const { t } = useTranslation();
  const update = useUpdateDestination();
  const remove = useDeleteDestination();
  const test = useTestDestination();
  const confirm = useConfirm();
  const [outcome, setOutcome] = useState<DestinationTestOutcome | null>(null);
  const toggle = async () => {
    if (d.enabled && !(await confirm({ title: t("alertDestinations.turnOffTitle", { name: d.name }), message: t("alertDestinations.turnOffText"), confirmLabel: t("alertDestinations.turnOff") }))) return;
    update.mutate({ id: d.id, enabled: !d.enabled }, { onSuccess: () => notifySuccess(t("alertDestinations.updated")), onError: (err) => notifyError(t, err) });
  };
  return (
    <Table.Tr data-testid="destination">
      <Table.Td>
        <Text fw={600}>{d.name}</Text>
        <Text size="sm" c="dimmed">
          {t(`alertDestinations.kindName.${d.kind}`)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" dir="ltr" style={{ fontFamily: "var(--mantine-font-family-monospace)", wordBreak: "break-all", textAlign: "start" }}>
          {d.targetHint}
        </Text>
      </Table.Td>
      <Table.Td>
        {d.kinds.length === 0 ? (
          <Text size="sm">{t("alertDestinations.allKinds")}</Text>
        ) : (
          <Group gap={4}>
            {d.kinds.map((k) => (
              <Badge key={k} variant="light" size="sm">
                {t(`listeningAlerts.kind.${k}`)}
              </Badge>
            ))}
          </Group>
        )}
      </Table.Td>
      <Table.Td>{LANGUAGE_NAMES[d.locale] ?? d.locale}</Table.Td>
      <Table.Td>
        <Badge color={d.enabled ? "teal" : "gray"} variant="light">
          {d.enabled ? t("alertDestinations.enabled") : t("alertDestinations.disabled")}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Stack gap={4} align="flex-start">
          <Group gap={4} wrap="nowrap">
            <Button
              size="xs"
              variant="default"
              loading={test.isPending}
              aria-label={`${t("alertDestinations.test")}: ${d.name}`}
              onClick={() => {
                setOutcome(null);
                test.mutate(d.id, { onSuccess: setOutcome, onError: (err) => setOutcome({ status: "failed", error: errorText(t, err) }) });
              }}
            >
              {t("alertDestinations.test")}
            </Button>
            <Button size="xs" variant="subtle" loading={update.isPending} onClick={toggle}>
              {d.enabled ? t("alertDestinations.turnOff") : t("alertDestinations.turnOn")}
            </Button>
            <ConfirmedRowAction
              label={t("common.delete")}
              ariaLabel={`${t("common.delete")}: ${d.name}`}
              confirm={{ title: t("alertDestinations.deleteTitle", { name: d.name }), message: t("alertDestinations.deleteText"), confirmLabel: t("common.delete") }}
              loading={remove.isPending}
              onConfirmed={() => remove.mutate(d.id, { onSuccess: () => notifySuccess(t("alertDestinations.deleted")), onError: (err) => notifyError(t, err) })}
            />
          </Group>
          {outcome && (
            <Group gap={4} wrap="nowrap" role="status" data-testid="test-outcome">
              {outcome.status === "failed" ? <IconX size={16} color="var(--mantine-color-red-7)" aria-hidden /> : <IconCheck size={16} color="var(--mantine-color-teal-7)" aria-hidden />}
              <Text size="sm" fw={600}>
                {outcome.status === "delivered" ? t("alertDestinations.testDelivered") : outcome.status === "queued" ? t("alertDestinations.testQueued") : t("alertDestinations.testFailed", { error: outcome.error ?? "" })}
              </Text>
            </Group>
          )}
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}

function AddDestination({ opened, onClose, onSecret }: { opened: boolean; onClose: () => void; onSecret: (secret: string) => void }) {
  const { t, i18n } = useTranslation();
  const create = useCreateDestination();
  const [kind, setKind] = useState<AlertDestination["kind"]>("email");
  const [name, setName] = useState("");
  const [target, setTarget] = useState("");
  const [kinds, setKinds] = useState<string[]>([]);
  const [locale, setLocale] = useState<string>((DESTINATION_LOCALES as readonly string[]).includes(i18n.language) ? i18n.language : "en");
  // Messages in the admin's own language unless they choose another (the language may load after the page).
  useEffect(() => {
    if (opened) setLocale((DESTINATION_LOCALES as readonly string[]).includes(i18n.language) ? i18n.language : "en");
  }, [opened, i18n.language]);
  const close = () => {
    create.reset();
    setName("");
    setTarget("");
    setKinds([]);
    onClose();
  };
  const targetProps = { label: t(`alertDestinations.targetLabel.${kind}`), description: t(`alertDestinations.help.${kind}`), value: target, required: true, dir: "ltr" as const, onChange: (e: { currentTarget: { value: string } }) => setTarget(e.currentTarget.value) };
  return (
    <Modal opened={opened} onClose={close} title={t("alertDestinations.add")} size="lg">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate(
            { kind, name, target, kinds, locale },
            {
              onSuccess: (created) => {
                notifySuccess(t("alertDestinations.created"));
                close();
                if (created.signingSecret) onSecret(created.signingSecret);
              },
            },
          );
        }}
      >
        <Stack>
          <SegmentedControl
            aria-label={t("alertDestinations.kind")}
            value={kind}
            onChange={(v) => {
              setKind(v as AlertDestination["kind"]);
              create.reset();
            }}
            data={DESTINATION_KINDS.map((k) => ({ value: k, label: t(`alertDestinations.kindName.${k}`) }))}
          />
          <TextInput label={t("alertDestinations.name")} description={t("alertDestinations.nameHelp")} value={name} onChange={(e) => setName(e.currentTarget.value)} required maxLength={100} />
          {kind === "email" ? <Textarea {...targetProps} autosize minRows={2} /> : <TextInput {...targetProps} type="url" placeholder={kind === "slack" ? "https://hooks.slack.com/services/…" : "https://…"} />}
          <MultiSelect
            label={t("alertDestinations.kinds")}
            description={t("alertDestinations.kindsHelp")}
            placeholder={kinds.length ? undefined : t("alertDestinations.allKinds")}
            value={kinds}
            onChange={setKinds}
            data={ALERT_KINDS.map((k) => ({ value: k, label: t(`listeningAlerts.kind.${k}`) }))}
          />
          <Select
            label={t("alertDestinations.locale")}
            description={t("alertDestinations.localeHelp")}
            value={locale}
            onChange={(v) => v && setLocale(v)}
            allowDeselect={false}
            data={DESTINATION_LOCALES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
          />
          {create.error && (
            <Alert color="red" role="alert">
              {errorText(t, create.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t("alertDestinations.create")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
