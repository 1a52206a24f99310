import { Alert, Button, Divider, Stack, Text } from "@mantine/core";
import { IconKey } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { errorText } from "../../components/errors";
import { verifyMfaWithPasskey } from "../account/passkeys";

/** The MFA step with a passkey, for a person who has one: offered before (or instead of) the code. */
export function PasskeyMfa({ onVerified, primary, divider }: { onVerified: () => unknown; primary: boolean; divider: boolean }) {
  const { t } = useTranslation();
  const verify = useMutation({ mutationFn: verifyMfaWithPasskey, onSuccess: () => onVerified() });
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t("passkeys.mfaIntro")}
      </Text>
      {verify.error && (
        <Alert color="red" role="alert">
          {errorText(t, verify.error)}
        </Alert>
      )}
      <Button type="button" variant={primary ? "filled" : "default"} fullWidth leftSection={<IconKey size={18} aria-hidden />} loading={verify.isPending} onClick={() => verify.mutate()}>
        {t("passkeys.mfaUse")}
      </Button>
      {divider && <Divider label={t("passkeys.or")} labelPosition="center" />}
    </Stack>
  );
}
