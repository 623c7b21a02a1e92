import type { ChainState } from '../../core/chainView.ts';
import type { Signal } from '../../core/signal.ts';
import type { LedgerFact } from './ledgerTypes.ts';

export type ToLedgerFactsParameters = {
  /** The engine's view of the chain after the step (`state.chains.get(name)`). */
  chain: ChainState;
  /** Signals of the step. */
  signals: readonly Signal[];
  atMs: number;
  /** The head and finalized checkpoint already passed on, to emit only changes. */
  last?: { head?: string; finalized?: string };
};

/**
 * The engine's canonical chain updates as ledger facts, in the order the ledger needs them:
 * chain-scope reorgs of this chain first, then the canonical head and the finalized checkpoint
 * (when they differ from `last`). A checkpoint without a block number is skipped.
 */
export function toLedgerFacts(parameters: ToLedgerFactsParameters): LedgerFact[] {
  const { chain, atMs } = parameters;
  const facts: LedgerFact[] = [];
  for (const signal of parameters.signals) {
    if (signal.kind !== 'reorg' || signal.scope !== 'chain' || signal.chain !== chain.name) continue;
    facts.push({
      type: 'reorg',
      chain: chain.name,
      atMs: signal.atMs,
      depth: signal.depth,
      commonAncestor: signal.commonAncestor,
      oldHead: signal.oldHead,
      newHead: signal.newHead,
      replaced: [...signal.replaced],
      finalizedReverted: signal.finalizedReverted,
    });
  }
  const head = chain.canonical;
  if (head && head.hash !== parameters.last?.head) {
    facts.push({ type: 'head', chain: chain.name, atMs, head: { number: head.number, hash: head.hash } });
  }
  const finalized = chain.finalized;
  if (finalized?.number !== undefined && finalized.hash !== parameters.last?.finalized) {
    facts.push({
      type: 'finalized',
      chain: chain.name,
      atMs,
      checkpoint: { number: finalized.number, hash: finalized.hash },
    });
  }
  return facts;
}
