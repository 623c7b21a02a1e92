import { describeSignalCases, everySecond, inStep } from '../../test/support/describeSignalCases.ts';
import type { Signal } from '../core/signal.ts';

// devnet: a node more than 3 blocks behind the canonical head for 3 s, or failing every request
// for 3 s, is lagging.
const project = (s: Signal) =>
  s.kind === 'lag'
    ? {
        node: s.node,
        severity: s.severity,
        lagBlocks: s.lagBlocks,
        laggingForMs: s.laggingForMs,
        unreachable: s.unreachable,
      }
    : {};

describeSignalCases('detectLag', ['lag'], project, [
  {
    name: 'default: nodes in step do not lag',
    observations: (s) => inStep(s, ['n1', 'n2', 'n3'], 'a', 1, 10),
    expected: [],
  },
  {
    name: 'behavior: a node 4 blocks behind since t=6 lags once 3 s have passed',
    observations: (s) => [
      ...inStep(s, ['n1', 'n2', 'n3'], 'a', 1, 2),
      ...inStep(s, ['n1', 'n2'], 'a', 3, 10),
    ],
    // n3 stays at a2: 4 behind when the head reaches a6 (t=6), lagging from t=9, at a9: 7 behind.
    expected: [{ node: 'n3', severity: 'warning', lagBlocks: 7, laggingForMs: 3_000, unreachable: false }],
  },
  {
    name: 'args: 3 blocks behind is within maxBlocks',
    observations: (s) => [
      ...inStep(s, ['n1', 'n2', 'n3'], 'a', 1, 7),
      ...inStep(s, ['n1', 'n2'], 'a', 8, 10),
    ],
    expected: [],
  },
  {
    name: 'behavior: a node whose every request fails for 3 s is unreachable',
    observations: (s) => [
      ...inStep(s, ['n1', 'n2', 'n3'], 'a', 1, 2),
      ...everySecond(3, 7, (t) => [s.head('n1', `a${t}`, t), s.head('n2', `a${t}`, t), s.error('n3', t)]),
    ],
    // Failing since t=3; at t=6 (n1's a6 comes first) 3 s have passed, and n3 is 4 behind.
    expected: [{ node: 'n3', severity: 'warning', lagBlocks: 4, laggingForMs: 3_000, unreachable: true }],
  },
]);
