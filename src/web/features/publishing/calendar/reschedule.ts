import { useMutation } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { ApiError, api } from "../../../api/client";
import { errorText } from "../../../components/errors";
import { useRefreshPublishing } from "../hooks";
import type { Post } from "../types";

export type MoveRequest = { post: Pick<Post, "id" | "version">; at: string; acknowledgePause?: boolean };

/** Moves a post to another time (POST /posts/{id}/reschedule); the lists and the post are read again after. */
export function useReschedulePost() {
  const refresh = useRefreshPublishing();
  return useMutation({
    mutationFn: ({ post, at, acknowledgePause }: MoveRequest) =>
      api<Post>("POST", `/posts/${encodeURIComponent(post.id)}/reschedule`, { scheduledAt: at, version: post.version, ...(acknowledgePause ? { acknowledgePause: true } : {}) }),
    onSettled: refresh,
  });
}

/** Whether the server asked to confirm a move while publishing is paused. */
export const isPauseWarning = (error: unknown) => error instanceof ApiError && error.code === "publishing_paused";

/** Why a move was refused, in the reader's words (a time in the past is said as such, not as a form error). */
export function moveErrorText(t: TFunction, error: unknown): string {
  if (error instanceof ApiError && error.code === "invalid_input" && error.fields.scheduledAt) return t("publishing.composer.timeInPast");
  return errorText(t, error);
}
