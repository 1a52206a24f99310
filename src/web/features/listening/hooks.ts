import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type * as contract from "../../../contracts/listening";
import { api, toQuery } from "../../api/client";
import { useCan } from "../../app/session";

export type Stream = z.infer<typeof contract.Stream>;
export type Mention = z.infer<typeof contract.Mention>;
export type PreviewResult = z.infer<typeof contract.PreviewResult>;
export type QueryError = z.infer<typeof contract.QueryError>;
export type MentionFilters = { stream?: string; sentiment?: string; lang?: string; network?: string; q?: string; duplicates?: string };

export const STREAMS_KEY = ["listening", "streams"] as const;
export const MENTIONS_KEY = ["listening", "mentions"] as const;
/** Boards and lists refresh on their own: mentions keep arriving. */
const REFRESH_MS = 15_000;

export function useStreams() {
  const allowed = useCan("listening.read");
  return useQuery({
    queryKey: STREAMS_KEY,
    queryFn: () => api<{ streams: Stream[] }>("GET", "/listening/streams").then((r) => r.streams),
    enabled: allowed,
    refetchInterval: REFRESH_MS,
  });
}

export function useStream(streamId: string | undefined) {
  return useQuery({
    queryKey: [...STREAMS_KEY, streamId],
    queryFn: () => api<Stream>("GET", `/listening/streams/${streamId}`),
    enabled: Boolean(streamId),
  });
}

/** The newest mentions of one stream (a board column). */
export function useStreamMentions(streamId: string, limit = 10) {
  return useQuery({
    queryKey: [...MENTIONS_KEY, "stream", streamId, limit],
    queryFn: () => api<{ mentions: Mention[]; next: string | null }>("GET", `/listening/streams/${streamId}/mentions${toQuery({ limit })}`),
    refetchInterval: REFRESH_MS,
  });
}

/** Mentions across streams with the given filters, a page at a time. */
export function useMentions(filters: MentionFilters) {
  return useInfiniteQuery({
    queryKey: [...MENTIONS_KEY, "list", filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api<{ mentions: Mention[]; next: string | null }>("GET", `/listening/mentions${toQuery({ ...filters, cursor: pageParam, limit: 30 })}`),
    getNextPageParam: (last) => last.next,
  });
}

export function useCorrectMention() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ mentionId, ...body }: { mentionId: string; lang?: string; sentiment?: string }) => api<Mention>("PATCH", `/listening/mentions/${mentionId}`, body),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: MENTIONS_KEY });
      void client.invalidateQueries({ queryKey: STREAMS_KEY });
    },
  });
}

export function useSaveStream() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ streamId, ...body }: { streamId?: string; version?: number; name: string; query: string; criticalTerms?: string[]; spikeSensitivity?: string; negativeAlerts?: boolean }) =>
      streamId ? api<Stream>("PATCH", `/listening/streams/${streamId}`, body) : api<Stream>("POST", "/listening/streams", body),
    onSuccess: () => void client.invalidateQueries({ queryKey: STREAMS_KEY }),
  });
}

export function useArchiveStream() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (streamId: string) => api<Stream>("POST", `/listening/streams/${streamId}/archive`, {}),
    onSuccess: () => void client.invalidateQueries({ queryKey: STREAMS_KEY }),
  });
}

export function useReorderStreams() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (streamIds: string[]) => api<{ streams: Stream[] }>("PUT", "/listening/streams/order", { streamIds }),
    onSuccess: (data) => client.setQueryData(STREAMS_KEY, data.streams),
  });
}

export function usePreview(query: string) {
  const allowed = useCan("listening.manage");
  return useQuery({
    queryKey: ["listening", "preview", query],
    queryFn: () => api<PreviewResult>("POST", "/listening/streams/preview", { query }),
    enabled: allowed && query.trim() !== "",
    staleTime: 30_000,
    placeholderData: (previous) => previous,
  });
}
