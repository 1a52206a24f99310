import { Card, Group, Stack, Title } from "@mantine/core";
import { useId, type ReactNode } from "react";

/**
 * One panel of a page: a bordered card with its title and, across from it, what sums it up (a count or state
 * badge); then its content, stacked. The card is a region named by its title, so screen readers can jump to it.
 * `order` 3 is for a panel inside a titled group (a post's card per channel under "On each channel"): a level-3
 * heading, a size smaller. Other props (`data-*`) go to the card.
 */
export function PanelCard({
  title,
  badge,
  testId,
  order = 2,
  children,
  ...rest
}: { title: ReactNode; badge?: ReactNode; testId?: string; order?: 2 | 3; children: ReactNode } & { [data: `data-${string}`]: string | undefined }) {
  const titleId = useId();
  return (
    <Card withBorder component="section" aria-labelledby={titleId} data-testid={testId} {...rest}>
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Title order={order} fz={order === 2 ? "h4" : "h5"} id={titleId}>
            {title}
          </Title>
          {badge}
        </Group>
        {children}
      </Stack>
    </Card>
  );
}
