import type { ChainState } from './chainView.ts';

/**
 * Whether `backers` nodes are enough to back a claim on this chain: at least
 * `params.quorum.minNodes`, or every node the chain knows when it knows fewer.
 */
export function isCorroborated(chain: ChainState, backers: number): boolean {
  return backers >= Math.min(chain.params.quorum.minNodes, Math.max(chain.nodes.size, chain.configuredNodes));
}
