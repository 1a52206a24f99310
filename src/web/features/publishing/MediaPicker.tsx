import { ActionIcon, Alert, Button, Group, Image, List, Stack, Text, Textarea, Title } from "@mantine/core";
import { IconAlertTriangle, IconArrowDown, IconArrowUp, IconPhotoPlus, IconTrash } from "@tabler/icons-react";
import { useRef, useState, type DragEvent } from "react";
import { useTranslation } from "react-i18next";
import { UPLOAD_MAX_BYTES, UPLOAD_TYPES, formatBytes, mediaIssues, shortType, type MediaIssue } from "../../../contracts/media-rules";
import { countGraphemes } from "../../../contracts/text-length";
import type { PostMedia } from "../../../contracts/media";
import { API_BASE, ApiError, readCookie } from "../../api/client";
import type { Channel, NetworkInfo } from "../../api/types";
import { errorText } from "../../components/errors";
import { PanelCard } from "../../components/PanelCard";
import { formatNumber } from "../../i18n/format";
import { at } from "./components";

/** An image in the composer: uploaded (it has an id), with the alt text being written. */
export type MediaDraft = Pick<PostMedia, "id" | "url" | "mimeType" | "byteSize" | "width" | "height" | "fileName"> & { altText: string };

/** What the post sends for its images. */
export const mediaBody = (media: MediaDraft[]) => media.map((m) => ({ mediaId: m.id, altText: m.altText }));

const MEDIA_CODES = ["too_many_media", "media_type_not_allowed", "media_too_large", "alt_text_too_long", "media_not_found"];
/** Whether a save error is about the images (shown here, not as a general error). */
export const isMediaError = (error: unknown) => error instanceof ApiError && MEDIA_CODES.includes(error.code);

/** Sends one file as the request body; the server finds its type from its bytes. */
async function uploadFile(file: File): Promise<PostMedia> {
  const headers: Record<string, string> = { Accept: "application/json", "Content-Type": file.type || "application/octet-stream" };
  const csrf = readCookie("parapet_csrf");
  if (csrf) headers["X-CSRF-Token"] = csrf;
  let response: Response;
  try {
    response = await fetch(`${API_BASE}/media?name=${encodeURIComponent(file.name)}`, { method: "POST", headers, credentials: "same-origin", body: file });
  } catch (err) {
    throw new ApiError(0, "network_error", err instanceof Error ? err.message : String(err));
  }
  const json = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = json?.error;
    throw new ApiError(response.status, error?.code ?? "unexpected", error?.message ?? response.statusText, error?.fields ?? {});
  }
  return json as PostMedia;
}

/**
 * The post's images: add by a button or by dropping files, each with a thumbnail, its alt text, move earlier or
 * later, remove. Under them, each chosen channel's rules broken (count, types, size, alt text; the same rules the
 * server applies, src/contracts/media-rules.ts), as you go.
 */
export function MediaPicker({
  media,
  onChange,
  channels,
  networks,
  saveError,
}: {
  media: MediaDraft[];
  onChange: (next: MediaDraft[]) => void;
  channels: Channel[];
  networks: NetworkInfo[];
  saveError: unknown;
}) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [uploading, setUploading] = useState(0);
  const [failures, setFailures] = useState<Array<{ name: string; message: string }>>([]);
  const [dragging, setDragging] = useState(false);
  // The latest list, for uploads that finish after other changes.
  const latest = useRef(media);
  latest.current = media;

  const add = async (files: File[]) => {
    setFailures([]);
    for (const file of files) {
      if (file.size > UPLOAD_MAX_BYTES) {
        setFailures((f) => [...f, { name: file.name, message: t("publishing.media.fileTooLarge", { limit: formatBytes(UPLOAD_MAX_BYTES) }) }]);
        continue;
      }
      setUploading((n) => n + 1);
      try {
        const uploaded = await uploadFile(file);
        const next = [...latest.current, { ...uploaded, altText: "" }];
        latest.current = next;
        onChange(next);
      } catch (err) {
        const message = err instanceof ApiError && err.code === "media_type_not_allowed" ? t("publishing.media.notAnImage") : errorText(t, err);
        setFailures((f) => [...f, { name: file.name, message }]);
      } finally {
        setUploading((n) => n - 1);
      }
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void add([...event.dataTransfer.files]);
  };
  const move = (index: number, by: number) => {
    const next = [...media];
    const [item] = next.splice(index, 1);
    next.splice(index + by, 0, item);
    onChange(next);
  };
  const setAlt = (index: number, altText: string) => onChange(media.map((m, i) => (i === index ? { ...m, altText } : m)));

  // Each chosen channel's rules, checked as you go.
  const issueText = (issue: MediaIssue, channel: Channel) => {
    const limit = issue.code === "media_too_large" ? formatBytes(Number(issue.limit)) : typeof issue.limit === "number" ? formatNumber(issue.limit) : issue.limit;
    return t(`publishing.media.issue.${issue.code}`, { handle: at(channel.handle), limit, n: formatNumber((issue.index ?? 0) + 1) });
  };
  const problems = channels.flatMap((channel) => {
    const limits = networks.find((n) => n.network === channel.network)?.limits.media;
    if (!limits) return [];
    return mediaIssues(media.map((m) => ({ mimeType: m.mimeType, byteSize: m.byteSize, altText: m.altText })), limits).map((issue) => ({ issue, channel }));
  });
  const altLimit = Math.min(...channels.map((c) => networks.find((n) => n.network === c.network)?.limits.media.altTextLength ?? Infinity));
  const serverProblem = isMediaError(saveError) && problems.length === 0 ? errorText(t, saveError) : null;

  return (
    <PanelCard title={t("publishing.media.title")}>
      <div
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="media-drop"
        style={{
          border: `2px dashed ${dragging ? "var(--mantine-color-blue-6)" : "var(--mantine-color-default-border)"}`,
          borderRadius: "var(--mantine-radius-md)",
          padding: "var(--mantine-spacing-md)",
          background: dragging ? "var(--mantine-color-blue-light)" : undefined,
        }}
      >
        <Group gap="sm" wrap="wrap">
          <Button variant="default" leftSection={<IconPhotoPlus size={18} aria-hidden />} onClick={() => input.current?.click()} loading={uploading > 0}>
            {t("publishing.media.add")}
          </Button>
          <Text size="sm" c="dimmed">
            {t("publishing.media.hint", { types: UPLOAD_TYPES.map(shortType).join(", "), limit: formatBytes(UPLOAD_MAX_BYTES) })}
          </Text>
        </Group>
        <input
          ref={input}
          type="file"
          accept={UPLOAD_TYPES.join(",")}
          multiple
          hidden
          aria-label={t("publishing.media.add")}
          onChange={(event) => {
            const files = [...(event.currentTarget.files ?? [])];
            event.currentTarget.value = "";
            void add(files);
          }}
        />
      </div>
      {failures.length > 0 && (
        <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} aria-hidden />}>
          <List size="sm">
            {failures.map((f, i) => (
              <List.Item key={i}>
                <bdi>{f.name}</bdi>: {f.message}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {media.map((item, index) => {
        const altLength = countGraphemes(item.altText);
        return (
          <Group key={item.id} align="flex-start" gap="md" wrap="nowrap" data-testid="media-item">
            <Image src={item.url} alt={item.altText || t("publishing.media.thumbnail", { n: formatNumber(index + 1) })} w={96} h={96} radius="sm" fit="cover" style={{ border: "1px solid var(--mantine-color-default-border)" }} />
            <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
              <Textarea
                label={t("publishing.media.altLabel", { n: formatNumber(index + 1) })}
                description={t("publishing.media.altHint")}
                value={item.altText}
                onChange={(event) => setAlt(index, event.currentTarget.value)}
                autosize
                minRows={2}
                dir="auto"
              />
              <Text size="xs" c={Number.isFinite(altLimit) && altLength > altLimit ? "red.8" : "dimmed"}>
                {item.altText.trim() === ""
                  ? t("publishing.media.noAlt")
                  : Number.isFinite(altLimit)
                    ? t("publishing.composer.count", { n: formatNumber(altLength), limit: formatNumber(altLimit) })
                    : null}{" "}
                · <span className="ltr-value">{formatNumber(item.width)}×{formatNumber(item.height)}</span> · {shortType(item.mimeType)} · <span className="ltr-value">{formatBytes(item.byteSize)}</span>
              </Text>
            </Stack>
            <Stack gap={4}>
              <ActionIcon variant="default" onClick={() => move(index, -1)} disabled={index === 0} aria-label={t("publishing.media.earlier", { n: formatNumber(index + 1) })}>
                <IconArrowUp size={16} aria-hidden />
              </ActionIcon>
              <ActionIcon variant="default" onClick={() => move(index, 1)} disabled={index === media.length - 1} aria-label={t("publishing.media.later", { n: formatNumber(index + 1) })}>
                <IconArrowDown size={16} aria-hidden />
              </ActionIcon>
              <ActionIcon variant="default" color="red" onClick={() => onChange(media.filter((_, i) => i !== index))} aria-label={t("publishing.media.remove", { n: formatNumber(index + 1) })}>
                <IconTrash size={16} aria-hidden />
              </ActionIcon>
            </Stack>
          </Group>
        );
      })}
      {(problems.length > 0 || serverProblem) && (
        <Stack gap={2} role="status" data-testid="media-problems">
          {problems.map(({ issue, channel }, i) => (
            <Text key={i} size="sm" c="red.8">
              {issueText(issue, channel)}
            </Text>
          ))}
          {serverProblem && (
            <Text size="sm" c="red.8">
              {serverProblem}
            </Text>
          )}
        </Stack>
      )}
    </PanelCard>
  );
}

/** Whether the images break a chosen channel's rules (the composer does not send them then). */
export function mediaBlocked(media: MediaDraft[], channels: Channel[], networks: NetworkInfo[]): boolean {
  return channels.some((channel) => {
    const limits = networks.find((n) => n.network === channel.network)?.limits.media;
    return limits ? mediaIssues(media.map((m) => ({ mimeType: m.mimeType, byteSize: m.byteSize, altText: m.altText })), limits).length > 0 : false;
  });
}

/** A post's images on its page: thumbnails that open the full image, with their descriptions. */
export function PostMediaGallery({ media }: { media: PostMedia[] }) {
  const { t } = useTranslation();
  if (!media.length) return null;
  return (
    <Group gap="sm" align="flex-start" data-testid="post-media">
      {media.map((item, index) => (
        <Stack key={item.id} gap={4} w={160}>
          <a href={item.url} target="_blank" rel="noreferrer">
            <Image src={item.url} alt={item.altText || t("publishing.media.thumbnail", { n: formatNumber(index + 1) })} w={160} h={120} radius="sm" fit="cover" style={{ border: "1px solid var(--mantine-color-default-border)" }} />
          </a>
          <Text size="xs" c={item.altText ? undefined : "dimmed"} dir="auto">
            {item.altText || t("publishing.media.noAltShort")}
          </Text>
        </Stack>
      ))}
    </Group>
  );
}

/** The images section of a post's page (nothing when it has none). */
export function PostMediaSection({ media }: { media: PostMedia[] }) {
  const { t } = useTranslation();
  if (!media.length) return null;
  return (
    <Stack gap="xs">
      <Title order={2} fz="h4">
        {t("publishing.media.title")}
      </Title>
      <PostMediaGallery media={media} />
    </Stack>
  );
}
