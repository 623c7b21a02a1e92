import { type Level, levelRank, type Transition } from '../breaker/levels.ts';
import type { Observation } from '../core/observation.ts';
import type { BlockRef, Signal, SignalKind } from '../core/signal.ts';
import type { EngineConfig } from './config.ts';
import { createEngineState, type EngineState, step } from './step.ts';

export type ChainSummary = {
  canonicalHead?: BlockRef;
  finalized?: { number?: bigint; epoch?: number; hash: string };
  nodes: Array<{ name: string; client?: string; head?: BlockRef }>;
  blocksStored: number;
  heads: number;
  blocks: number;
  checkpoints: number;
  errors: number;
};

export type RunSummary = {
  observations: number;
  ignored: number;
  signals: number;
  signalsByKind: Partial<Record<SignalKind, number>>;
  transitions: number;
  /** Final level of each breaker. */
  breakers: Record<string, Level>;
  /** Highest level each breaker reached. */
  maxLevels: Record<string, Level>;
  chains: Record<string, ChainSummary>;
};

export type RunResult = { signals: Signal[]; transitions: Transition[]; summary: RunSummary };

/** Runs observations through a fresh engine and collects every signal and transition. */
export function runObservations(config: EngineConfig, observations: Iterable<Observation>): RunResult {
  const state = createEngineState(config);
  const signals: Signal[] = [];
  const transitions: Transition[] = [];
  for (const observation of observations) {
    const out = step(state, observation);
    for (const s of out.signals) signals.push(s);
    for (const t of out.transitions) transitions.push(t);
  }
  return { signals, transitions, summary: toRunSummary(state, signals, transitions) };
}

export function toRunSummary(state: EngineState, signals: Signal[], transitions: Transition[]): RunSummary {
  const signalsByKind: Partial<Record<SignalKind, number>> = {};
  for (const s of signals) signalsByKind[s.kind] = (signalsByKind[s.kind] ?? 0) + 1;
  const breakers: Record<string, Level> = {};
  const maxLevels: Record<string, Level> = {};
  for (const b of state.breakers.values()) {
    breakers[b.name] = b.level;
    maxLevels[b.name] = 'normal';
  }
  for (const t of transitions) {
    const seen = maxLevels[t.breaker] ?? 'normal';
    if (levelRank(t.to) > levelRank(seen)) maxLevels[t.breaker] = t.to;
  }
  const chains: Record<string, ChainSummary> = {};
  for (const chain of state.chains.values()) {
    const summary: ChainSummary = {
      nodes: [...chain.nodes.values()].map((n) => {
        const node: { name: string; client?: string; head?: BlockRef } = { name: n.name };
        if (n.client !== undefined) node.client = n.client;
        if (n.head) node.head = { number: n.head.number, hash: n.head.hash };
        return node;
      }),
      blocksStored: chain.blocks.size,
      ...chain.counts,
    };
    if (chain.canonical)
      summary.canonicalHead = { number: chain.canonical.number, hash: chain.canonical.hash };
    if (chain.finalized) {
      const f: { number?: bigint; epoch?: number; hash: string } = { hash: chain.finalized.hash };
      if (chain.finalized.number !== undefined) f.number = chain.finalized.number;
      if (chain.finalized.epoch !== undefined) f.epoch = chain.finalized.epoch;
      summary.finalized = f;
    }
    chains[chain.name] = summary;
  }
  return {
    observations: state.observations,
    ignored: state.ignored,
    signals: signals.length,
    signalsByKind,
    transitions: transitions.length,
    breakers,
    maxLevels,
    chains,
  };
}
