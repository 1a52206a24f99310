import { Group, Text } from "@mantine/core";

/** Parapet's mark and name. */
export function Logo({ size = 28, compact = false }: { size?: number; compact?: boolean }) {
  return (
    <Group gap={8} wrap="nowrap">
      <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden focusable="false">
        <rect width="32" height="32" rx="7" fill="#1c5d99" />
        <path d="M7 24V12h4v-4h4v4h2v-4h4v4h4v12z" fill="#fff" />
      </svg>
      <Text fw={700} fz="lg" c="blue.9" visibleFrom={compact ? "sm" : undefined}>
        Parapet
      </Text>
    </Group>
  );
}
