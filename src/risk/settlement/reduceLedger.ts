import { toHash } from '../../core/observation.ts';
import type { BlockRef } from '../../core/signal.ts';
import { RiskError } from '../contagion/riskError.ts';
import type {
  ChainLedger,
  Execution,
  ExecutionInput,
  ExecutionStatus,
  LedgerEvent,
  LedgerFact,
  LedgerState,
  ReorgCause,
  SettlementPolicy,
  StatusChange,
} from './ledgerTypes.ts';

/**
 * Default policy: 12 confirmations, final at the finalized checkpoint, invalidated 64 blocks after
 * the reorg that orphaned it. Chains without finality need a `depth` policy (e.g. 6 for Bitcoin).
 */
export const DEFAULT_SETTLEMENT_POLICY: SettlementPolicy = Object.freeze({
  confirmations: 12,
  finality: Object.freeze({ kind: 'checkpoint' as const }),
  invalidateAfterBlocks: 64,
});

export type CreateLedgerStateParameters = {
  /** Policy per chain; chains not listed take `defaultPolicy`. */
  policies?: Readonly<Record<string, SettlementPolicy>>;
  defaultPolicy?: SettlementPolicy;
};

export function createLedgerState(parameters: CreateLedgerStateParameters = {}): LedgerState {
  const policies = parameters.policies ?? {};
  const defaultPolicy = parameters.defaultPolicy ?? DEFAULT_SETTLEMENT_POLICY;
  for (const [chain, policy] of [...Object.entries(policies), ['(default)', defaultPolicy] as const]) {
    assertPolicy(policy, chain);
  }
  return {
    policies,
    defaultPolicy,
    executions: new Map(),
    openByChain: new Map(),
    chains: new Map(),
    settlements: [],
    facts: 0,
  };
}

function assertPolicy(policy: SettlementPolicy, chain: string): void {
  const ok =
    Number.isInteger(policy.confirmations) &&
    policy.confirmations >= 1 &&
    Number.isInteger(policy.invalidateAfterBlocks) &&
    policy.invalidateAfterBlocks >= 1 &&
    (policy.finality.kind === 'checkpoint' ||
      (Number.isInteger(policy.finality.blocks) && policy.finality.blocks >= policy.confirmations)) &&
    (policy.invalidateAfterMs === undefined || policy.invalidateAfterMs > 0);
  if (!ok) {
    throw new RiskError(
      'invalid_input',
      `settlement policy of ${chain}: confirmations and invalidateAfterBlocks must be integers >= 1, a depth finality at least the confirmations, invalidateAfterMs > 0`,
      { field: `policies.${chain}`, value: policy },
    );
  }
}

export type ReduceLedgerReturnType = { state: LedgerState; events: LedgerEvent[] };

const LIVE: ReadonlySet<ExecutionStatus> = new Set(['included', 'confirmed', 'reincluded']);

/**
 * The ledger as a reducer: `reduceLedger(state, fact) -> { state, events }`. It reads no clock:
 * time arrives on the facts. Like the engine it updates `state` in place and returns it.
 *
 * - `execution`: records a trade or liquidation as `included` (then checks depth and finality);
 * - `head`: moves `included`/`reincluded` executions `confirmations` deep to `confirmed`, to
 *   `final` under a depth policy, and `orphaned` ones past the invalidation policy to
 *   `invalidated`;
 * - `finalized`: executions at or below the checkpoint become `final` (checkpoint policy);
 * - `reorg`: executions in a replaced block become `orphaned`, with the reorg as cause;
 * - `block_txs`: an orphaned execution whose transaction is in the block becomes `reincluded` in
 *   it; a live execution at the block's height in another block, whose transaction is not in it,
 *   becomes `orphaned` (a reorg the ledger was not told about).
 *
 * Every execution that becomes `final` settles once: a `settled` event and a `Settlement`.
 *
 * @throws {RiskError} `ledger_conflict` when an id is recorded twice with other contents.
 */
export function reduceLedger(state: LedgerState, fact: LedgerFact): ReduceLedgerReturnType {
  state.facts += 1;
  const events: LedgerEvent[] = [];
  switch (fact.type) {
    case 'execution':
      recordExecution(state, fact.execution, fact.atMs, events);
      break;
    case 'head': {
      const chain = chainOf(state, fact.chain);
      chain.head = normalizeRef(fact.head);
      advance(state, fact.chain, fact.atMs, events);
      break;
    }
    case 'finalized': {
      const chain = chainOf(state, fact.chain);
      if (!chain.finalized || fact.checkpoint.number >= chain.finalized.number) {
        chain.finalized = normalizeRef(fact.checkpoint);
      }
      advance(state, fact.chain, fact.atMs, events);
      break;
    }
    case 'reorg':
      applyReorg(state, fact, events);
      break;
    case 'block_txs':
      applyBlockTxs(state, fact, events);
      advance(state, fact.chain, fact.atMs, events);
      break;
  }
  return { state, events };
}

function normalizeRef(ref: BlockRef): BlockRef {
  return { number: ref.number, hash: toHash(ref.hash) };
}

function chainOf(state: LedgerState, name: string): ChainLedger {
  let chain = state.chains.get(name);
  if (!chain) {
    chain = {};
    state.chains.set(name, chain);
  }
  return chain;
}

function policyOf(state: LedgerState, chain: string): SettlementPolicy {
  return state.policies[chain] ?? state.defaultPolicy;
}

function setStatus(
  state: LedgerState,
  execution: Execution,
  status: ExecutionStatus,
  change: Omit<StatusChange, 'status'>,
  events: LedgerEvent[],
): void {
  const from = execution.status;
  const full: StatusChange = { status, ...change };
  execution.status = status;
  const open = state.openByChain.get(execution.chain);
  if (status === 'final' || status === 'invalidated') open?.delete(execution.id);
  else if (open) open.add(execution.id);
  else state.openByChain.set(execution.chain, new Set([execution.id]));
  execution.history.push(full);
  events.push({ type: 'status', executionId: execution.id, from, to: status, change: full });
}

function recordExecution(
  state: LedgerState,
  input: ExecutionInput,
  atMs: number,
  events: LedgerEvent[],
): void {
  const block = { number: input.blockNumber, hash: toHash(input.blockHash) };
  const txHash = toHash(input.txHash);
  const known = state.executions.get(input.id);
  if (known) {
    const same =
      known.txHash === txHash &&
      known.recordedBlock.hash === block.hash &&
      known.recordedBlock.number === block.number &&
      known.chain === input.chain;
    if (same) return;
    throw new RiskError(
      'ledger_conflict',
      `execution "${input.id}" was recorded before with other contents`,
      {
        field: 'execution.id',
        value: input.id,
      },
    );
  }
  const execution: Execution = {
    id: input.id,
    kind: input.kind,
    account: input.account,
    chain: input.chain,
    txHash,
    block,
    recordedBlock: block,
    payoutUsd: input.payoutUsd ?? 0,
    marginReleaseUsd: input.marginReleaseUsd ?? 0,
    status: 'included',
    history: [],
    reorgs: [],
    settled: false,
  };
  state.executions.set(execution.id, execution);
  const open = state.openByChain.get(input.chain);
  if (open) open.add(execution.id);
  else state.openByChain.set(input.chain, new Set([execution.id]));
  execution.history.push({ status: 'included', atMs, block });
  events.push({
    type: 'status',
    executionId: execution.id,
    from: 'new',
    to: 'included',
    change: execution.history[0]!,
  });
  advance(state, input.chain, atMs, events);
}

/** Open executions of a chain; with `all`, every execution of the chain (final ones too). */
function* executionsOf(state: LedgerState, chain: string, all = false): Generator<Execution> {
  if (all) {
    for (const execution of state.executions.values()) if (execution.chain === chain) yield execution;
    return;
  }
  for (const id of state.openByChain.get(chain) ?? []) {
    const execution = state.executions.get(id);
    if (execution) yield execution;
  }
}

/** Confirmation, finality, invalidation and settlement after the chain's head or checkpoint moved. */
function advance(state: LedgerState, chainName: string, atMs: number, events: LedgerEvent[]): void {
  const chain = state.chains.get(chainName);
  if (!chain) return;
  const policy = policyOf(state, chainName);
  for (const execution of executionsOf(state, chainName)) {
    if (execution.status === 'orphaned') {
      const blocksPast =
        chain.head && execution.orphanedAtHead !== undefined
          ? chain.head.number - execution.orphanedAtHead
          : 0n;
      const msPast = atMs - (execution.orphanedAtMs ?? atMs);
      const byBlocks = blocksPast >= BigInt(policy.invalidateAfterBlocks);
      const byTime = policy.invalidateAfterMs !== undefined && msPast >= policy.invalidateAfterMs;
      if (byBlocks || byTime) {
        setStatus(
          state,
          execution,
          'invalidated',
          {
            atMs,
            block: execution.block,
            reason: byBlocks
              ? `not reincluded within ${policy.invalidateAfterBlocks} blocks`
              : `not reincluded within ${policy.invalidateAfterMs} ms`,
          },
          events,
        );
      }
      continue;
    }
    if (!LIVE.has(execution.status)) continue;
    const depth = chain.head ? chain.head.number - execution.block.number + 1n : 0n;
    const final =
      policy.finality.kind === 'checkpoint'
        ? chain.finalized !== undefined && chain.finalized.number >= execution.block.number
        : depth >= BigInt(policy.finality.blocks);
    if (final) {
      setStatus(state, execution, 'final', { atMs, block: execution.block }, events);
      settle(state, execution, atMs, events);
      continue;
    }
    if (execution.status !== 'confirmed' && depth >= BigInt(policy.confirmations)) {
      setStatus(state, execution, 'confirmed', { atMs, block: execution.block }, events);
    }
  }
}

function settle(state: LedgerState, execution: Execution, atMs: number, events: LedgerEvent[]): void {
  if (execution.settled) return;
  execution.settled = true;
  const settlement = {
    executionId: execution.id,
    account: execution.account,
    chain: execution.chain,
    atMs,
    block: execution.block,
    payoutUsd: execution.payoutUsd,
    marginReleaseUsd: execution.marginReleaseUsd,
  };
  state.settlements.push(settlement);
  events.push({ type: 'settled', ...settlement });
}

function orphan(
  state: LedgerState,
  execution: Execution,
  atMs: number,
  headNumber: bigint,
  events: LedgerEvent[],
  reorg: ReorgCause | undefined,
  reason?: string,
): void {
  execution.orphanedAtHead = headNumber;
  execution.orphanedAtMs = atMs;
  const change: Omit<StatusChange, 'status'> = { atMs, block: execution.block };
  if (reorg) {
    execution.reorgs.push(reorg);
    change.reorg = reorg;
  }
  if (reason !== undefined) change.reason = reason;
  setStatus(state, execution, 'orphaned', change, events);
}

function applyReorg(state: LedgerState, fact: LedgerFact & { type: 'reorg' }, events: LedgerEvent[]): void {
  const cause: ReorgCause = {
    chain: fact.chain,
    atMs: fact.atMs,
    depth: fact.depth,
    commonAncestor: normalizeRef(fact.commonAncestor),
    oldHead: normalizeRef(fact.oldHead),
    newHead: normalizeRef(fact.newHead),
    finalizedReverted: fact.finalizedReverted,
  };
  const replaced = new Set(fact.replaced.map(toHash));
  const complete = replaced.size >= fact.depth;
  const chain = chainOf(state, fact.chain);
  chain.head = cause.newHead;
  for (const execution of executionsOf(state, fact.chain, fact.finalizedReverted)) {
    if (!LIVE.has(execution.status) && execution.status !== 'final') continue;
    const { number, hash } = execution.block;
    const hit = complete
      ? replaced.has(hash)
      : replaced.has(hash) || (number > cause.commonAncestor.number && number <= cause.oldHead.number);
    if (hit) orphan(state, execution, fact.atMs, cause.newHead.number, events, cause);
  }
}

function applyBlockTxs(
  state: LedgerState,
  fact: LedgerFact & { type: 'block_txs' },
  events: LedgerEvent[],
): void {
  const block = normalizeRef(fact.block);
  const txs = new Set(fact.txHashes.map(toHash));
  const chain = chainOf(state, fact.chain);
  if (!chain.head || block.number > chain.head.number) chain.head = block;
  for (const execution of executionsOf(state, fact.chain)) {
    const inBlock = txs.has(execution.txHash);
    if (execution.status === 'orphaned' && inBlock) {
      execution.block = block;
      setStatus(state, execution, 'reincluded', { atMs: fact.atMs, block }, events);
      continue;
    }
    if (!LIVE.has(execution.status) || execution.block.hash === block.hash) continue;
    // Another block holds it now, or took its block's height: either way it left its block.
    let reason: string;
    if (inBlock) reason = `transaction moved to block ${block.number}`;
    else if (execution.block.number === block.number)
      reason = `canonical block ${block.number} is ${block.hash}`;
    else continue;
    orphan(state, execution, fact.atMs, chain.head.number, events, undefined, reason);
    if (inBlock) {
      execution.block = block;
      setStatus(state, execution, 'reincluded', { atMs: fact.atMs, block }, events);
    }
  }
}
