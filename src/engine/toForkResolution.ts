import {
  type Block,
  type ChainState,
  findCommonAncestor,
  isAncestorOrSelf,
  isCanonical,
  isCounted,
  latestHeadMoveMs,
  type NodeView,
  toBlockRef,
} from '../core/chainView.ts';
import type { Hash } from '../core/observation.ts';
import type { BlockRef } from '../core/signal.ts';
import type { EngineState } from './step.ts';

/** One branch that nodes follow: its leaf head and the counted nodes on it. */
export type ForkBranch = {
  head: BlockRef;
  nodes: string[];
  /** Client implementations of those nodes, when known. */
  clients: string[];
  /** Sum of the nodes' weights. */
  weight: number;
  /** Verified chainwork of the head (proof-of-work chains whose sources verify it). */
  chainwork?: bigint;
  /** The highest finalized and justified checkpoints that nodes of this branch report. */
  finalized?: BlockRef;
  justified?: BlockRef;
  /** Whether the head is the engine's canonical head or on its line. */
  canonical: boolean;
};

/**
 * What decided, in the documented order: `finality_conflict` (two finalized histories: a safety
 * hold), `verified` (nodes caught by a cryptographic or integrity check), `finalized`, `justified`,
 * `chainwork`, `weight` (node weight); `none` when the nodes agree.
 */
export type ResolutionBasis =
  | 'none'
  | 'finality_conflict'
  | 'verified'
  | 'finalized'
  | 'justified'
  | 'chainwork'
  | 'weight';

/** An execution of the settlement ledger, as far as the resolution needs it. */
export type ResolutionExecution = { id: string; chain: string; blockNumber: bigint; blockHash: Hash };

export type ForkResolution = {
  chain: string;
  /**
   * `agreed`: one branch, nothing to do; `follow`: follow `winner`, drain the others;
   * `safety_hold`: finalized histories conflict, hold settlement until a human decides;
   * `unknown`: no node to judge.
   */
  status: 'agreed' | 'follow' | 'safety_hold' | 'unknown';
  basis: ResolutionBasis;
  /** One line: why this branch. */
  reason: string;
  winner?: ForkBranch;
  losers: ForkBranch[];
  /** Nodes to take out of service until they are back on the winning branch. */
  drain: string[];
  /** Records at or above this height that came from a losing branch must be rolled back. */
  rollbackHeight?: bigint;
  /** Executions in blocks that are not on the winning branch: to invalidate or re-include. */
  executions: ResolutionExecution[];
  /** The condition for resuming. */
  resume: string;
};

/**
 * Recommends which branch to follow when the nodes of `chainName` disagree, and what to undo. Pure:
 * a read of the engine state, which it does not change. The order, first decisive rule wins:
 *
 * 1. conflicting finalized checkpoints (the `divergence` safety condition, or a reorg that reverted
 *    a finalized block): a safety hold and a human decision, no branch is recommended;
 * 2. verified evidence: nodes that failed an integrity check (proof of work, light client, state
 *    proof, header hash, foreign chain) are drained and their branches dropped;
 * 3. the branch holding the highest finalized checkpoint that the others do not contain;
 * 4. the same with justified checkpoints;
 * 5. on a chain with `params.pow`, the most verified chainwork (attesting stake is not observed
 *    by the engine, so proof-of-stake chains go on to node weight);
 * 6. node weight (ties: the canonical branch).
 *
 * `executions` (the settlement ledger's) in blocks at or above the rollback height that are not on
 * the winning branch are listed.
 */
export function toForkResolution(
  state: EngineState,
  chainName: string,
  executions: readonly ResolutionExecution[] = [],
): ForkResolution {
  const chain = state.chains.get(chainName);
  const resume = toResumeText(state);
  if (!chain)
    return {
      chain: chainName,
      status: 'unknown',
      basis: 'none',
      reason: 'no observation of this chain yet',
      losers: [],
      drain: [],
      executions: [],
      resume,
    };
  const failed = [...chain.nodes.values()].filter(
    (n) => n.integrityFailedAtMs !== undefined || n.foreign === true,
  );
  const branches = toBranches(chain);
  const safety = [...chain.conditions.entries()].find(
    ([key, s]) => key.startsWith('divergence:finalized:') && s.severity === 'safety',
  );
  const reverted = chain.holds.find((h) => h.signal.kind === 'reorg' && h.signal.finalizedReverted);
  if (safety || reverted) {
    return {
      chain: chain.name,
      status: 'safety_hold',
      basis: 'finality_conflict',
      reason: `${(safety?.[1] ?? reverted?.signal)?.message ?? 'finalized histories conflict'}: two histories are final; no branch can be followed without a human decision`,
      losers: branches,
      drain: [],
      executions: [],
      resume:
        'an operator decides which finalized history the venue recognizes and resumes the breaker by hand (manual override); automatic recovery is not enough',
    };
  }
  if (branches.length === 0)
    return {
      chain: chain.name,
      status: 'unknown',
      basis: 'none',
      reason: 'no counted node has a head',
      losers: [],
      drain: failed.map((n) => n.name),
      executions: [],
      resume,
    };
  const ranked = rank(chain, branches);
  const winner = ranked.winner;
  const losers = branches.filter((b) => b !== winner);
  const drain = [...new Set([...failed.map((n) => n.name), ...losers.flatMap((b) => b.nodes)])].sort();
  if (losers.length === 0 && failed.length === 0) {
    return {
      chain: chain.name,
      status: 'agreed',
      basis: 'none',
      reason: 'every counted node follows one branch',
      winner,
      losers,
      drain,
      executions: [],
      resume,
    };
  }
  const winnerBlock = chain.blocks.get(winner.head.hash);
  let rollbackHeight: bigint | undefined;
  for (const loser of losers) {
    const loserBlock = chain.blocks.get(loser.head.hash);
    const ancestor =
      winnerBlock && loserBlock ? findCommonAncestor(chain, winnerBlock, loserBlock) : undefined;
    const fork = ancestor ? ancestor.number + 1n : minBig(loser.head.number, winner.head.number);
    if (rollbackHeight === undefined || fork < rollbackHeight) rollbackHeight = fork;
  }
  // Without a losing branch (only failed nodes), records from what those nodes alone served go.
  const onLosing = executions.filter(
    (e) =>
      e.chain === chain.name &&
      rollbackHeight !== undefined &&
      e.blockNumber >= rollbackHeight &&
      !isOnBranch(chain, winnerBlock, e),
  );
  const result: ForkResolution = {
    chain: chain.name,
    status: 'follow',
    basis: failed.length > 0 && ranked.basis === 'weight' && losers.length === 0 ? 'verified' : ranked.basis,
    reason: ranked.reason,
    winner,
    losers,
    drain,
    executions: onLosing,
    resume: `${drain.length > 0 ? `the drained nodes (${drain.join(', ')}) follow ${winner.head.hash.slice(0, 10)} at ${winner.head.number} or are removed, ` : ''}the divergence and integrity conditions clear, then the breaker's recovery path: ${resume}`,
  };
  if (failed.length > 0 && losers.length === 0)
    result.reason = `nodes failed verification (${failed.map((n) => n.name).join(', ')}); the remaining nodes agree`;
  if (rollbackHeight !== undefined) result.rollbackHeight = rollbackHeight;
  return result;
}

function toResumeText(state: EngineState): string {
  return `${state.recovery.healthyEvaluations} consecutive healthy evaluations and ${state.recovery.graceMs} ms`;
}

/** Counted nodes grouped by branch: nodes whose heads lie on one line share the highest head. */
function toBranches(chain: ChainState): ForkBranch[] {
  const latest = latestHeadMoveMs(chain);
  const nodes = [...chain.nodes.values()].filter(
    (n): n is NodeView & { head: Block } =>
      n.head !== undefined && isCounted(chain, n, latest) && n.foreign !== true,
  );
  nodes.sort((a, b) => (a.head.number === b.head.number ? 0 : a.head.number > b.head.number ? -1 : 1));
  const groups: Array<{ head: Block; members: NodeView[] }> = [];
  for (const node of nodes) {
    const group = groups.find((g) => isAncestorOrSelf(chain, node.head, g.head) === true);
    if (group) group.members.push(node);
    else groups.push({ head: node.head, members: [node] });
  }
  return groups.map(({ head, members }) => {
    const branch: ForkBranch = {
      head: toBlockRef(head),
      nodes: members.map((n) => n.name).sort(),
      clients: [...new Set(members.flatMap((n) => (n.client === undefined ? [] : [n.client])))].sort(),
      weight: members.reduce((sum, n) => sum + n.weight, 0),
      canonical:
        isCanonical(chain, head) ||
        (chain.canonical !== undefined && isAncestorOrSelf(chain, chain.canonical, head) === true),
    };
    if (head.chainwork !== undefined) branch.chainwork = head.chainwork;
    for (const kind of ['finalized', 'justified'] as const) {
      let best: BlockRef | undefined;
      for (const n of members) {
        const cp = n.checkpoints[kind];
        if (cp?.number !== undefined && (best === undefined || cp.number > best.number))
          best = { number: cp.number, hash: cp.hash };
      }
      if (best) branch[kind] = best;
    }
    return branch;
  });
}

function rank(
  chain: ChainState,
  branches: ForkBranch[],
): { winner: ForkBranch; basis: ResolutionBasis; reason: string } {
  if (branches.length === 1) return { winner: branches[0]!, basis: 'none', reason: 'one branch' };
  for (const kind of ['finalized', 'justified'] as const) {
    // A branch whose checkpoint another branch does not contain outranks that branch.
    const holders = branches.filter((b) => b[kind] !== undefined);
    const top = holders.sort((a, b) =>
      a[kind]!.number === b[kind]!.number ? 0 : a[kind]!.number > b[kind]!.number ? -1 : 1,
    )[0];
    if (!top) continue;
    const block = chain.blocks.get(top[kind]!.hash);
    const excluded = branches.filter((b) => {
      const head = chain.blocks.get(b.head.hash);
      return (
        b !== top &&
        block !== undefined &&
        head !== undefined &&
        isAncestorOrSelf(chain, block, head) === false
      );
    });
    if (excluded.length === branches.length - 1) {
      return {
        winner: top,
        basis: kind,
        reason: `its nodes ${kind === 'finalized' ? 'finalized' : 'justified'} block ${top[kind]!.number} ${top[kind]!.hash.slice(0, 10)}, which the other branches do not contain`,
      };
    }
  }
  if (chain.params.pow !== undefined) {
    const sorted = [...branches].sort((a, b) => compareBig(b.chainwork ?? -1n, a.chainwork ?? -1n));
    if (sorted[0]!.chainwork !== undefined && sorted[0]!.chainwork !== sorted[1]!.chainwork) {
      return {
        winner: sorted[0]!,
        basis: 'chainwork',
        reason: `the most verified chainwork: 0x${sorted[0]!.chainwork.toString(16)} against 0x${(sorted[1]!.chainwork ?? 0n).toString(16)}`,
      };
    }
  }
  const sorted = [...branches].sort(
    (a, b) => b.weight - a.weight || Number(b.canonical) - Number(a.canonical),
  );
  return {
    winner: sorted[0]!,
    basis: 'weight',
    reason: `the most node weight: ${sorted[0]!.weight} of ${branches.reduce((s, b) => s + b.weight, 0)} (${sorted[0]!.nodes.join(', ')})`,
  };
}

function isOnBranch(chain: ChainState, head: Block | undefined, e: ResolutionExecution): boolean {
  if (!head || e.blockNumber > head.number) return false;
  const block = chain.blocks.get(e.blockHash);
  return block !== undefined && isAncestorOrSelf(chain, block, head) === true;
}

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function compareBig(a: bigint, b: bigint): number {
  return a === b ? 0 : a > b ? 1 : -1;
}
