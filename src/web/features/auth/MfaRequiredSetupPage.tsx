import { Alert, Anchor, Divider, Stack, Text, Title } from "@mantine/core";
import { IconShieldLock } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Navigate, useSearchParams } from "react-router-dom";
import { FullPageLoader, nextParam } from "../../app/RequireActive";
import { safeNext, useMe } from "../../app/session";
import { useSignOut } from "../../app/UserMenu";
import { useDocumentTitle } from "../../components/Page";
import { MfaEnrolment } from "../account/MfaEnrolment";
import { AddPasskeyForm } from "../account/PasskeysCard";
import { useContinueAfterSignIn } from "./continue";

/** /mfa/setup: a workspace requires MFA and this person has none yet, or an admin reset theirs after a lost device; they set one up before going on. */
export function MfaRequiredSetupPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("mfaRequired.title"));
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const me = useMe();
  const continueAfterSignIn = useContinueAfterSignIn(next);
  const signOut = useSignOut();

  if (me.isPending) return <FullPageLoader />;
  if (!me.data) return <Navigate to={`/sign-in${nextParam(next)}`} replace />;
  if (me.data.state === "mfa_challenge") return <Navigate to={`/mfa${nextParam(next)}`} replace />;
  if (me.data.state === "active") return <Navigate to={next === "/" ? "/account/security" : next} replace />;

  return (
    <Stack gap="md">
      <Title order={1} fz="h2">
        {t("mfaRequired.title")}
      </Title>
      <Alert color="blue" icon={<IconShieldLock aria-hidden />}>
        {me.data.user.mfaReenrolmentRequired
          ? t("mfaRequired.reenrolment")
          : t("mfaRequired.explanation", { workspace: me.data.workspace?.name ?? t("mfaRequired.yourWorkspace") })}
      </Alert>
      <MfaEnrolment onDone={() => void continueAfterSignIn()} compact />
      <Divider label={t("passkeys.or")} labelPosition="center" />
      <Text size="sm">{t("passkeys.setupInstead")}</Text>
      <AddPasskeyForm onDone={() => void continueAfterSignIn()} />
      <Anchor component="button" type="button" size="sm" c="dimmed" onClick={() => signOut.mutate()} style={{ alignSelf: "flex-start" }}>
        {t("userMenu.signOut")}
      </Anchor>
    </Stack>
  );
}
