import { Alert, Button, Divider, Stack } from "@mantine/core";
import { IconKey } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { errorText } from "../../components/errors";
import { signInWithPasskey } from "../account/passkeys";

/** "Sign in with a passkey" on the sign-in page: no email or password; the browser offers this site's passkeys. */
export function PasskeySignIn({ onSignedIn }: { onSignedIn: () => unknown }) {
  const { t } = useTranslation();
  const signIn = useMutation({ mutationFn: signInWithPasskey, onSuccess: () => onSignedIn() });
  return (
    <Stack gap="md">
      {signIn.error && (
        <Alert color="red" role="alert" title={t("signIn.failed")}>
          {errorText(t, signIn.error)}
        </Alert>
      )}
      <Button type="button" variant="default" fullWidth leftSection={<IconKey size={18} aria-hidden />} loading={signIn.isPending} onClick={() => signIn.mutate()}>
        {t("passkeys.signIn")}
      </Button>
      <Divider label={t("passkeys.or")} labelPosition="center" />
    </Stack>
  );
}
