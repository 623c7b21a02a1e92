import {
  describeSignalCases,
  everySecond,
  inStep,
  type Script,
} from '../../test/support/describeSignalCases.ts';
import type { Observation } from '../core/observation.ts';
import type { Signal } from '../core/signal.ts';

// devnet: a node off the canonical line diverges once a branch is longer than 2 blocks past the
// fork (after settling 0.5 s) or after 3 s; critical once a branch reaches 4 blocks. Conflicting
// finalized checkpoints are a safety failure.
const project = (s: Signal, script: Script) =>
  s.kind === 'divergence'
    ? {
        node: s.node,
        severity: s.severity,
        forkHeight: s.forkHeight,
        nodeBranchLength: s.nodeBranchLength,
        canonicalBranchLength: s.canonicalBranchLength,
        divergedForMs: s.divergedForMs,
        ancestor: s.commonAncestor === undefined ? '-' : script.labelOf(s.commonAncestor.hash),
        conflictingFinalized: s.conflictingFinalized,
        uncorroborated: s.uncorroborated === true,
      }
    : {};

/** n1 and n2 on branch a, n3 on branch b from a3, a block a second each, from t=4 to `to`. */
const split = (s: Script, to: number): Observation[] => {
  s.fork('b', 'a3');
  return [
    ...inStep(s, ['n1', 'n2', 'n3'], 'a', 1, 3),
    ...everySecond(4, to, (t) => [
      s.head('n1', `a${t}`, t),
      s.head('n2', `a${t}`, t),
      s.head('n3', `b${t}`, t),
    ]),
  ];
};

describeSignalCases('detectDivergence', ['divergence'], project, [
  {
    name: 'default: nodes on one line do not diverge',
    observations: (s) => inStep(s, ['n1', 'n2', 'n3'], 'a', 1, 10),
    expected: [],
  },
  {
    name: 'behavior: a node on its own branch diverges once the canonical side passes 2 blocks, critical at 4',
    observations: (s) => split(s, 8),
    // Fork at height 4 (t=4). At t=6 the canonical side a4..a6 is 3 blocks, n3 has b4..b5;
    // at t=7 it is 4 blocks (critical), n3 has b4..b6. One node backs n3's branch: itself.
    expected: [
      {
        node: 'n3',
        severity: 'warning',
        forkHeight: 4,
        nodeBranchLength: 2,
        canonicalBranchLength: 3,
        divergedForMs: 2_000,
        ancestor: 'a3',
        conflictingFinalized: false,
        uncorroborated: true,
      },
      {
        node: 'n3',
        severity: 'critical',
        forkHeight: 4,
        nodeBranchLength: 3,
        canonicalBranchLength: 4,
        divergedForMs: 3_000,
        ancestor: 'a3',
        conflictingFinalized: false,
        uncorroborated: true,
      },
    ],
  },
  {
    name: 'behavior: a short fork that lasts 3 s is a divergence even within 2 blocks',
    observations: (s) => {
      s.fork('b', 'a2');
      return [...inStep(s, ['n1', 'n2', 'n3'], 'a', 1, 3), s.head('n3', 'b3', 3.5), s.tick(6), s.tick(6.5)];
    },
    // n3 leaves the canonical line at t=3.5 for a sibling of a3: one block on each side.
    expected: [
      {
        node: 'n3',
        severity: 'warning',
        forkHeight: 3,
        nodeBranchLength: 1,
        canonicalBranchLength: 1,
        divergedForMs: 3_000,
        ancestor: 'a2',
        conflictingFinalized: false,
        uncorroborated: true,
      },
    ],
  },
  {
    name: 'behavior: nodes that follow a reorg one after another within settleMs do not diverge',
    observations: (s) => {
      s.fork('b', 'a2');
      return [
        ...inStep(s, ['n1', 'n2', 'n3'], 'a', 1, 5),
        s.head('n1', 'b3', 6),
        s.head('n2', 'b3', 6.25),
        s.head('n3', 'b3', 6.5),
      ];
    },
    expected: [],
  },
  {
    name: 'behavior: two nodes finalizing different blocks at one height is a safety failure',
    observations: (s) => {
      s.fork('b', 'a1');
      return [
        ...inStep(s, ['n1', 'n2'], 'a', 1, 3),
        s.head('n3', 'b2', 3),
        s.finalized('n1', 'a2', 4),
        s.finalized('n3', 'b2', 4),
      ];
    },
    // a2 and b2 share the parent a1: the histories part at height 2. Only n3 finalized b2.
    expected: [
      {
        node: 'n3',
        severity: 'safety',
        forkHeight: 2,
        nodeBranchLength: 0,
        canonicalBranchLength: 0,
        divergedForMs: 0,
        ancestor: 'a1',
        conflictingFinalized: true,
        uncorroborated: true,
      },
    ],
  },
]);
