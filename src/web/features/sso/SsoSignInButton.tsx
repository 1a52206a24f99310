import { Alert, Button, Divider, Stack } from "@mantine/core";
import { IconBuilding } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { errorText } from "../../components/errors";
import { i18next } from "../../i18n";
import { useStartSso } from "./hooks";

/**
 * "Sign in with SSO" on the sign-in page: uses the email typed above to find the workspace's identity provider.
 * Shows why the last SSO attempt did not finish (`?ssoError=<code>`, set by the callback).
 */
export function SsoSignInButton({ email, onMissingEmail, ssoError }: { email: string; onMissingEmail: () => void; ssoError: string | null }) {
  const { t } = useTranslation();
  const start = useStartSso();
  const returned = ssoError ? (i18next.exists(`errors.${ssoError}`) ? t(`errors.${ssoError}`) : t("errors.unexpected")) : null;
  return (
    <Stack gap="sm">
      <Divider label={t("sso.or")} labelPosition="center" />
      {(returned || start.error) && (
        <Alert color="red" role="alert" title={t("sso.failed")}>
          {start.error ? errorText(t, start.error) : returned}
        </Alert>
      )}
      <Button
        variant="default"
        leftSection={<IconBuilding size={16} aria-hidden />}
        loading={start.isPending}
        onClick={() => {
          if (!/^\S+@\S+\.\S+$/.test(email.trim())) return onMissingEmail();
          start.mutate(email.trim());
        }}
      >
        {t("sso.signInWith")}
      </Button>
    </Stack>
  );
}
