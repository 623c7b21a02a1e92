import type { SimNode, SimProducer } from '../scenario.ts';

/**
 * A healthy Ethereum network of early 2024, as stake shares: validators on Geth 30%, Nethermind
 * 25%, Besu 10% and a Geth pool 35%. Geth, Nethermind and Besu nodes are watched, and so is
 * `extra`, a fourth node with no validators behind it, listed after Besu.
 */
export function toEthereumNetwork(extra: { name: string; client: string }): {
  nodes: SimNode[];
  producers: SimProducer[];
} {
  return {
    nodes: [
      { name: 'geth-1', client: 'Geth/v1.13.14', watched: true },
      { name: 'nethermind-1', client: 'Nethermind/v1.25.4', watched: true },
      { name: 'besu-1', client: 'Besu/v24.1.2', watched: true },
      { name: extra.name, client: extra.client, watched: true },
      { name: 'pool-1', client: 'Geth/v1.13.14' },
    ],
    producers: [
      { name: 'v-geth', node: 'geth-1', weight: 30 },
      { name: 'v-nethermind', node: 'nethermind-1', weight: 25 },
      { name: 'v-besu', node: 'besu-1', weight: 10 },
      { name: 'v-pool', node: 'pool-1', weight: 35 },
    ],
  };
}
