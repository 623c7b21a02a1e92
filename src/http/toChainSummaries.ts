import { type Level, levelRank } from '../breaker/levels.ts';
import type { ChainState, Checkpoint } from '../core/chainView.ts';
import type { Hash } from '../core/observation.ts';
import { type Severity, severityRank } from '../core/signal.ts';
import { toPlace } from '../core/toPlace.ts';
import type { EngineState } from '../engine/step.ts';
import type { BlockTimeSummary } from '../report/reportData.ts';
import { toBlockTimeSummary } from '../report/toBlockTimeSummary.ts';

/** `ok`, or the severity of the highest active condition or held event signal. */
export type ChainStatus = 'ok' | Severity;

/** A finalized checkpoint as the API shows it: its hash, and its height and epoch when known. */
export type CheckpointSummary = { number?: bigint; epoch?: number; hash: Hash };

export function toCheckpointSummary(checkpoint: Checkpoint | undefined): CheckpointSummary | null {
  if (!checkpoint) return null;
  return {
    hash: checkpoint.hash,
    ...(checkpoint.number === undefined ? {} : { number: checkpoint.number }),
    ...(checkpoint.epoch === undefined ? {} : { epoch: checkpoint.epoch }),
  };
}

export type ChainSummary = {
  name: string;
  preset: string;
  canonicalHead: { number: bigint; hash: Hash; timestamp: number } | null;
  finalized: CheckpointSummary | null;
  status: ChainStatus;
  /**
   * The chain's raised conditions. A node's condition names the node and the place it is seen from
   * (`location`: a watcher location, `''` for the guard's own nodes).
   */
  conditions: Array<{
    key: string;
    kind: string;
    severity: Severity;
    message: string;
    atMs: number;
    node?: string;
    location?: string;
  }>;
  /** Event signals (reorg, integrity, latency) still holding a breaker level, until `untilMs`. */
  holds: Array<{ kind: string; severity: Severity; message: string; atMs: number; untilMs: number }>;
  /** The highest level among the breakers protecting this chain. */
  level: Level;
  breakers: Array<{ name: string; level: Level }>;
  /** Engine time since the canonical head last advanced, seconds. */
  secondsSinceLastHead: number;
  /** Engine time since the finalized checkpoint last advanced, seconds; null before the first. */
  finalityAgeSeconds: number | null;
  /** Engine time of the chain: the latest observation, ms. */
  nowMs: number;
  nodes: number;
  /** The chain's block-time model and the liveness thresholds derived from it, ms. */
  blockTime: BlockTimeSummary;
  /**
   * Whether the canonical branch holds the quorum (`ok`) or not (`no_quorum`, past its tolerance
   * or not yet), with the weights and node counts behind it.
   */
  quorum: {
    status: 'ok' | 'no_quorum';
    supportWeight: number;
    healthyWeight: number;
    supportNodes: number;
    healthyNodes: number;
  };
};

/** Every chain of the engine, in name order, as `GET /api/chains` shows it. */
export function toChainSummaries(engine: EngineState): ChainSummary[] {
  return [...engine.chains.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((chain) => toChainSummary(engine, chain));
}

export function toChainSummary(engine: EngineState, chain: ChainState): ChainSummary {
  let status: ChainStatus = 'ok';
  const conditions: ChainSummary['conditions'] = [];
  for (const [key, signal] of chain.conditions) {
    const condition: ChainSummary['conditions'][number] = {
      key,
      kind: signal.kind,
      severity: signal.severity,
      message: signal.message,
      atMs: signal.atMs,
    };
    const view = signal.node === undefined ? undefined : chain.nodes.get(signal.node);
    if (view) {
      const location = toPlace(view);
      condition.node = location === '' ? view.name : view.name.slice(0, -(location.length + 1));
      condition.location = location;
    }
    conditions.push(condition);
    if (status === 'ok' || severityRank(signal.severity) > severityRank(status)) status = signal.severity;
  }
  const holds: ChainSummary['holds'] = [];
  for (const { signal, untilMs } of chain.holds) {
    if (untilMs <= chain.nowMs) continue;
    holds.push({
      kind: signal.kind,
      severity: signal.severity,
      message: signal.message,
      atMs: signal.atMs,
      untilMs,
    });
    if (status === 'ok' || severityRank(signal.severity) > severityRank(status)) status = signal.severity;
  }
  const breakers = (engine.breakersOfChain.get(chain.name) ?? []).map((b) => ({
    name: b.name,
    level: b.level,
  }));
  let level: Level = 'normal';
  for (const breaker of breakers) if (levelRank(breaker.level) > levelRank(level)) level = breaker.level;
  const head = chain.canonical;
  const finalized = chain.finalized;
  return {
    name: chain.name,
    preset: chain.params.preset,
    canonicalHead: head ? { number: head.number, hash: head.hash, timestamp: head.timestamp } : null,
    finalized: toCheckpointSummary(finalized),
    status,
    conditions,
    holds,
    level,
    breakers,
    secondsSinceLastHead: Math.max(0, chain.nowMs - chain.canonicalAdvancedAtMs) / 1000,
    finalityAgeSeconds: finalized ? Math.max(0, chain.nowMs - chain.finalizedAdvancedAtMs) / 1000 : null,
    nowMs: chain.nowMs,
    nodes: chain.nodes.size,
    blockTime: toBlockTimeSummary(chain.params),
    quorum: {
      status: chain.quorum.ok ? 'ok' : 'no_quorum',
      supportWeight: chain.quorum.supportWeight,
      healthyWeight: chain.quorum.healthyWeight,
      supportNodes: chain.quorum.supportNodes,
      healthyNodes: chain.quorum.healthyNodes,
    },
  };
}
