import { Alert, Button, Checkbox, CopyButton, Group, Stack, Text } from "@mantine/core";
import { IconCheck, IconCopy, IconDownload } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

/** Shows recovery codes once, with copy and download; "Continue" only after the person says they saved them. */
export function RecoveryCodes({ codes, onDone, doneLabel }: { codes: string[]; onDone: () => void; doneLabel?: string }) {
  const { t } = useTranslation();
  const [saved, setSaved] = useState(false);
  const text = codes.join("\n");

  const download = () => {
    const blob = new Blob([`${t("recoveryCodes.fileHeader")}\n\n${text}\n`], { type: "text/plain" });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = "parapet-recovery-codes.txt";
    link.click();
    URL.revokeObjectURL(url);
  };

  return (
    <Stack gap="md">
      <Alert color="yellow" title={t("recoveryCodes.title")}>
        {t("recoveryCodes.explanation")}
      </Alert>
      <ul className="recovery-codes" aria-label={t("recoveryCodes.title")} data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <Group gap="sm">
        <CopyButton value={text}>
          {({ copied, copy }) => (
            <Button variant="default" leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />} onClick={copy}>
              {copied ? t("common.copied") : t("recoveryCodes.copy")}
            </Button>
          )}
        </CopyButton>
        <Button variant="default" leftSection={<IconDownload size={16} aria-hidden />} onClick={download}>
          {t("recoveryCodes.download")}
        </Button>
      </Group>
      <Checkbox label={t("recoveryCodes.saved")} checked={saved} onChange={(event) => setSaved(event.currentTarget.checked)} />
      <Group>
        <Button disabled={!saved} onClick={onDone}>
          {doneLabel ?? t("common.continue")}
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        {t("recoveryCodes.onceOnly")}
      </Text>
    </Stack>
  );
}
