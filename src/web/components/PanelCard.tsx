import { Card, Group, Stack, Title } from "@mantine/core";
import type { ReactNode } from "react";

/**
 * One panel of a page: a bordered card with its title (a level-2 heading) and, across from it, what sums it up (a
 * count or state badge); then its content, stacked.
 */
export function PanelCard({ title, badge, testId, children }: { title: ReactNode; badge?: ReactNode; testId?: string; children: ReactNode }) {
  return (
    <Card withBorder data-testid={testId}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} fz="h4">
            {title}
          </Title>
          {badge}
        </Group>
        {children}
      </Stack>
    </Card>
  );
}
