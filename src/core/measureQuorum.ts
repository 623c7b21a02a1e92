import type { ChainState, Quorum } from './chainView.ts';
import { isCounted } from './isCounted.ts';
import { isHeadOnLine } from './isHeadOnLine.ts';
import { latestHeadMoveMs } from './latestHeadMoveMs.ts';
import { toCanonicalRelation } from './toCanonicalRelation.ts';
import { toLivenessThresholds } from './toLivenessThresholds.ts';
import { toPlace } from './toPlace.ts';

/**
 * Measures the quorum behind the canonical head: the weight and count of counted nodes whose head
 * is on the canonical branch, against all counted nodes whose head the kept tree can place
 * (a node too far behind to tell is the lag detector's business). `ok` when the branch holds
 * strictly more than `params.quorum.fraction` of that weight (or no node is counted at all: then
 * nothing disagrees, and liveness speaks). Also notes when the membership may next change with
 * time alone (`quorumRecheckAtMs`).
 */
export function measureQuorum(chain: ChainState): Quorum {
  const latestMoveMs = latestHeadMoveMs(chain);
  const nowMs = chain.nowMs;
  const staleMs = toLivenessThresholds(chain.params).warningMs;
  const graceMs = chain.params.lag.graceMs;
  let recheckAtMs = latestMoveMs + staleMs > nowMs ? latestMoveMs + staleMs : Number.POSITIVE_INFINITY;
  let healthyWeight = 0;
  let healthyNodes = 0;
  let supportWeight = 0;
  let supportNodes = 0;
  let opposeNodes = 0;
  // Seen from one place (the common case) every node is of that place: the places are counted
  // without lists of them.
  const onePlace = chain.locations.length < 2;
  const supportLocations: string[] = [];
  const opposeLocations: string[] = [];
  for (const node of chain.nodes.values()) {
    const failingUntilMs = node.failingSinceMs === undefined ? 0 : node.failingSinceMs + graceMs;
    if (failingUntilMs > nowMs && failingUntilMs < recheckAtMs) recheckAtMs = failingUntilMs;
    const staleAtMs = node.headChangedAtMs + staleMs;
    if (staleAtMs > nowMs && staleAtMs < recheckAtMs) recheckAtMs = staleAtMs;
    if (!node.head || !isCounted(chain, node, latestMoveMs)) continue;
    const relation = isHeadOnLine(chain, node) || toCanonicalRelation(chain, node.head);
    if (relation === undefined) continue;
    healthyWeight += node.weight;
    healthyNodes += 1;
    if (relation) {
      supportWeight += node.weight;
      supportNodes += 1;
      if (!onePlace && !supportLocations.includes(toPlace(node))) supportLocations.push(toPlace(node));
    } else {
      opposeNodes += 1;
      if (!onePlace && !opposeLocations.includes(toPlace(node))) opposeLocations.push(toPlace(node));
    }
  }
  const verified = chain.params.pow !== undefined && chain.canonical?.chainwork !== undefined;
  const ok = verified || healthyNodes === 0 || supportWeight > chain.params.quorum.fraction * healthyWeight;
  const quorum = chain.quorum;
  quorum.ok = ok;
  quorum.verified = verified;
  quorum.supportWeight = supportWeight;
  quorum.supportNodes = supportNodes;
  quorum.supportLocations = onePlace ? Math.min(supportNodes, 1) : supportLocations.length;
  quorum.opposeLocations = onePlace ? Math.min(opposeNodes, 1) : opposeLocations.length;
  quorum.healthyWeight = healthyWeight;
  quorum.healthyNodes = healthyNodes;
  chain.quorumRecheckAtMs = recheckAtMs;
  if (ok) chain.noQuorumSinceMs = undefined;
  else chain.noQuorumSinceMs ??= nowMs;
  return quorum;
}
