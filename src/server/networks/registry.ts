import { AppError } from "../errors";
import type { Connector, NetworkId } from "./types";

/**
 * The connectors this process can use, by network. Services hold one; tests register their peer, the server
 * registers the networks it ships with. Generic code asks here and then asks the connector's `capabilities`.
 */
export type NetworkRegistry = {
  /** The connector for `network`; `network_unknown` (422) when this server has none. */
  connectorFor(network: NetworkId): Connector;
  /** Every network a channel can be connected to here, in the order registered. */
  availableNetworks(): Connector[];
  /** The network's name for people ("Mastodon"); the id itself for a network this server has no connector for. */
  displayNameOf(network: NetworkId): string;
  /** Adds (or replaces) the connector for its network. */
  register(connector: Connector): void;
};

export const networkUnknown = (network: string) =>
  new AppError("network_unknown", 422, `This server cannot connect to the network "${network}"`, { network: ["Choose one of the available networks"] });

export function createNetworkRegistry(connectors: Connector[] = []): NetworkRegistry {
  const byNetwork = new Map<NetworkId, Connector>();
  const registry: NetworkRegistry = {
    connectorFor(network) {
      const connector = byNetwork.get(network);
      if (!connector) throw networkUnknown(network);
      return connector;
    },
    availableNetworks: () => [...byNetwork.values()],
    displayNameOf: (network) => byNetwork.get(network)?.displayName ?? network,
    register(connector) {
      byNetwork.set(connector.network, connector);
    },
  };
  for (const connector of connectors) registry.register(connector);
  return registry;
}
