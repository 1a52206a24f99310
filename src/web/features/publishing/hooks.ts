import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { useCan } from "../../app/session";
import type { Post, PostContentBody, PublishingStatus, ReleaseDecision, ReleaseHeldResult } from "./types";

export const POSTS_KEY = ["posts"] as const;
export const PUBLISHING_STATUS_KEY = ["publishing-status"] as const;

/** Posts on the channels the reader can read, newest time first. */
export function usePosts() {
  const allowed = useCan("posts.read");
  return useQuery({
    queryKey: POSTS_KEY,
    queryFn: () => api<{ posts: Post[] }>("GET", "/posts?limit=500").then((r) => r.posts),
    enabled: allowed,
    // Deliveries change by themselves (the publisher): look again now and then while the page is open.
    refetchInterval: 15_000,
  });
}

/** One post with its history; refreshed often while something on it is still under way. */
export function usePost(postId: string) {
  return useQuery({
    queryKey: [...POSTS_KEY, postId],
    queryFn: () => api<Post>("GET", `/posts/${encodeURIComponent(postId)}`),
    refetchInterval: (query) => (query.state.data?.targets.some((t) => t.status === "publishing" || (t.status === "scheduled" && t.dueAt && new Date(t.dueAt).getTime() < Date.now() + 60_000)) ? 2_000 : 15_000),
  });
}

/** Whether publishing is paused (the banner on every page). */
export function usePublishingStatus() {
  const allowed = useCan("posts.read");
  return useQuery({
    queryKey: PUBLISHING_STATUS_KEY,
    queryFn: () => api<PublishingStatus>("GET", "/publishing/status"),
    enabled: allowed,
    refetchInterval: 30_000,
  });
}

/** After any change to posts: the lists, the post and the banner's count are read again. */
export function useRefreshPublishing() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: POSTS_KEY });
    void queryClient.invalidateQueries({ queryKey: PUBLISHING_STATUS_KEY });
  };
}

export function useSavePost(postId?: string) {
  const refresh = useRefreshPublishing();
  return useMutation({
    // `postId` in the call: the draft autosave made meanwhile (the hook's own was bound before it existed).
    mutationFn: ({ postId: id = postId, ...body }: PostContentBody & { version?: number; postId?: string }) =>
      id ? api<Post>("PUT", `/posts/${encodeURIComponent(id)}`, body) : api<Post>("POST", "/posts", body),
    onSuccess: refresh,
  });
}

export function useReleaseHeld() {
  const refresh = useRefreshPublishing();
  return useMutation({
    mutationFn: (decisions: ReleaseDecision[]) => api<ReleaseHeldResult>("POST", "/posts/held/release", { decisions }),
    onSuccess: refresh,
  });
}

/** "2026-12-01T09:00" in the viewer's zone, for a datetime-local input. */
export function toLocalInput(value: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}T${pad(value.getHours())}:${pad(value.getMinutes())}`;
}

/** A datetime-local input's value (the viewer's zone) as an instant with its offset; null when empty or not a date. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The Sandbox's web view is served by this same server: link by path, whatever address the server thinks it has. */
export function networkLink(url: string, sameServer: boolean): string {
  if (!sameServer) return url;
  try {
    return new URL(url, window.location.origin).pathname;
  } catch {
    return url;
  }
}
