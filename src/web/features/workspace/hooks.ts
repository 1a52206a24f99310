import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import type { Me, Workspace } from "../../api/types";
import { ME_KEY } from "../../app/session";

/** Changes the current workspace's name or MFA requirement (PATCH /workspace) and refreshes who-am-I. */
export function useUpdateWorkspace() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: { name?: string; requireMfa?: boolean }) => api<Workspace>("PATCH", "/workspace", changes),
    onSuccess: (workspace) => {
      queryClient.setQueryData<Me | null>(ME_KEY, (old) =>
        old
          ? {
              ...old,
              workspace,
              workspaces: old.workspaces.map((w) => (w.id === workspace.id ? { ...w, name: workspace.name } : w)),
            }
          : old,
      );
      void queryClient.invalidateQueries({ queryKey: ME_KEY });
    },
  });
}
