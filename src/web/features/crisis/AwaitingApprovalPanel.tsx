import { Anchor, Badge, Stack, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { PanelCard } from "../../components/PanelCard";
import { formatDateTime, formatNumber } from "../../i18n/format";
import { useAwaitingApproval, type Crisis } from "./hooks";

/**
 * Posts waiting for the crisis team's approval (a lock down sent them there), next to the held posts: where each is
 * in its approval, and a link to the post, where the crisis team approves or rejects it. Hidden while there are none.
 */
export function AwaitingApprovalPanel({ crisis }: { crisis: Crisis }) {
  const { t } = useTranslation();
  const query = useAwaitingApproval(crisis.id);
  const posts = query.data ?? [];
  if (!posts.length) return null;
  const teamsTurn = posts.filter((p) => p.atCrisisTeamStep).length;
  return (
    <PanelCard
      testId="awaiting-approval"
      title={t("crisis.awaiting.title")}
      badge={
        <Badge color={teamsTurn ? "orange" : "gray"} variant="light">
          {t("crisis.awaiting.count", { count: posts.length, formatted: formatNumber(posts.length) })}
        </Badge>
      }
    >
      <Text size="sm" c="dimmed">
        {t("crisis.awaiting.help", { ref: crisis.ref })}
      </Text>
      <Table.ScrollContainer minWidth={640}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("crisis.awaiting.post")}</Table.Th>
              <Table.Th>{t("crisis.awaiting.author")}</Table.Th>
              <Table.Th>{t("crisis.awaiting.due")}</Table.Th>
              <Table.Th>{t("crisis.awaiting.where")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {posts.map((p) => (
              <Table.Tr key={p.postId}>
                <Table.Td maw={360}>
                  <Anchor component={Link} to={`/publishing/posts/${p.postId}`} size="sm" lineClamp={3} dir="auto">
                    {p.text}
                  </Anchor>
                  <Text size="xs" c="dimmed" dir="ltr" ta="start">
                    {p.channels.map((c) => `@${c.handle}`).join(", ")}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" dir="auto">
                    {p.authorId ? p.authorName : t("crisis.awaiting.nobody")}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{p.scheduledAt ? formatDateTime(p.scheduledAt) : t("crisis.awaiting.whenApproved")}</Text>
                </Table.Td>
                <Table.Td>
                  <Stack gap={4} align="flex-start">
                    {p.atCrisisTeamStep ? (
                      <Badge variant="light" color="orange">
                        {t("crisis.awaiting.teamsTurn")}
                      </Badge>
                    ) : (
                      <Badge variant="light" color="gray">
                        {t("crisis.awaiting.earlierStep", { label: p.step.label })}
                      </Badge>
                    )}
                    {p.mayDecide && (
                      <Anchor component={Link} to={`/publishing/posts/${p.postId}`} size="sm" fw={500}>
                        {t("crisis.awaiting.decide")}
                      </Anchor>
                    )}
                  </Stack>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </PanelCard>
  );
}
