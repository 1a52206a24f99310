import { Alert, Blockquote, Button, Group, Stack, Text } from "@mantine/core";
import { IconAlertTriangle, IconCloudOff, IconDeviceFloppy, IconRestore } from "@tabler/icons-react";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { API_BASE, ApiError, api, readCookie } from "../../api/client";
import { errorText } from "../../components/errors";
import { notifySuccess } from "../../components/notify";
import { currentLocale } from "../../i18n";
import { formatDateTime, formatNumber } from "../../i18n/format";
import { POSTS_KEY } from "./hooks";
import type { Post, PostContentBody } from "./types";

/**
 * Autosave of a draft in the composer. A new post becomes a draft on the server at the first real edit (some text and a
 * channel), then every change is saved after a pause in typing and when the page is hidden or left. What is typed is
 * also kept on this device (localStorage, per person and post) until the server has it, so a reload or a network error
 * loses nothing; the composer offers to restore it. Saves send the post's `version`: when someone else (or another tab)
 * saved in between, nothing is overwritten — the writer chooses between their version and keeping theirs as a copy.
 * Only drafts are saved by themselves (a save without a time keeps a draft a draft); a scheduled, in-review or approved
 * post is saved only by its Save button, because an edit there sends it back for approval.
 */

/** What the composer would save: the post's content without a time. */
export type DraftBody = Omit<PostContentBody, "scheduledAt" | "acknowledgePause">;

export type AutosaveState =
  | { kind: "idle" }
  | { kind: "pending" }
  | { kind: "saving" }
  | { kind: "saved"; at: Date }
  | { kind: "incomplete" }
  | { kind: "offline" }
  | { kind: "retrying" }
  | { kind: "refused"; error: unknown }
  | { kind: "conflict"; theirs: Post | null }
  | { kind: "off"; state: Post["state"] };

type LocalCopy = { body: DraftBody; baseVersion: number | null; at: string };

const PAUSE_MS = 1200;
const RETRY_MS = [2_000, 5_000, 10_000, 30_000];

const keyFor = (userId: string, postId: string | null) => `parapet.draft.${userId}.${postId ?? "new"}`;

function readLocal(key: string): LocalCopy | null {
  try {
    const raw = window.localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as LocalCopy) : null;
  } catch {
    // A full or disabled storage, or a copy from an older version of the app: nothing to offer.
    return null;
  }
}

function writeLocal(key: string, copy: LocalCopy | null): void {
  try {
    if (copy) window.localStorage.setItem(key, JSON.stringify(copy));
    else window.localStorage.removeItem(key);
  } catch {
    // Storage full or disabled (private mode): the server copy is then the only one; the status says whether it is saved.
  }
}

/** Whether there is anything to save: a channel and some text (the server refuses a draft without them). */
const savable = (body: DraftBody) => body.channels.length > 0 && (Boolean(body.text.trim()) || body.channels.some((c) => Boolean(c.text?.trim())));

export type Autosave = ReturnType<typeof useAutosave>;

/**
 * Saves `body` as a draft by itself (see the top of this file). `onRestore` puts a restored local copy back into the
 * composer; `onReload` reloads the post from the server (after choosing "their version").
 */
export function useAutosave({ post, body, userId, onRestore, onReload }: { post?: Post; body: DraftBody; userId: string; onRestore: (body: DraftBody) => void; onReload?: () => void }) {
  const queryClient = useQueryClient();
  const json = JSON.stringify(body);
  const [state, setState] = useState<AutosaveState>(() => (post && post.state !== "draft" ? { kind: "off", state: post.state } : { kind: "idle" }));
  const [postId, setPostId] = useState<string | null>(post?.id ?? null);
  const ref = useRef({
    postId: post?.id ?? null,
    version: post?.version ?? null,
    /** The content the server has (as this composer last saved or loaded it). */
    savedJson: json,
    body,
    json,
    inFlight: null as Promise<void> | null,
    timer: undefined as ReturnType<typeof setTimeout> | undefined,
    attempt: 0,
    stopped: false,
    conflict: false,
    active: !post || post.state === "draft",
  });
  ref.current.body = body;
  ref.current.json = json;

  // A copy on this device that the server does not have (a reload mid-typing, a network error): offered back once.
  const [offer, setOffer] = useState<LocalCopy | null>(() => {
    const copy = readLocal(keyFor(userId, post?.id ?? null));
    if (!copy) return null;
    if (JSON.stringify(copy.body) === json) {
      writeLocal(keyFor(userId, post?.id ?? null), null);
      return null;
    }
    return copy;
  });

  const localKey = () => keyFor(userId, ref.current.postId);

  const flush = useCallback(async (): Promise<void> => {
    const r = ref.current;
    if (r.timer) clearTimeout(r.timer);
    r.timer = undefined;
    if (r.inFlight) await r.inFlight;
    if (!r.active || r.stopped || r.conflict) return;
    const sending = r.body;
    const sendingJson = r.json;
    if (sendingJson === r.savedJson) return;
    if (!savable(sending)) {
      setState({ kind: "incomplete" });
      return;
    }
    const run = (async () => {
      setState({ kind: "saving" });
      try {
        const saved = r.postId
          ? await api<Post>("PUT", `/posts/${encodeURIComponent(r.postId)}`, { ...sending, scheduledAt: null, version: r.version })
          : await api<Post>("POST", "/posts", { ...sending, scheduledAt: null });
        const created = !r.postId;
        r.postId = saved.id;
        r.version = saved.version;
        r.savedJson = sendingJson;
        r.attempt = 0;
        queryClient.setQueryData([...POSTS_KEY, saved.id], saved);
        if (created) {
          writeLocal(keyFor(userId, null), null);
          setPostId(saved.id);
          // The address becomes the draft's, without leaving the page (the writer is typing): a reload opens the draft.
          window.history.replaceState(window.history.state, "", `/publishing/posts/${saved.id}/edit`);
        }
        if (r.json === sendingJson) writeLocal(keyFor(userId, saved.id), null);
        setState({ kind: "saved", at: new Date() });
      } catch (error) {
        if (error instanceof ApiError && error.code === "post_changed") {
          r.conflict = true;
          const theirs = await api<Post>("GET", `/posts/${encodeURIComponent(r.postId!)}`).catch(() => null);
          setState({ kind: "conflict", theirs });
          return;
        }
        const offline = error instanceof ApiError && error.status === 0;
        if (offline || (error instanceof ApiError && (error.status >= 500 || error.status === 429))) {
          setState({ kind: offline ? "offline" : "retrying" });
          const wait = RETRY_MS[Math.min(r.attempt, RETRY_MS.length - 1)];
          r.attempt += 1;
          r.timer = setTimeout(() => void flush(), wait);
          return;
        }
        // Refused (too long for a channel, a channel no longer allowed…): kept here; saved again after the next change.
        setState({ kind: "refused", error });
      }
    })();
    r.inFlight = run;
    await run;
    r.inFlight = null;
    // Typed while it was saving: save that too, after the pause.
    if (r.json !== r.savedJson && !r.conflict && !r.stopped && !r.timer) r.timer = setTimeout(() => void flush(), PAUSE_MS);
  }, [queryClient, userId]);

  // Every change: kept on this device at once, saved after a pause in typing.
  useEffect(() => {
    const r = ref.current;
    if (json === r.savedJson) return;
    writeLocal(localKey(), { body: r.body, baseVersion: r.version, at: new Date().toISOString() });
    if (!r.active || r.stopped || r.conflict) return;
    if (!savable(r.body)) {
      setState({ kind: r.postId ? "incomplete" : "idle" });
      return;
    }
    setState((s) => (s.kind === "offline" || s.kind === "retrying" ? s : { kind: "pending" }));
    if (r.timer) clearTimeout(r.timer);
    r.timer = setTimeout(() => void flush(), PAUSE_MS);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [json, flush]);

  // Hidden (another tab, the phone locked): save now. Left (reload, closed): send what is left with keepalive.
  useEffect(() => {
    const onHidden = () => {
      if (document.visibilityState === "hidden") void flush();
    };
    const onLeave = () => {
      const r = ref.current;
      if (!r.active || r.stopped || r.conflict || r.inFlight || r.json === r.savedJson || !savable(r.body) || !r.postId) return;
      const csrf = readCookie("parapet_csrf");
      void fetch(`${API_BASE}/posts/${encodeURIComponent(r.postId)}`, {
        method: "PUT",
        keepalive: true,
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", ...(csrf ? { "X-CSRF-Token": csrf } : {}) },
        body: JSON.stringify({ ...r.body, scheduledAt: null, version: r.version }),
      }).catch(() => undefined);
    };
    const onOnline = () => void flush();
    document.addEventListener("visibilitychange", onHidden);
    window.addEventListener("pagehide", onLeave);
    window.addEventListener("online", onOnline);
    return () => {
      document.removeEventListener("visibilitychange", onHidden);
      window.removeEventListener("pagehide", onLeave);
      window.removeEventListener("online", onOnline);
      if (ref.current.timer) clearTimeout(ref.current.timer);
    };
  }, [flush]);

  return useMemo(
    () => ({
      state,
      /** The draft on the server (also one this composer created), or null before the first save. */
      postId,
      /** A copy on this device the server does not have, offered back. */
      offer,
      restore: () => {
        if (!offer) return;
        setOffer(null);
        onRestore(offer.body);
      },
      discardOffer: () => {
        setOffer(null);
        writeLocal(localKey(), null);
      },
      /**
       * Before the composer's own Save: stops autosaving, waits for a save under way, and answers the draft's id and
       * version to send. `resume()` when the Save failed.
       */
      settle: async (): Promise<{ postId: string | null; version: number | null }> => {
        const r = ref.current;
        r.stopped = true;
        if (r.timer) clearTimeout(r.timer);
        r.timer = undefined;
        if (r.inFlight) await r.inFlight;
        return { postId: r.postId, version: r.version };
      },
      resume: () => {
        ref.current.stopped = false;
      },
      /** The composer's Save went through: nothing is left to keep on this device. */
      done: () => {
        writeLocal(localKey(), null);
        writeLocal(keyFor(userId, null), null);
      },
      /** Conflict: drop mine and load the version on the server. */
      loadTheirs: () => {
        writeLocal(localKey(), null);
        if (onReload && post) onReload();
        else window.location.assign(`/publishing/posts/${ref.current.postId}/edit`);
      },
      /** Conflict: keep mine as a new draft (theirs stays as it is). */
      keepMineAsCopy: async (): Promise<Post> => {
        const copy = await api<Post>("POST", "/posts", { ...ref.current.body, scheduledAt: null });
        writeLocal(localKey(), null);
        return copy;
      },
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [state, postId, offer, onRestore, onReload, post, userId],
  );
}

/** A time of day in the viewer's language: "10:32". */
function timeOfDay(date: Date): string {
  return new Intl.DateTimeFormat(currentLocale(), { hour: "2-digit", minute: "2-digit" }).format(date);
}

/** The autosave line under the composer ("Saving…", "Saved 10:32", offline…), the restore offer and the conflict choice. */
export function AutosaveNotices({ autosave }: { autosave: Autosave }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [copyError, setCopyError] = useState<unknown>(null);
  const { state } = autosave;
  const line = (() => {
    switch (state.kind) {
      case "pending":
        return { text: t("publishing.autosave.pending"), color: "dimmed" };
      case "saving":
        return { text: t("publishing.autosave.saving"), color: "dimmed" };
      case "saved":
        return { text: t("publishing.autosave.saved", { time: timeOfDay(state.at) }), color: "teal.9" };
      case "incomplete":
        return { text: t("publishing.autosave.incomplete"), color: "dimmed" };
      case "offline":
        return { text: t("publishing.autosave.offline"), color: "orange.9" };
      case "retrying":
        return { text: t("publishing.autosave.retrying"), color: "orange.9" };
      case "refused":
        return { text: t("publishing.autosave.refused", { reason: errorText(t, state.error) }), color: "red.8" };
      case "off":
        return { text: t("publishing.autosave.off", { state: t(`publishing.autosave.states.${state.state}`) }), color: "dimmed" };
      default:
        return { text: t("publishing.autosave.idle"), color: "dimmed" };
    }
  })();
  const theirs = state.kind === "conflict" ? state.theirs : null;
  const lastEdit = theirs?.history?.filter((e) => e.type === "edited" || e.type === "created").at(-1);
  return (
    <Stack gap="sm">
      {state.kind === "conflict" ? (
        <Alert color="orange" role="alert" icon={<IconAlertTriangle size={18} aria-hidden />} title={t("publishing.autosave.conflictTitle")} data-testid="autosave-conflict">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">
              {lastEdit
                ? t("publishing.autosave.conflictText", { who: lastEdit.actor, time: formatDateTime(lastEdit.at), version: theirs ? formatNumber(theirs.version) : "" })
                : t("publishing.autosave.conflictTextUnknown")}
            </Text>
            {theirs && (
              <>
                <Text size="sm" fw={600}>
                  {t("publishing.autosave.theirVersion")}
                </Text>
                <Blockquote p="xs" dir="auto" style={{ whiteSpace: "pre-wrap" }}>
                  {theirs.text.length > 280 ? `${theirs.text.slice(0, 280)}…` : theirs.text}
                </Blockquote>
              </>
            )}
            <Text size="sm">{t("publishing.autosave.conflictMine")}</Text>
            <Group gap="sm">
              <Button size="xs" variant="default" onClick={autosave.loadTheirs}>
                {t("publishing.autosave.loadTheirs")}
              </Button>
              <Button
                size="xs"
                loading={busy}
                onClick={() => {
                  setBusy(true);
                  autosave
                    .keepMineAsCopy()
                    .then((copy) => {
                      notifySuccess(t("publishing.autosave.copySaved"));
                      navigate(`/publishing/posts/${copy.id}/edit`);
                    })
                    .catch(setCopyError)
                    .finally(() => setBusy(false));
                }}
              >
                {t("publishing.autosave.keepMine")}
              </Button>
            </Group>
            {copyError ? (
              <Text size="sm" c="red.8" role="alert">
                {errorText(t, copyError)}
              </Text>
            ) : null}
          </Stack>
        </Alert>
      ) : (
        <Group gap={6} wrap="nowrap" align="flex-start">
          {state.kind === "offline" || state.kind === "retrying" ? <IconCloudOff size={16} aria-hidden style={{ flexShrink: 0 }} /> : <IconDeviceFloppy size={16} aria-hidden style={{ flexShrink: 0 }} />}
          <Text size="sm" c={line.color} role="status" aria-live="polite" data-testid="autosave-status" data-state={state.kind}>
            {line.text}
          </Text>
        </Group>
      )}
    </Stack>
  );
}

/** At the top of the composer: the copy kept on this device that the server does not have, to restore or discard. */
export function AutosaveOffer({ autosave }: { autosave: Autosave }) {
  const { t } = useTranslation();
  const { offer } = autosave;
  if (!offer) return null;
  return (
        <Alert color="blue" icon={<IconRestore size={18} aria-hidden />} title={t("publishing.autosave.offerTitle")} data-testid="autosave-offer">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{t("publishing.autosave.offerText", { time: formatDateTime(offer.at) })}</Text>
            <Blockquote p="xs" dir="auto" style={{ whiteSpace: "pre-wrap" }}>
              {offer.body.text.length > 280 ? `${offer.body.text.slice(0, 280)}…` : offer.body.text}
            </Blockquote>
            <Group gap="sm">
              <Button size="xs" onClick={autosave.restore}>
                {t("publishing.autosave.restore")}
              </Button>
              <Button size="xs" variant="default" onClick={autosave.discardOffer}>
                {t("publishing.autosave.discard")}
              </Button>
            </Group>
          </Stack>
        </Alert>
  );
}
