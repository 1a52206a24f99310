import { Anchor, Box, Container, Group, Paper, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, Outlet } from "react-router-dom";
import { LanguagePicker } from "../components/LanguagePicker";
import { Logo } from "../components/Logo";

/** The frame of the pages before sign-in: the mark, a language picker, one card. */
export function PublicLayout() {
  const { t } = useTranslation();
  return (
    <Box mih="100vh" bg="gray.0" py="xl">
      <Container size={480}>
        <Stack gap="lg">
          <Group justify="space-between" component="header">
            <Anchor component={Link} to="/" underline="never" aria-label={t("app.homeLink")}>
              <Logo />
            </Anchor>
            <LanguagePicker size="xs" withLabel={false} />
          </Group>
          <Paper component="main" withBorder shadow="xs" p="xl" radius="md">
            <Outlet />
          </Paper>
          <Text component="footer" size="xs" c="dimmed" ta="center">
            {t("app.tagline")}
          </Text>
        </Stack>
      </Container>
    </Box>
  );
}
