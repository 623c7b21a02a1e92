import { LEVELS, levelRank, type Transition } from '../breaker/levels.ts';
import type { ChainState } from '../core/chainView.ts';
import type { Observation } from '../core/observation.ts';
import type { Signal } from '../core/signal.ts';
import { toRunSummary } from '../engine/run.ts';
import type { EngineState, StepResult } from '../engine/step.ts';
import type { ChainCharts, ReportData, ReportIncident, ReportSeries, ReportSignal } from './reportData.ts';
import { thinSeries } from './thinSeries.ts';
import { toBlockTimeSummary } from './toBlockTimeSummary.ts';

export type ReportCollectorOptions = {
  /** Time buckets per series when thinning (each keeps up to 2 points). Default 1500. */
  buckets?: number;
  /** Signals kept per chain; beyond it, info signals are thinned first. Default 4000. */
  maxSignals?: number;
  /** Rows of the incident table. Default 2000. */
  maxIncidents?: number;
};

export type ReportCollector = {
  /** Takes the observation just stepped and what the step returned. */
  add(observation: Observation, result: StepResult): void;
  /** The report data of everything added. */
  finish(meta: { title: string; source: string; malformedLines: number }): ReportData;
};

/** Change points of one value over time, in ms. */
type Track = { t: number[]; v: number[] };

type ChainTracks = {
  fromMs: number;
  toMs: number;
  heads: Map<string, Track>;
  lag: Map<string, Track>;
  intervals: Track;
  lastAdvanceMs: number | undefined;
  topHeight: bigint | undefined;
  reorgs: { chain: Track; node: Track };
  signals: Signal[];
};

/**
 * Collects, while a log is replayed through the engine, what a report draws: each node's head
 * height and lag, the intervals between canonical advances, reorg depths, signals and breaker
 * transitions. Pure: it reads the engine state after each step and keeps change points only.
 */
export function createReportCollector(
  state: EngineState,
  options: ReportCollectorOptions = {},
): ReportCollector {
  const buckets = options.buckets ?? 1500;
  const maxSignals = options.maxSignals ?? 4000;
  const maxIncidents = options.maxIncidents ?? 2000;
  const tracks = new Map<string, ChainTracks>();
  const allSignals: Signal[] = [];
  const transitions: Transition[] = [];
  let firstMs: number | undefined;
  let lastMs: number | undefined;

  const tracksOf = (chain: ChainState, atMs: number): ChainTracks => {
    let t = tracks.get(chain.name);
    if (!t) {
      t = {
        fromMs: atMs,
        toMs: atMs,
        heads: new Map(),
        lag: new Map(),
        intervals: { t: [], v: [] },
        lastAdvanceMs: undefined,
        topHeight: undefined,
        reorgs: { chain: { t: [], v: [] }, node: { t: [], v: [] } },
        signals: [],
      };
      tracks.set(chain.name, t);
    }
    return t;
  };

  const sample = (chain: ChainState, atMs: number): void => {
    const t = tracksOf(chain, atMs);
    if (atMs > t.toMs) t.toMs = atMs;
    const canonical = chain.canonical;
    if (canonical && (t.topHeight === undefined || canonical.number > t.topHeight)) {
      if (t.topHeight !== undefined && t.lastAdvanceMs !== undefined) {
        push(
          t.intervals,
          chain.canonicalAdvancedAtMs,
          (chain.canonicalAdvancedAtMs - t.lastAdvanceMs) / 1000,
        );
      }
      t.topHeight = canonical.number;
      t.lastAdvanceMs = chain.canonicalAdvancedAtMs;
    }
    for (const node of chain.nodes.values()) {
      if (!node.head) continue;
      pushChange(trackOf(t.heads, node.name), atMs, Number(node.head.number));
      if (canonical) {
        const lag = canonical.number - node.head.number;
        pushChange(trackOf(t.lag, node.name), atMs, lag > 0n ? Number(lag) : 0);
      }
    }
  };

  return {
    add(observation, result) {
      const atMs = observation.observedAtMs;
      firstMs ??= atMs;
      if (lastMs === undefined || atMs > lastMs) lastMs = atMs;
      if (observation.type === 'tick' && observation.chain === undefined) {
        for (const chain of state.chains.values()) sample(chain, atMs);
      } else if (observation.chain !== undefined) {
        const chain = state.chains.get(observation.chain);
        if (chain) sample(chain, atMs);
      }
      for (const signal of result.signals) {
        allSignals.push(signal);
        const chain = state.chains.get(signal.chain);
        if (!chain) continue;
        const t = tracksOf(chain, signal.atMs);
        t.signals.push(signal);
        if (signal.kind === 'reorg') push(t.reorgs[signal.scope], signal.atMs, signal.depth);
      }
      for (const transition of result.transitions) transitions.push(transition);
    },

    finish(meta) {
      const thinned = { points: 0, signals: 0, incidents: 0 };
      const toSeries = (name: string, track: Track): ReportSeries => {
        const thin = thinSeries(track.t, track.v, buckets);
        thinned.points += thin.dropped;
        return { name, t: thin.t.map(toSeconds), v: thin.v };
      };
      const chains: ChainCharts[] = [];
      for (const chain of [...state.chains.values()].sort((a, b) => compare(a.name, b.name))) {
        const t = tracks.get(chain.name);
        if (!t) continue;
        const signals = pickSignals(t.signals, maxSignals);
        thinned.signals += t.signals.length - signals.length;
        const intervals = toSeries('interval', t.intervals);
        chains.push({
          chain: chain.name,
          preset: chain.params.preset,
          fromS: toSeconds(t.fromMs),
          toS: toSeconds(t.toMs),
          blockTime: toBlockTimeSummary(chain.params),
          heads: [...t.heads].map(([name, track]) => toSeries(name, track)),
          lag: [...t.lag].map(([name, track]) => toSeries(name, track)),
          intervals: { t: intervals.t, v: intervals.v },
          reorgs: [toSeries('chain', t.reorgs.chain), toSeries('node', t.reorgs.node)],
          levels: LEVELS,
          breakers: toBreakerSeries(state, chain.name, t.fromMs, transitions),
          signals,
        });
      }
      const incidents: ReportIncident[] = transitions.slice(0, maxIncidents).map((tr) => ({
        atMs: tr.atMs,
        breaker: tr.breaker,
        from: tr.from,
        to: tr.to,
        mode: tr.mode,
        causes: tr.causes,
        reason: tr.reason,
      }));
      thinned.incidents = transitions.length - incidents.length;
      const summary = toRunSummary(state, allSignals, transitions);
      return {
        title: meta.title,
        source: meta.source,
        observations: state.observations,
        malformedLines: meta.malformedLines,
        fromMs: firstMs ?? null,
        toMs: lastMs ?? null,
        signalsByKind: { ...summary.signalsByKind },
        transitions: transitions.length,
        breakers: Object.entries(summary.breakers).map(([name, level]) => ({
          name,
          level,
          maxLevel: summary.maxLevels[name] ?? level,
        })),
        chains,
        incidents,
        thinned,
      };
    },
  };
}

function toSeconds(ms: number): number {
  return ms / 1000;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function trackOf(map: Map<string, Track>, name: string): Track {
  let track = map.get(name);
  if (!track) {
    track = { t: [], v: [] };
    map.set(name, track);
  }
  return track;
}

function push(track: Track, atMs: number, value: number): void {
  track.t.push(atMs);
  track.v.push(value);
}

/** Records a value only when it differs from the last one. */
function pushChange(track: Track, atMs: number, value: number): void {
  if (track.v.length > 0 && track.v[track.v.length - 1] === value) return;
  push(track, atMs, value);
}

/** Each breaker protecting the chain: normal from the start, then a point per transition. */
function toBreakerSeries(
  state: EngineState,
  chain: string,
  fromMs: number,
  transitions: readonly Transition[],
): ReportSeries[] {
  return (state.breakersOfChain.get(chain) ?? []).map((breaker) => {
    const series: ReportSeries = { name: breaker.name, t: [toSeconds(fromMs)], v: [levelRank(LEVELS[0])] };
    for (const tr of transitions) {
      if (tr.breaker !== breaker.name) continue;
      series.t.push(toSeconds(tr.atMs));
      series.v.push(levelRank(tr.to));
    }
    return series;
  });
}

/** At most `max` signals: every warning and above first, then info signals evenly spaced. */
function pickSignals(signals: readonly Signal[], max: number): ReportSignal[] {
  let kept: readonly Signal[] = signals;
  if (signals.length > max) {
    const serious = signals.filter((s) => s.severity !== 'info');
    const info = signals.filter((s) => s.severity === 'info');
    const room = Math.max(0, max - serious.length);
    const stride = info.length / Math.max(1, room);
    const picked =
      room === 0
        ? []
        : Array.from({ length: Math.min(room, info.length) }, (_, i) => info[Math.floor(i * stride)]!);
    kept = [...serious.slice(0, max), ...picked].sort((a, b) => a.atMs - b.atMs);
  }
  return kept.map((s) => ({
    t: toSeconds(s.atMs),
    kind: s.kind,
    severity: s.severity,
    node: s.node ?? null,
    message: s.message,
  }));
}
