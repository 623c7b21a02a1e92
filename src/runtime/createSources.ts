import type { NodeConfig } from '../config/parseConfig.ts';
import { createBeaconSource } from '../sources/beacon/createBeaconSource.ts';
import { createBitcoinSource } from '../sources/bitcoin/createBitcoinSource.ts';
import { createEvmSource } from '../sources/evm/createEvmSource.ts';
import type { Source } from '../sources/source.ts';

/** Builds the source of each configured node of `chain`. */
export function createSources(chain: string, nodes: readonly NodeConfig[]): Source[] {
  return nodes.map((node) => createSource(chain, node));
}

function createSource(chain: string, node: NodeConfig): Source {
  const common: {
    chain: string;
    node: string;
    url: string;
    pollIntervalMs?: number;
    requestTimeoutMs?: number;
  } = {
    chain,
    node: node.name,
    url: node.url,
  };
  if (node.pollIntervalMs !== undefined) common.pollIntervalMs = node.pollIntervalMs;
  if (node.requestTimeoutMs !== undefined) common.requestTimeoutMs = node.requestTimeoutMs;
  switch (node.kind) {
    case 'evm':
      return createEvmSource(common);
    case 'beacon':
      return createBeaconSource(
        node.trustedCheckpointRoot === undefined
          ? common
          : { ...common, trustedCheckpointRoot: node.trustedCheckpointRoot },
      );
    case 'bitcoin': {
      const parameters: Parameters<typeof createBitcoinSource>[0] = { ...common };
      if (node.username !== undefined) parameters.username = node.username;
      if (node.password !== undefined) parameters.password = node.password;
      if (node.pow !== undefined) parameters.pow = node.pow;
      return createBitcoinSource(parameters);
    }
  }
}
