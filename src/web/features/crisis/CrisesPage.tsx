import { Anchor, Badge, Button, Group, SegmentedControl, Table, Text } from "@mantine/core";
import { IconShieldCheck } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useCan } from "../../app/session";
import { Empty } from "../../components/Empty";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { formatDateTime } from "../../i18n/format";
import { DeclareDialog } from "./DeclareDialog";
import { useCrises } from "./hooks";
import { useSeverityText } from "../crisis-plans/severity-text";

export const STATUS_COLOR: Record<string, string> = { triage: "yellow", active: "red", stable: "blue", closed: "gray", cancelled: "gray", merged: "gray" };

/** The workspace's crises, open ones first by default; declaring one. */
export function CrisesPage() {
  const { t } = useTranslation();
  const severityText = useSeverityText();
  const [status, setStatus] = useState<"open" | "all">("open");
  const [declaring, setDeclaring] = useState(false);
  const canDeclare = useCan("crisis.declare");
  const query = useCrises(status);
  return (
    <Page
      title={t("crisis.title")}
      description={t("crisis.description")}
      actions={
        canDeclare && (
          <Button color="red" onClick={() => setDeclaring(true)}>
            {t("crisis.declare")}
          </Button>
        )
      }
    >
      <SegmentedControl
        w="fit-content"
        value={status}
        onChange={(v) => setStatus(v as "open" | "all")}
        data={[
          { value: "open", label: t("crisis.openOnly") },
          { value: "all", label: t("crisis.showAll") },
        ]}
      />
      <QueryState query={query}>
        {(crises) =>
          crises.length === 0 ? (
            <Empty icon={<IconShieldCheck aria-hidden />} title={t("crisis.emptyTitle")} description={t("crisis.emptyText")} />
          ) : (
            <Table.ScrollContainer minWidth={640}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("crisis.fields.title")}</Table.Th>
                    <Table.Th>{t("crisis.fields.status")}</Table.Th>
                    <Table.Th>{t("crisis.fields.severity")}</Table.Th>
                    <Table.Th>{t("crisis.fields.scenario")}</Table.Th>
                    <Table.Th>{t("crisis.fields.declared")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {crises.map((c) => (
                    <Table.Tr key={c.id}>
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          <Anchor component={Link} to={`/crisis/${c.id}`}>
                            {c.ref} · <bdi>{c.title}</bdi>
                          </Anchor>
                          {c.isDrill && (
                            <Badge color="grape" variant="light" size="sm">
                              {t("crisis.drill")}
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Badge color={STATUS_COLOR[c.status]} variant="light">
                          {t(`crisis.status.${c.status}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{severityText(c.severityLevel, c.severityName).name}</Table.Td>
                      <Table.Td>{t(`crisis.scenario.${c.scenario}`)}</Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatDateTime(c.declaredAt)}</Text>
                        {c.declaredByName && (
                          <Text size="xs" c="dimmed">
                            {c.declaredByName}
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryState>
      {declaring && <DeclareDialog opened onClose={() => setDeclaring(false)} />}
    </Page>
  );
}
