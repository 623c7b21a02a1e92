import { describeSignalCases, inStep, type Script } from '../../test/support/describeSignalCases.ts';
import type { Signal } from '../core/signal.ts';

// devnet: 1 s slots; warning after maxMissedSlots 3 + 1.5 slots = 4.5 s without a new canonical
// head, critical after criticalMissedSlots 8 = 8 s. Missed slots: whole slots since the last
// head's slot, less the one in progress.
const project = (s: Signal, script: Script) =>
  s.kind === 'liveness'
    ? {
        severity: s.severity,
        stalledForMs: s.stalledForMs,
        missedSlots: s.missedSlots,
        lastHead: s.lastHead === undefined ? '-' : script.labelOf(s.lastHead.hash),
        thresholdMs: Math.round(s.thresholdMs),
        uncorroborated: s.uncorroborated === true,
      }
    : {};

/** A liveness signal backed by the nodes on the stalled line. */
const stall = (
  severity: string,
  stalledForMs: number,
  missedSlots: number | undefined,
  lastHead: string,
  thresholdMs: number,
) => ({ severity, stalledForMs, missedSlots, lastHead, thresholdMs, uncorroborated: false });

const ticks = (s: Script, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => s.tick(from + i));

describeSignalCases('detectLiveness', ['liveness'], project, [
  {
    name: 'default: a head every slot raises nothing',
    observations: (s) => inStep(s, ['n1', 'n2'], 'a', 1, 12),
    expected: [],
  },
  {
    name: 'behavior: 5 s without a head is a warning, 4 slots missed',
    observations: (s) => [...inStep(s, ['n1', 'n2'], 'a', 1, 3), ...ticks(s, 4, 8)],
    // Head a3 at t=3; at t=8, 5 s later: slots 4, 5, 6 and 7 passed empty (8 is under way).
    expected: [stall('warning', 5_000, 4, 'a3', 4_500)],
  },
  {
    name: 'behavior: the stall grows to critical at 8 s, each severity emitted once',
    observations: (s) => [...inStep(s, ['n1', 'n2'], 'a', 1, 3), ...ticks(s, 4, 11)],
    expected: [stall('warning', 5_000, 4, 'a3', 4_500), stall('critical', 8_000, 7, 'a3', 8_000)],
  },
  {
    name: 'behavior: one stuck node while the others advance is not a chain halt',
    observations: (s) => [
      ...inStep(s, ['n1', 'n2', 'n3'], 'a', 1, 3),
      ...inStep(s, ['n1', 'n2'], 'a', 4, 14),
    ],
    expected: [],
  },
  {
    name: 'behavior: the next canonical head clears the stall, and a new stall raises it again',
    observations: (s) => [
      ...inStep(s, ['n1', 'n2'], 'a', 1, 3),
      s.tick(8),
      ...inStep(s, ['n1', 'n2'], 'a', 4, 4, 9),
      s.tick(14),
    ],
    expected: [stall('warning', 5_000, 4, 'a3', 4_500), stall('warning', 5_000, 4, 'a4', 4_500)],
  },
  {
    name: 'args: proof of work: no block for 600 s × ln(10^6) = 8 289.3 s is a warning (a false alarm in a million)',
    preset: 'bitcoin',
    observations: (s) => [...inStep(s, ['n1', 'n2'], 'a', 1, 1), s.tick(1 + 8_289), s.tick(1 + 8_290)],
    // Blocks arrive as a Poisson process of mean 600 s: P(no block in t) = exp(-t / 600 s).
    expected: [stall('warning', 8_290_000, undefined, 'a1', 8_289_306)],
  },
]);
