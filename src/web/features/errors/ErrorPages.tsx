import { Anchor, Button, Center, Code, Stack, Text, Title } from "@mantine/core";
import { IconError404, IconMoodSad } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useRouteError } from "react-router-dom";
import { AppLayout } from "../../app/AppLayout";
import { FullPageLoader } from "../../app/RequireActive";
import { useMe } from "../../app/session";
import { useDocumentTitle } from "../../components/Page";

function NotFoundContent() {
  const { t } = useTranslation();
  const location = useLocation();
  useDocumentTitle(t("notFound.title"));
  return (
    <Center py={80}>
      <Stack align="center" gap="md" maw={480} ta="center">
        <IconError404 size={64} stroke={1.3} color="var(--mantine-color-gray-7)" aria-hidden />
        <Title order={1} fz="h2">
          {t("notFound.title")}
        </Title>
        <Text c="dimmed">{t("notFound.text")}</Text>
        <Code className="ltr-value">{location.pathname}</Code>
        <Button component={Link} to="/">
          {t("notFound.home")}
        </Button>
      </Stack>
    </Center>
  );
}

/** Any address the app does not know: inside the app frame when signed in, on its own otherwise. */
export function NotFoundPage() {
  const me = useMe();
  if (me.isPending) return <FullPageLoader />;
  if (me.data?.state === "active") {
    return (
      <AppLayout>
        <NotFoundContent />
      </AppLayout>
    );
  }
  return (
    <main>
      <NotFoundContent />
    </main>
  );
}

/** Shown when a page crashes: says so, offers a reload, keeps the details for a bug report. */
export function CrashPage() {
  const { t } = useTranslation();
  const error = useRouteError();
  useDocumentTitle(t("crash.title"));
  return (
    <Center mih="100vh" p="md">
      <Stack align="center" gap="md" maw={560} ta="center" component="main">
        <IconMoodSad size={56} stroke={1.3} aria-hidden />
        <Title order={1} fz="h2">
          {t("crash.title")}
        </Title>
        <Text c="dimmed">{t("crash.text")}</Text>
        <Button onClick={() => window.location.reload()}>{t("crash.reload")}</Button>
        <Anchor href="/">{t("notFound.home")}</Anchor>
        {error instanceof Error && (
          <Code block className="ltr-value" style={{ textAlign: "start", maxWidth: "100%" }}>
            {error.message}
          </Code>
        )}
      </Stack>
    </Center>
  );
}
