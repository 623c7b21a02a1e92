import type { Hash } from '../../core/observation.ts';
import { SourceError } from '../source.ts';
import type { VerifiedBlock } from './toVerifiedBlock.ts';

export type FetchAncestorsParameters = {
  block: VerifiedBlock;
  /** Most ancestors fetched. */
  limit: number;
  isKnown: (hash: Hash) => boolean;
  isStopped: () => boolean;
  /** `eth_getBlockByHash` of a parent; undefined when the node does not have it. */
  fetchBlockByHash: (hash: Hash) => Promise<VerifiedBlock | undefined>;
  /** The node's URL, redacted, for the message of a wrong parent. */
  rpcUrl: string;
  /** Receives the error that ended the walk: a failed request, or an `integrity` error when the
   * node answers another block than the parent asked for. */
  onError: (error: unknown) => void;
};

/**
 * The parent-hash walk-back: the unknown ancestors of `block`, lowest first, fetched one by one
 * until a known block, genesis, `limit` ancestors, a stop or an error.
 */
export async function fetchAncestors(parameters: FetchAncestorsParameters): Promise<VerifiedBlock[]> {
  const { limit, isKnown, isStopped, onError } = parameters;
  const ancestors: VerifiedBlock[] = [];
  let cursor = parameters.block;
  while (!isKnown(cursor.parentHash) && cursor.number > 0n && ancestors.length < limit && !isStopped()) {
    let parent: VerifiedBlock | undefined;
    try {
      parent = await parameters.fetchBlockByHash(cursor.parentHash);
    } catch (error) {
      onError(error);
      break;
    }
    if (!parent) break;
    if (parent.hash !== cursor.parentHash || parent.number !== cursor.number - 1n) {
      onError(
        new SourceError({
          code: 'integrity',
          shortMessage: `eth_getBlockByHash to ${parameters.rpcUrl}: asked for 0x${cursor.parentHash} (parent of block ${cursor.number}), got block ${parent.number} 0x${parent.hash}`,
        }),
      );
      break;
    }
    ancestors.unshift(parent);
    cursor = parent;
  }
  return ancestors;
}
