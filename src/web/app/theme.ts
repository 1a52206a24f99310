import { createTheme, type CSSVariablesResolver } from "@mantine/core";

/**
 * Parapet's look: Mantine defaults with darker shades so text and buttons meet WCAG AA contrast. Made per language:
 * every dialog's close button (an icon) is named in the interface language for screen readers.
 */
export const themeFor = (closeLabel: string) =>
  createTheme({
    primaryColor: "blue",
    primaryShade: { light: 8, dark: 8 },
    defaultRadius: "md",
    fontFamily:
      'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", Vazirmatn, Tahoma, "Helvetica Neue", Arial, sans-serif',
    headings: { fontWeight: "650" },
    focusRing: "auto",
    cursorType: "pointer",
    components: {
      Table: { defaultProps: { verticalSpacing: "sm", highlightOnHover: true } },
      Tooltip: { defaultProps: { openDelay: 300 } },
      Modal: { defaultProps: { closeButtonProps: { "aria-label": closeLabel } } },
    },
  });

/** Darker "dimmed" and error text than the defaults, for contrast. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    "--mantine-color-dimmed": "var(--mantine-color-gray-7)",
    "--mantine-color-error": "var(--mantine-color-red-8)",
    "--mantine-color-placeholder": "var(--mantine-color-gray-6)",
    // Text of "light" badges, alerts and buttons: Mantine's shade 9 is too pale for teal, green, orange and
    // yellow on their light backgrounds (axe color-contrast); these keep at least 4.5:1 on shade 1 and 2.
    "--mantine-color-teal-light-color": "#066649",
    "--mantine-color-green-light-color": "#1e6b2e",
    "--mantine-color-orange-light-color": "#a53b07",
    "--mantine-color-yellow-light-color": "#7a4a00",
    "--mantine-color-red-light-color": "#a61e1e",
  },
  dark: {},
});
