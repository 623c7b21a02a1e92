import type { NodeConfig } from '../config/parseConfig.ts';
import { createBitcoinSource } from '../sources/bitcoin/createBitcoinSource.ts';
import { createEvmSource } from '../sources/evm/createEvmSource.ts';
import type { Source } from '../sources/source.ts';

/** A node kind this build cannot watch yet. */
export class UnsupportedNodeError extends Error {
  readonly code = 'unsupported_node';
}

/** Builds the source of each configured node of `chain`. */
export function createSources(chain: string, nodes: readonly NodeConfig[]): Source[] {
  return nodes.map((node) => createSource(chain, node));
}

function createSource(chain: string, node: NodeConfig): Source {
  switch (node.kind) {
    case 'evm': {
      const parameters: Parameters<typeof createEvmSource>[0] = { chain, node: node.name, url: node.url };
      if (node.pollIntervalMs !== undefined) parameters.pollIntervalMs = node.pollIntervalMs;
      if (node.requestTimeoutMs !== undefined) parameters.requestTimeoutMs = node.requestTimeoutMs;
      return createEvmSource(parameters);
    }
    case 'bitcoin': {
      const parameters: Parameters<typeof createBitcoinSource>[0] = {
        chain,
        node: node.name,
        url: node.url,
      };
      if (node.username !== undefined) parameters.username = node.username;
      if (node.password !== undefined) parameters.password = node.password;
      if (node.pollIntervalMs !== undefined) parameters.pollIntervalMs = node.pollIntervalMs;
      if (node.requestTimeoutMs !== undefined) parameters.requestTimeoutMs = node.requestTimeoutMs;
      return createBitcoinSource(parameters);
    }
    case 'beacon':
      throw new UnsupportedNodeError(
        `node ${node.name}: Beacon API nodes cannot be watched by this version; watch execution nodes (kind evm) or Bitcoin-style nodes`,
      );
  }
}
