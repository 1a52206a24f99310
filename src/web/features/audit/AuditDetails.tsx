import { Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { ROLES } from "../../../contracts/roles";
import type { AuditEvent } from "../../api/types";
import { i18next } from "../../i18n";

/** A value of the audit data as text: roles translated, IDs of people and teams named, lists joined, objects as JSON. */
function show(value: unknown, nameOf: (id: string) => string | undefined = () => undefined): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") {
    if ((ROLES as readonly string[]).includes(value)) return i18next.t(`roles.${value}`);
    const name = nameOf(value);
    return name ? `${name} (${value.slice(0, 8)})` : value;
  }
  if (typeof value === "boolean") return value ? i18next.t("common.yes") : i18next.t("common.no");
  if (Array.isArray(value)) return value.length ? value.map((item) => show(item, nameOf)).join(", ") : "—";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Rows "field: before → after" when the event carries a change, else one row per field. */
export function changesOf(data: Record<string, unknown>): { field: string; before?: unknown; after?: unknown; value?: unknown }[] {
  const before = data.before as Record<string, unknown> | undefined;
  const after = data.after as Record<string, unknown> | undefined;
  if (before && after && typeof before === "object" && typeof after === "object") {
    const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    const rest = Object.entries(data).filter(([key]) => key !== "before" && key !== "after");
    return [...fields.map((field) => ({ field, before: before[field], after: after[field] })), ...rest.map(([field, value]) => ({ field, value }))];
  }
  if ("from" in data && "to" in data) {
    const rest = Object.entries(data).filter(([key]) => key !== "from" && key !== "to");
    return [{ field: "role", before: data.from, after: data.to }, ...rest.map(([field, value]) => ({ field, value }))];
  }
  return Object.entries(data).map(([field, value]) => ({ field, value }));
}

/** The details of one audit event: its data as before/after, and where it came from. */
export function AuditDetails({ event, nameOf }: { event: AuditEvent; nameOf: (id: string) => string | undefined }) {
  const { t } = useTranslation();
  const rows = changesOf(event.data ?? {});
  const hasChange = rows.some((row) => "before" in row);
  return (
    <div>
      <Table withTableBorder withColumnBorders={false} fz="sm" highlightOnHover={false} verticalSpacing={4} maw={800}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("audit.field")}</Table.Th>
            {hasChange ? (
              <>
                <Table.Th>{t("audit.before")}</Table.Th>
                <Table.Th>{t("audit.after")}</Table.Th>
              </>
            ) : (
              <Table.Th>{t("audit.value")}</Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.field}>
              <Table.Td>
                <Text size="sm" ff="monospace" className="ltr-value">
                  {row.field}
                </Text>
              </Table.Td>
              {hasChange ? (
                "before" in row ? (
                  <>
                    <Table.Td>{show(row.before, nameOf)}</Table.Td>
                    <Table.Td>{show(row.after, nameOf)}</Table.Td>
                  </>
                ) : (
                  <Table.Td colSpan={2}>{show(row.value, nameOf)}</Table.Td>
                )
              ) : (
                <Table.Td>{show(row.value, nameOf)}</Table.Td>
              )}
            </Table.Tr>
          ))}
          <Table.Tr>
            <Table.Td>
              <Text size="sm">{t("audit.userAgent")}</Text>
            </Table.Td>
            <Table.Td colSpan={hasChange ? 2 : 1}>
              <Text size="xs" className="ltr-value">
                {event.userAgent ?? "—"}
              </Text>
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Td>
              <Text size="sm">{t("audit.eventId")}</Text>
            </Table.Td>
            <Table.Td colSpan={hasChange ? 2 : 1}>
              <Text size="xs" ff="monospace" className="ltr-value">
                #{event.seq} · {event.id}
              </Text>
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
    </div>
  );
}
