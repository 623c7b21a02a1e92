import {
  type Block,
  type ChainState,
  chooseCanonical,
  isAncestorOrSelf,
  isCanonicalBacked,
  isHeadOnLine,
  isHealthy,
  isOnCanonicalBranch,
  measureQuorum,
  type NodeView,
  prune,
  setCanonical,
} from '../core/chainView.ts';
import type { Signal } from '../core/signal.ts';
import { clearCondition } from '../detectors/conditions.ts';
import { detectDivergence } from '../detectors/divergence.ts';
import { detectForeignChain } from '../detectors/integrity.ts';
import { detectQuorum } from '../detectors/quorum.ts';
import { detectReorg } from '../detectors/reorg.ts';
import { pushIf } from './pushIf.ts';

const NO_BACKERS = { nodes: 0, locations: 0 };

export function updateCanonical(
  chain: ChainState,
  signals: Signal[],
  moved?: NodeView,
  previous?: Block,
): boolean {
  const old = chain.canonical;
  const next = fastCanonical(chain, moved, previous) ?? chooseCanonical(chain);
  if (!next || next === old) {
    measureQuorum(chain);
    pushIf(signals, detectQuorum(chain));
    detectNodes(chain, signals);
    return false;
  }
  let reorganized = false;
  if (!old) {
    chain.canonicalAdvancedAtMs = chain.nowMs;
  } else if (isAncestorOrSelf(chain, old, next) !== false) {
    if (next.number > old.number) chain.canonicalAdvancedAtMs = chain.nowMs;
  } else if (isAncestorOrSelf(chain, next, old) !== true) {
    // Neither an extension nor a step back along the same line: the canonical chain reorganized.
    reorganized = true;
    chain.canonicalAdvancedAtMs = chain.nowMs;
  }
  const wasBacked = chain.lineBacked;
  setCanonical(chain, next);
  measureQuorum(chain);
  if (old && reorganized) {
    signals.push(
      detectReorg(chain, 'chain', old, next, chain.nowMs, undefined, wasBacked ? undefined : NO_BACKERS),
    );
    chain.lineBacked = false;
  }
  chain.lineBacked ||= isCanonicalBacked(chain);
  pushIf(signals, detectQuorum(chain));
  detectNodes(chain, signals);
  prune(chain);
  return true;
}

/** Per node, against the canonical branch: a foreign chain, else a divergence. */
function detectNodes(chain: ChainState, signals: Signal[]): void {
  for (const node of chain.nodes.values()) {
    if (isHeadOnLine(chain, node)) {
      // On the canonical line: neither foreign nor diverged, as the checks below find it.
      if (node.foreign) node.foreign = false;
      node.divergedSinceMs = undefined;
      clearCondition(chain, node.keys.divergence);
      continue;
    }
    const foreign = detectForeignChain(chain, node);
    if (foreign) {
      signals.push(foreign);
      node.foreign = true;
      node.divergedSinceMs = undefined;
      chain.conditions.delete(node.keys.divergence);
      continue;
    }
    if (node.foreign) {
      if (!node.head || !isOnCanonicalBranch(chain, node.head)) continue;
      node.foreign = false;
    }
    pushIf(signals, detectDivergence(chain, node));
  }
}

/**
 * The common cases decided without a full choice: a healthy node moving from the canonical head
 * to its child extends the canonical line; a node catching up to the canonical head leaves it.
 */
function fastCanonical(chain: ChainState, moved?: NodeView, previous?: Block): Block | undefined {
  const old = chain.canonical;
  const head = moved?.head;
  if (!old || !head || !moved || !isHealthy(chain, moved)) return undefined;
  if (head === old) return old;
  if (previous === old && head.parentHash === old.hash) return head;
  return undefined;
}
