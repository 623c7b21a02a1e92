import type { ChainState } from './chainView.ts';

/**
 * Whether backers seen from `locations` distinct watcher locations are enough: on a chain watched
 * from several locations, at least `params.quorum.minLocations` of them (0: a majority of the
 * locations seen). Always true on a chain watched from one place.
 */
export function isSeenWidely(chain: ChainState, locations: number): boolean {
  const seen = chain.locations.length;
  if (seen < 2) return true;
  const needed =
    chain.params.quorum.minLocations > 0 ? chain.params.quorum.minLocations : Math.floor(seen / 2) + 1;
  return locations >= Math.min(needed, seen);
}
