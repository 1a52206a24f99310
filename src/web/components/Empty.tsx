import { EmptyState } from "@mantine/core";
import type { ReactNode } from "react";

/** What a list shows when it has nothing yet: what it will hold and what to do first. */
export function Empty({ icon, title, description, action }: { icon: ReactNode; title: string; description: string; action?: ReactNode }) {
  return (
    <EmptyState icon={icon} withIndicatorBackground title={title} description={description} py="xl">
      {action && <EmptyState.Actions>{action}</EmptyState.Actions>}
    </EmptyState>
  );
}
