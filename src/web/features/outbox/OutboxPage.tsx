import { ActionIcon, Alert, Badge, Card, Table, Text } from "@mantine/core";
import { IconChevronDown, IconInfoCircle, IconMail } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import type { OutboxMail } from "../../api/types";
import { Empty } from "../../components/Empty";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { RelativeTime } from "../../components/RelativeTime";

/** /settings/outbox: mail Parapet has sent or is holding (without a mail server, it stays here). */
export function OutboxPage() {
  const { t } = useTranslation();
  const [open, setOpen] = useState<string | null>(null);
  const outbox = useQuery({ queryKey: ["workspace", "outbox"], queryFn: () => api<{ mails: OutboxMail[]; delivering?: boolean }>("GET", "/workspace/outbox") });

  const status = (mail: OutboxMail) =>
    mail.sentAt ? (
      <Badge color="teal" variant="light">
        {t("outbox.sent")}
      </Badge>
    ) : mail.lastError ? (
      <Badge color="red" variant="light" title={mail.lastError}>
        {t("outbox.failed")}
      </Badge>
    ) : (
      <Badge color="gray" variant="light">
        {t("outbox.held")}
      </Badge>
    );

  return (
    <Page title={t("outbox.title")} description={t("outbox.description")}>
      {outbox.data && (
        <Alert color="blue" icon={<IconInfoCircle aria-hidden />}>
          {outbox.data.delivering === true ? t("outbox.explanationDelivering") : t("outbox.explanation")}
        </Alert>
      )}
      <QueryState query={outbox}>
        {({ mails: list }) =>
          list.length === 0 ? (
            <Card withBorder>
              <Empty icon={<IconMail aria-hidden />} title={t("outbox.emptyTitle")} description={t("outbox.emptyText")} />
            </Card>
          ) : (
            <Card withBorder padding={0}>
              <Table.ScrollContainer minWidth={720}>
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th w={40}>
                        <span className="visually-hidden">{t("audit.details")}</span>
                      </Table.Th>
                      <Table.Th>{t("outbox.to")}</Table.Th>
                      <Table.Th>{t("outbox.subject")}</Table.Th>
                      <Table.Th>{t("outbox.status")}</Table.Th>
                      <Table.Th>{t("outbox.createdAt")}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {list.map((mail) => {
                      const expanded = open === mail.id;
                      return (
                        <Fragment key={mail.id}>
                          <Table.Tr>
                            <Table.Td>
                              <ActionIcon
                                variant="subtle"
                                color="gray"
                                onClick={() => setOpen(expanded ? null : mail.id)}
                                aria-expanded={expanded}
                                aria-label={t(expanded ? "outbox.hide" : "outbox.show", { subject: mail.subject })}
                              >
                                <IconChevronDown
                                  size={16}
                                  aria-hidden
                                  style={{ transform: expanded ? "rotate(180deg)" : "rotate(calc(var(--arrow-flip, 1) * -90deg))" }}
                                />
                              </ActionIcon>
                            </Table.Td>
                            <Table.Td>
                              <span className="ltr-value">{mail.to}</span>
                            </Table.Td>
                            <Table.Td>{mail.subject}</Table.Td>
                            <Table.Td>{status(mail)}</Table.Td>
                            <Table.Td>
                              <RelativeTime value={mail.createdAt} />
                            </Table.Td>
                          </Table.Tr>
                          {expanded && (
                            <Table.Tr>
                              <Table.Td />
                              <Table.Td colSpan={4}>
                                {mail.lastError && (
                                  <Alert color="red" mb="sm" title={t("outbox.lastError")}>
                                    {mail.lastError}
                                  </Alert>
                                )}
                                <Text component="pre" size="sm" className="data-json" dir="auto">
                                  {mail.text}
                                </Text>
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
          )
        }
      </QueryState>
    </Page>
  );
}
