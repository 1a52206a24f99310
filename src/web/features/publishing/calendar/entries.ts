import type { Channel } from "../../../api/types";
import type { Post } from "../types";

/** What a calendar entry shows a post as: its own state, or for a scheduled post how its deliveries stand. */
export const CALENDAR_STATES = ["scheduled", "in_review", "held", "publishing", "published", "failed", "expired", "draft"] as const;
export type CalendarState = (typeof CALENDAR_STATES)[number];

/** One colour per state (Mantine's palette, light enough to read dark text on, with a strong edge). */
export const CALENDAR_COLORS: Record<CalendarState, { background: string; border: string }> = {
  scheduled: { background: "var(--mantine-color-blue-1)", border: "var(--mantine-color-blue-7)" },
  in_review: { background: "var(--mantine-color-violet-1)", border: "var(--mantine-color-violet-7)" },
  held: { background: "var(--mantine-color-orange-1)", border: "var(--mantine-color-orange-7)" },
  publishing: { background: "var(--mantine-color-cyan-1)", border: "var(--mantine-color-cyan-8)" },
  published: { background: "var(--mantine-color-green-1)", border: "var(--mantine-color-green-8)" },
  failed: { background: "var(--mantine-color-red-1)", border: "var(--mantine-color-red-8)" },
  expired: { background: "var(--mantine-color-yellow-1)", border: "var(--mantine-color-yellow-9)" },
  draft: { background: "var(--mantine-color-gray-1)", border: "var(--mantine-color-gray-6)" },
};

/** The state a post is shown in: a delivery that failed or is held says so first; a post going out is "scheduled". */
export function calendarState(post: Post): CalendarState | null {
  if (post.state === "cancelled" || post.state === "approved" || !post.scheduledAt) return null;
  if (post.state !== "scheduled") return post.state;
  const statuses = post.targets.map((t) => t.status);
  if (statuses.includes("failed")) return "failed";
  if (statuses.includes("held")) return "held";
  if (statuses.includes("publishing")) return "publishing";
  if (statuses.includes("scheduled")) return "scheduled";
  if (statuses.some((s) => s === "published" || s === "removed")) return "published";
  return null;
}

const NOT_STARTED = ["draft", "scheduled", "held"];

/**
 * Whether the reader may move a post (the server decides; this only offers the drag): nothing of it has gone out,
 * and they have Full publishing on every channel of it, or wrote it and may write there.
 */
export function canMove(post: Post, channels: Channel[] | undefined, userId: string | undefined): boolean {
  if (!post.scheduledAt || post.state === "cancelled" || post.state === "approved") return false;
  if (!post.targets.every((t) => NOT_STARTED.includes(t.status))) return false;
  const access = post.targets.map((t) => channels?.find((c) => c.id === t.channelId));
  if (access.some((c) => !c || c.status === "disconnected")) return false;
  if (access.every((c) => c!.access.can.publish)) return true;
  return post.authorId !== null && post.authorId === userId && access.every((c) => c!.access.can.draft);
}

/** The first line of a post, short enough for a calendar cell. */
export function excerpt(text: string, length = 80): string {
  const line = text.split("\n").find((l) => l.trim()) ?? "";
  return line.length > length ? `${line.slice(0, length - 1)}…` : line;
}
