import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import type { Invitation, Member } from "../../api/types";
import { useCan } from "../../app/session";

export const MEMBERS_KEY = ["workspace", "members"] as const;
export const INVITATIONS_KEY = ["workspace", "invitations"] as const;

/** The current workspace's members (only asked when the person may read them). */
export function useMembers() {
  const allowed = useCan("members.read");
  return useQuery({
    queryKey: MEMBERS_KEY,
    queryFn: () => api<{ members: Member[] }>("GET", "/workspace/members").then((r) => r.members),
    enabled: allowed,
  });
}

/** Invitations sent from the current workspace. */
export function useInvitations() {
  const allowed = useCan("members.read");
  return useQuery({
    queryKey: INVITATIONS_KEY,
    queryFn: () => api<{ invitations: Invitation[] }>("GET", "/workspace/invitations").then((r) => r.invitations),
    enabled: allowed,
  });
}
