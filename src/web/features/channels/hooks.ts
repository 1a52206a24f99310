import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import type { Channel, NetworkInfo } from "../../api/types";
import { useCan } from "../../app/session";

export const CHANNELS_KEY = ["channels"] as const;
export const NETWORKS_KEY = ["networks"] as const;

/** The workspace's connected channels with their health. */
export function useChannels() {
  const allowed = useCan("channels.read");
  return useQuery({
    queryKey: CHANNELS_KEY,
    queryFn: () => api<{ channels: Channel[] }>("GET", "/channels").then((r) => r.channels),
    enabled: allowed,
  });
}

/** The networks this server can connect channels to. */
export function useNetworks() {
  const allowed = useCan("channels.read");
  return useQuery({
    queryKey: NETWORKS_KEY,
    queryFn: () => api<{ networks: NetworkInfo[] }>("GET", "/networks").then((r) => r.networks),
    enabled: allowed,
    staleTime: 5 * 60_000,
  });
}

/** How a channel is doing, in one word for its badge. */
export type ChannelHealth = "working" | "problem" | "expired" | "needs_reconnect";

export function healthOf(channel: Channel): ChannelHealth {
  if (channel.status === "needs_reconnect") return "needs_reconnect";
  if (!channel.health.tokenValid) return "expired";
  const { lastErrorAt, lastSuccessAt } = channel.health;
  if (lastErrorAt && (!lastSuccessAt || lastErrorAt > lastSuccessAt)) return "problem";
  return "working";
}
