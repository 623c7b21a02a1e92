import type { BlockRef } from '../../core/signal.ts';
import type { ExecutionKind, ExecutionStatus, LedgerState, ReorgCause } from './ledgerTypes.ts';

export type ReportedExecution = {
  id: string;
  kind: ExecutionKind;
  account: string;
  chain: string;
  txHash: string;
  /** The block it was first recorded in. */
  recordedBlock: BlockRef;
  /** The block that holds it now (differs after a reinclusion). */
  block: BlockRef;
  status: ExecutionStatus;
  /** The last reorg that orphaned it, when the ledger was told of one. */
  reorg?: ReorgCause;
  /** Why, when no reorg was reported (e.g. the canonical block at its height differs). */
  reason?: string;
};

export type SettlementReport = {
  /** Every invalidated execution, with the reorg that caused it. */
  invalidated: ReportedExecution[];
  /** Executions orphaned and mined again, with the reorg that orphaned them. */
  reincluded: ReportedExecution[];
  /** Orphaned now, neither reincluded nor invalidated yet. */
  orphaned: ReportedExecution[];
  counts: Record<ExecutionStatus, number>;
  settled: { count: number; payoutUsd: number; marginReleaseUsd: number };
};

/** The ledger's report: invalidated, reincluded and pending orphaned executions with their reorgs. */
export function toSettlementReport(state: LedgerState): SettlementReport {
  const report: SettlementReport = {
    invalidated: [],
    reincluded: [],
    orphaned: [],
    counts: { included: 0, confirmed: 0, final: 0, orphaned: 0, reincluded: 0, invalidated: 0 },
    settled: { count: 0, payoutUsd: 0, marginReleaseUsd: 0 },
  };
  for (const execution of state.executions.values()) {
    report.counts[execution.status] += 1;
    const entry: ReportedExecution = {
      id: execution.id,
      kind: execution.kind,
      account: execution.account,
      chain: execution.chain,
      txHash: execution.txHash,
      recordedBlock: execution.recordedBlock,
      block: execution.block,
      status: execution.status,
    };
    const reorg = execution.reorgs.at(-1);
    if (reorg) entry.reorg = reorg;
    const orphaning = execution.history.findLast((change) => change.status === 'orphaned');
    if (!reorg && orphaning?.reason !== undefined) entry.reason = orphaning.reason;
    if (execution.status === 'invalidated') report.invalidated.push(entry);
    else if (execution.status === 'orphaned') report.orphaned.push(entry);
    else if (execution.history.some((change) => change.status === 'reincluded'))
      report.reincluded.push(entry);
  }
  for (const settlement of state.settlements) {
    report.settled.count += 1;
    report.settled.payoutUsd += settlement.payoutUsd;
    report.settled.marginReleaseUsd += settlement.marginReleaseUsd;
  }
  return report;
}
