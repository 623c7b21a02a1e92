import {
  describeSignalCases,
  everySecond,
  inStep,
  type Script,
} from '../../test/support/describeSignalCases.ts';
import type { Observation } from '../core/observation.ts';
import type { Signal } from '../core/signal.ts';

// devnet: a branch holds the quorum with strictly more than half of the counted nodes' weight;
// without one for 3 s, the chain has no quorum (warning, always uncorroborated).
const project = (s: Signal) =>
  s.kind === 'quorum'
    ? {
        severity: s.severity,
        supportWeight: s.supportWeight,
        healthyWeight: s.healthyWeight,
        uncorroborated: s.uncorroborated === true,
      }
    : {};

/** All nodes on a1..a2; then `onA` on branch a and `onB` on branch b from a2, from t=3 to `to`. */
const split = (s: Script, onA: readonly string[], onB: readonly string[], to: number): Observation[] => {
  s.fork('b', 'a2');
  return [
    ...inStep(s, [...onA, ...onB], 'a', 1, 2),
    ...everySecond(3, to, (t) => [
      ...onA.map((n) => s.head(n, `a${t}`, t)),
      ...onB.map((n) => s.head(n, `b${t}`, t)),
    ]),
  ];
};

describeSignalCases('detectQuorum', ['quorum'], project, [
  {
    name: 'default: nodes on one line hold the quorum',
    observations: (s) => inStep(s, ['n1', 'n2', 'n3'], 'a', 1, 10),
    expected: [],
  },
  {
    name: 'behavior: two nodes on two branches: one of two is not more than half, for 3 s',
    observations: (s) => split(s, ['n1'], ['n2'], 8),
    // The split starts with n2's b3 at t=3; 3 s later, at t=6, it is raised once.
    expected: [{ severity: 'warning', supportWeight: 1, healthyWeight: 2, uncorroborated: true }],
  },
  {
    name: 'behavior: two of three on one branch is a quorum',
    observations: (s) => split(s, ['n1', 'n2'], ['n3'], 10),
    expected: [],
  },
  {
    name: 'args: weights decide, not node count: weight 2 against 1 + 1 is no quorum',
    params: { weights: { n2: 2 } },
    observations: (s) => split(s, ['n1', 'n3'], ['n2'], 10),
    // n2 (weight 2) on b against n1 and n3 (weight 1 each) on a: 2 of 4 is not more than half.
    expected: [{ severity: 'warning', supportWeight: 2, healthyWeight: 4, uncorroborated: true }],
  },
  {
    name: 'args: weight 3 against 1 + 1 holds the quorum alone',
    params: { weights: { n2: 3 } },
    observations: (s) => split(s, ['n1', 'n3'], ['n2'], 10),
    expected: [],
  },
]);
