import type { NodeConfig } from '../config/parseConfig.ts';
import { type Logger, silentLogger } from '../log/createLogger.ts';
import { createBeaconSource } from '../sources/beacon/createBeaconSource.ts';
import { createBitcoinSource } from '../sources/bitcoin/createBitcoinSource.ts';
import { createEvmSource } from '../sources/evm/createEvmSource.ts';
import type { Source } from '../sources/source.ts';

/** Builds the source of each configured node of `chain`; each logs through a child of `logger`
 * with `component: 'source'`, its chain and its node. */
export function createSources(
  chain: string,
  nodes: readonly NodeConfig[],
  logger: Logger = silentLogger,
): Source[] {
  return nodes.map((node) => createSource(chain, node, logger));
}

function createSource(chain: string, node: NodeConfig, logger: Logger): Source {
  const common: {
    chain: string;
    node: string;
    url: string;
    pollIntervalMs?: number;
    requestTimeoutMs?: number;
    logger: Logger;
  } = {
    chain,
    node: node.name,
    url: node.url,
    logger: logger.child({ component: 'source', chain, node: node.name }),
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
