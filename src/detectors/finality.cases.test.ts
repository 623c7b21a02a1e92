import {
  describeSignalCases,
  everySecond,
  inStep,
  type Script,
} from '../../test/support/describeSignalCases.ts';
import type { Signal } from '../core/signal.ts';

// devnet: epochs of 4 slots of 1 s; a finalized checkpoint that has not advanced for 4 epochs
// (16 s) is a warning, for 8 epochs (32 s) critical (the age limits, 30 s and 60 s, come later);
// the signal is emitted again at each further whole epoch.
const project = (s: Signal, script: Script) =>
  s.kind === 'finality'
    ? {
        severity: s.severity,
        epochs: s.epochsWithoutFinality,
        finalized: s.finalized === undefined ? '-' : script.labelOf(s.finalized.hash),
        headMinusFinalized: s.headMinusFinalized,
      }
    : {};

const stall = (severity: string, epochs: number, head: number) => ({
  severity,
  epochs,
  finalized: 'a1',
  headMinusFinalized: head - 1,
});

describeSignalCases('detectFinality', ['finality'], project, [
  {
    name: 'default: quiet before a first finalized checkpoint',
    observations: (s) => inStep(s, ['n1', 'n2'], 'a', 1, 40),
    expected: [],
  },
  {
    name: 'behavior: a checkpoint stuck at a1 from t=1: warning at 4 epochs, again each epoch, critical at 8',
    observations: (s) => [
      ...inStep(s, ['n1', 'n2'], 'a', 1, 1),
      s.finalized('n1', 'a1', 1),
      s.finalized('n2', 'a1', 1),
      ...inStep(s, ['n1', 'n2'], 'a', 2, 36),
    ],
    // Ages 16, 20, 24, 28 and 32 s at t = 17, 21, 25, 29, 33, when the head is at that height.
    expected: [
      stall('warning', 4, 17),
      stall('warning', 5, 21),
      stall('warning', 6, 25),
      stall('warning', 7, 29),
      stall('critical', 8, 33),
    ],
  },
  {
    name: 'behavior: a checkpoint that advances every 8 s stays quiet',
    observations: (s) => {
      const out = [
        ...inStep(s, ['n1', 'n2'], 'a', 1, 1),
        s.finalized('n1', 'a1', 1),
        s.finalized('n2', 'a1', 1),
      ];
      return [
        ...out,
        ...everySecond(2, 40, (t) => [
          ...inStep(s, ['n1', 'n2'], 'a', t, t),
          ...(t % 8 === 0 ? [s.finalized('n1', `a${t - 4}`, t), s.finalized('n2', `a${t - 4}`, t)] : []),
        ]),
      ];
    },
    expected: [],
  },
  {
    name: 'behavior: one node alone finalizing does not start the clock',
    observations: (s) => [
      ...inStep(s, ['n1', 'n2'], 'a', 1, 1),
      s.finalized('n1', 'a1', 1),
      ...inStep(s, ['n1', 'n2'], 'a', 2, 30),
    ],
    // The chain's finalized checkpoint needs more than half the nodes: n1 alone is not that.
    expected: [],
  },
]);
