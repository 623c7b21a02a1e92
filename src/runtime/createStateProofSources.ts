import type { NodeConfig } from '../config/parseConfig.ts';
import type { StateProofConfig } from '../config/toStateProofConfig.ts';
import { type ChainState, isCanonicalBacked } from '../core/chainView.ts';
import {
  type CreateStateProofSourceParameters,
  createStateProofSource,
} from '../sources/evm/createStateProofSource.ts';
import type { Source } from '../sources/source.ts';
import type { StateProofBook } from './createStateProofBook.ts';

export type CreateStateProofSourcesParameters = {
  chain: string;
  nodes: readonly NodeConfig[];
  config: StateProofConfig;
  /** Where verified values and failures go. */
  book: StateProofBook;
  /** The engine's view of the chain now (the service's committed state). */
  getChain(): ChainState | undefined;
};

/**
 * One state-proof source per EVM node of `chain`, each proving the configured accounts at the block
 * the quorum agrees on: the engine's canonical head while `isCanonicalBacked` holds (the canonical
 * line has stood on a backed, corroborated quorum), nothing while it does not. That block never
 * comes from the node checked; a node that holds another block at that height is skipped.
 */
export function createStateProofSources(parameters: CreateStateProofSourcesParameters): Source[] {
  const { chain, config, book } = parameters;
  const getAgreedBlock = () => {
    const view = parameters.getChain();
    if (!view?.canonical || !isCanonicalBacked(view)) return undefined;
    return { number: view.canonical.number, hash: view.canonical.hash };
  };
  return parameters.nodes
    .filter((node) => node.kind === 'evm')
    .map((node) => {
      const source: CreateStateProofSourceParameters = {
        chain,
        node: node.name,
        url: node.url,
        accounts: config.accounts.map((a) => ({ address: a.address, slots: a.slots })),
        getAgreedBlock,
        onVerified: book.record,
        onFailed: book.fail,
        pollIntervalMs: config.intervalMs,
      };
      if (node.requestTimeoutMs !== undefined) source.requestTimeoutMs = node.requestTimeoutMs;
      return createStateProofSource(source);
    });
}
