import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type * as room from "../../../contracts/crisis-room";
import { api } from "../../api/client";

export type Timeline = z.infer<typeof room.Timeline>;
export type TimelineEvent = Timeline["events"][number];
export type TaskList = z.infer<typeof room.TaskList>;
export type CrisisTask = room.CrisisTask;
export type StatusUpdateList = z.infer<typeof room.StatusUpdateList>;
export type StatementList = z.infer<typeof room.StatementList>;
export type Statement = room.Statement;
export type Figures = room.Figures;

const REFRESH_MS = 15_000;
export const roomKey = (crisisId: string) => ["crisis", crisisId, "room"] as const;

function useRoomQuery<T>(crisisId: string, part: string) {
  return useQuery({ queryKey: [...roomKey(crisisId), part], queryFn: () => api<T>("GET", `/crisis/crises/${crisisId}/${part}`), refetchInterval: REFRESH_MS });
}

export const useTimeline = (crisisId: string) => useRoomQuery<Timeline>(crisisId, "timeline");
export const useTasks = (crisisId: string) => useRoomQuery<TaskList>(crisisId, "tasks");
export const useStatusUpdates = (crisisId: string) => useRoomQuery<StatusUpdateList>(crisisId, "updates");
export const useStatements = (crisisId: string) => useRoomQuery<StatementList>(crisisId, "statements");
export const useFigures = (crisisId: string) => useRoomQuery<Figures>(crisisId, "figures");

/** A change in the room: calls the API, then refreshes every part of the room (the timeline records most changes). */
export function useRoomAction<I>(crisisId: string, call: (input: I) => { method: "POST" | "PATCH"; path: string; body?: unknown }) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: I) => {
      const { method, path, body } = call(input);
      return api<unknown>(method, `/crisis/crises/${crisisId}${path}`, body ?? {});
    },
    onSuccess: () => void client.invalidateQueries({ queryKey: roomKey(crisisId) }),
  });
}
