import { PasswordInput, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";

/**
 * What a network's sign-in form asks (the Sandbox: a handle; app-password networks: a handle and an app password),
 * for connecting a channel and for reconnecting one from a link.
 */
export function SignInFields(props: {
  method: "sandbox" | "app_password";
  identifier: string;
  onIdentifier: (value: string) => void;
  password: string;
  onPassword: (value: string) => void;
  errors: { identifier?: string; password?: string };
  /** Which field takes the focus first, if any. */
  focus?: "identifier" | "password";
}) {
  const { t } = useTranslation();
  return (
    <>
      <TextInput
        label={props.method === "sandbox" ? t("channels.handle") : t("channels.identifier")}
        description={props.method === "sandbox" ? t("channels.sandboxHint") : undefined}
        value={props.identifier}
        onChange={(event) => props.onIdentifier(event.currentTarget.value)}
        error={props.errors.identifier}
        autoComplete="off"
        dir="ltr"
        required
        data-autofocus={props.focus === "identifier" ? true : undefined}
      />
      {props.method === "app_password" && (
        <PasswordInput
          label={t("channels.appPassword")}
          description={t("channels.appPasswordHint")}
          value={props.password}
          onChange={(event) => props.onPassword(event.currentTarget.value)}
          error={props.errors.password}
          autoComplete="off"
          required
          visibilityToggleButtonProps={{ "aria-label": t("common.showPassword") }}
          data-autofocus={props.focus === "password" ? true : undefined}
        />
      )}
    </>
  );
}
