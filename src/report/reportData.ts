/**
 * The data a report embeds and its charts draw (src/http/dashboard/charts.js reads the same shape
 * per chain). Times in series are seconds since the Unix epoch (uPlot's unit); heights are plain
 * numbers, which is exact below 2^53.
 */

/** Values over time: `t[i]` seconds, `v[i]` the value then. */
export type ReportSeries = { name: string; t: number[]; v: number[] };

/** The chain's block-time model and the liveness thresholds derived from it, ms. */
export type BlockTimeSummary = {
  kind: 'slots' | 'exponential';
  /** Slot length, or mean block time. */
  meanMs: number;
  warningMs: number;
  criticalMs: number;
};

export type ReportSignal = {
  t: number;
  kind: string;
  severity: string;
  node: string | null;
  message: string;
};

export type ChainCharts = {
  chain: string;
  preset: string;
  /** First and last observation of the chain, seconds. */
  fromS: number;
  toS: number;
  blockTime: BlockTimeSummary | null;
  /** Head height per node. */
  heads: ReportSeries[];
  /** Canonical head height minus the node's head height (0 when on or ahead), per node. */
  lag: ReportSeries[];
  /** Seconds between successive advances of the canonical head, at the later one. */
  intervals: { t: number[]; v: number[] };
  /** Reorg depths: `chain` (the canonical head) and `node` scope. */
  reorgs: ReportSeries[];
  /** The breaker levels, lowest to highest: the names of the ranks in `breakers`. */
  levels: readonly string[];
  /** Level rank (an index into `levels`) of each breaker protecting the chain. */
  breakers: ReportSeries[];
  signals: ReportSignal[];
};

/** A breaker transition and why: one row of the incident table. */
export type ReportIncident = {
  atMs: number;
  breaker: string;
  from: string;
  to: string;
  mode: 'auto' | 'manual';
  causes: string[];
  reason: string;
};

export type ReportData = {
  title: string;
  /** The log replayed, as given on the command line. */
  source: string;
  observations: number;
  malformedLines: number;
  fromMs: number | null;
  toMs: number | null;
  signalsByKind: Record<string, number>;
  transitions: number;
  /** Final and highest level of each breaker. */
  breakers: Array<{ name: string; level: string; maxLevel: string }>;
  chains: ChainCharts[];
  incidents: ReportIncident[];
  /** Points dropped to keep the file small (series thinned per time bucket), and signals left out. */
  thinned: { points: number; signals: number; incidents: number };
};
