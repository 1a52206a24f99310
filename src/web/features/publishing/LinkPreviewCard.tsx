import { Card, CloseButton, Group, Image, Loader, Stack, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconLink } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import type * as contract from "../../../contracts/queues";
import { api } from "../../api/client";
import { errorText } from "../../components/errors";

type LinkPreview = z.infer<typeof contract.LinkPreview>;

/** The first http(s) link in a text, without the punctuation that usually ends a sentence after it. */
export function firstLink(text: string): string | null {
  const match = /\bhttps?:\/\/[^\s<>"'«»“”]+/i.exec(text);
  return match ? match[0].replace(/[.,;:!?)\]}]+$/, "") : null;
}

/**
 * Under the composer's text: the preview card of its first link (title, description, site, image), read by the server
 * (POST /link-previews) a moment after typing stops. A link without a preview says why, quietly; the card can be
 * dismissed for that link.
 */
export function LinkPreviewCard({ text }: { text: string }) {
  const { t } = useTranslation();
  const [debounced] = useDebouncedValue(text, 600);
  const url = firstLink(debounced);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const preview = useQuery({
    queryKey: ["link-preview", url],
    queryFn: () => api<LinkPreview>("POST", "/link-previews", { url }),
    enabled: url !== null && url !== dismissed,
    retry: false,
    staleTime: 10 * 60_000,
  });
  if (!url || url === dismissed) return null;
  if (preview.isPending) {
    return (
      <Group gap="xs" aria-live="polite">
        <Loader size="xs" />
        <Text size="sm" c="dimmed">
          {t("linkPreview.loading")}
        </Text>
      </Group>
    );
  }
  if (preview.error) {
    return (
      <Text size="sm" c="dimmed" aria-live="polite">
        <IconLink size={14} aria-hidden style={{ verticalAlign: "middle", marginInlineEnd: 4 }} />
        {t("linkPreview.none", { reason: errorText(t, preview.error) })}
      </Text>
    );
  }
  const card = preview.data;
  const site = card.siteName ?? new URL(card.finalUrl).hostname;
  return (
    <Card withBorder radius="md" padding={0} component="figure" m={0} aria-label={t("linkPreview.label", { site })} data-testid="link-preview">
      <Group gap={0} wrap="nowrap" align="stretch">
        {card.image && <Image src={card.image} alt="" w={120} miw={120} h="auto" fit="cover" style={{ alignSelf: "stretch" }} />}
        <Stack gap={2} p="sm" style={{ minWidth: 0, flex: 1 }}>
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <Text size="xs" c="dimmed" tt="uppercase" truncate dir="auto">
              {site}
            </Text>
            <CloseButton size="sm" onClick={() => setDismissed(url)} aria-label={t("linkPreview.hide")} />
          </Group>
          {card.title && (
            <Text fw={600} size="sm" lineClamp={2} dir="auto">
              {card.title}
            </Text>
          )}
          {card.description && (
            <Text size="sm" c="dimmed" lineClamp={2} dir="auto">
              {card.description}
            </Text>
          )}
          <Text size="xs" c="dimmed" truncate dir="ltr" className="ltr-value">
            {card.finalUrl}
          </Text>
        </Stack>
      </Group>
    </Card>
  );
}
