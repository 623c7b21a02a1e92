import {
  type CaseRun,
  describeCases,
  everySecond,
  inStep,
  type Script,
} from '../../test/support/describeSignalCases.ts';
import type { Observation } from './observation.ts';

// The chain view after the observations: the canonical head (the leaf whose branch holds the most
// weight of counted nodes; ties keep the current line), the quorum behind it (strictly more than
// half the counted weight, devnet), and the finalized checkpoint (the highest one that more than
// half the counted weight has reached).
const measure = ({ chain, script }: CaseRun) => ({
  canonical: chain.canonical === undefined ? '-' : script.labelOf(chain.canonical.hash),
  quorumOk: chain.quorum.ok,
  supportNodes: chain.quorum.supportNodes,
  healthyNodes: chain.quorum.healthyNodes,
  finalized: chain.finalized === undefined ? '-' : script.labelOf(chain.finalized.hash),
});

const view = (
  canonical: string,
  quorumOk: boolean,
  supportNodes: number,
  healthyNodes: number,
  finalized = '-',
) => ({
  canonical,
  quorumOk,
  supportNodes,
  healthyNodes,
  finalized,
});

const REGTEST = {
  algorithm: 'sha256d',
  retarget: 'fixed',
  retargetInterval: 2016,
  powLimitBits: 0x207fffff,
} as const;

/** n1, n2 and n3 on a1..a2, n1 and n2 on to a3 (work 1 a block), then n3 on b3 from a2 with a
 * chainwork of 50. */
const worked = (s: Script): Observation[] => {
  s.fork('b', 'a2');
  const at = (node: string, label: string, atS: number, chainwork: bigint) => ({
    ...s.head(node, label, atS),
    chainwork,
  });
  return [
    ...everySecond(1, 2, (t) => ['n1', 'n2', 'n3'].map((n) => at(n, `a${t}`, t, BigInt(t)))),
    at('n1', 'a3', 3, 3n),
    at('n2', 'a3', 3, 3n),
    at('n3', 'b3', 4, 50n),
  ];
};

describeCases('chain view', measure, [
  {
    name: 'default: nodes in step: the common head, backed by all',
    observations: (s) => inStep(s, ['n1', 'n2', 'n3'], 'a', 1, 5),
    expected: view('a5', true, 3, 3),
  },
  {
    name: 'behavior: a node ahead on the same line carries the head; the one behind still backs it',
    observations: (s) => [...inStep(s, ['n1', 'n2'], 'a', 1, 4), ...inStep(s, ['n1'], 'a', 5, 6)],
    expected: view('a6', true, 2, 2),
  },
  {
    name: 'behavior: the heavier branch wins: two of three nodes on b',
    observations: (s) => {
      s.fork('b', 'a2');
      return [
        ...inStep(s, ['n1', 'n2', 'n3'], 'a', 1, 2),
        ...inStep(s, ['n1'], 'a', 3, 5),
        ...inStep(s, ['n2', 'n3'], 'b', 3, 5, 6),
      ];
    },
    expected: view('b5', true, 2, 3),
  },
  {
    name: 'behavior: a tie keeps the current line, without a quorum',
    observations: (s) => {
      s.fork('b', 'a3');
      return [...inStep(s, ['n1', 'n2'], 'a', 1, 4), s.head('n1', 'b4', 5)];
    },
    // One of two nodes on a4 is not more than half.
    expected: view('a4', false, 1, 2),
  },
  {
    name: 'behavior: a frozen node does not outvote one that advances',
    observations: (s) => {
      s.fork('b', 'a2');
      return [
        ...inStep(s, ['n1', 'n2', 'n3'], 'a', 1, 2),
        ...inStep(s, ['n1', 'n2'], 'a', 3, 3),
        ...inStep(s, ['n3'], 'b', 3, 12),
      ];
    },
    // n1 and n2 stand at a3 from t=3; from t=7.5 they are stale while n3 moves: only n3 counts.
    expected: view('b12', true, 1, 1),
  },
  {
    name: 'behavior: finality is the highest checkpoint more than half the nodes reached',
    observations: (s): Observation[] => [
      ...inStep(s, ['n1', 'n2', 'n3'], 'a', 1, 6),
      s.finalized('n1', 'a4', 6),
      s.finalized('n2', 'a3', 6),
      s.finalized('n3', 'a2', 6),
    ],
    // a4: n1 alone (1 of 3); a3 or higher: n1 and n2 (2 of 3).
    expected: view('a6', true, 3, 3, 'a3'),
  },
  {
    name: 'behavior: one node alone cannot move finality',
    observations: (s) => [...inStep(s, ['n1', 'n2', 'n3'], 'a', 1, 6), s.finalized('n1', 'a5', 6)],
    expected: view('a6', true, 3, 3),
  },
  {
    name: 'behavior: an unreachable node leaves the quorum after the grace period',
    observations: (s) => [
      ...inStep(s, ['n1', 'n2', 'n3'], 'a', 1, 2),
      ...everySecond(3, 6, (t) => [s.head('n1', `a${t}`, t), s.head('n2', `a${t}`, t), s.error('n3', t)]),
    ],
    // n3 fails from t=3; at t=6 (3 s, devnet's lag grace) it is no longer healthy.
    expected: view('a6', true, 2, 2),
  },
  {
    name: 'args: proof of work: the branch of most verified work is canonical, whatever the node count',
    params: { pow: REGTEST },
    observations: (s) => worked(s),
    // Nakamoto's rule: b3 carries more work (50) than a3 (3) although two of three nodes sit on a3.
    expected: view('b3', true, 1, 3),
  },
  {
    name: 'behavior: without proof-of-work parameters, the same heads are decided by node weight',
    observations: (s) => worked(s),
    expected: view('a3', true, 2, 3),
  },
]);

/** Blocks kept and the lowest height, after one node's heads a1..a<to>. */
const pruned = (to: number) => (s: Script) => inStep(s, ['n1'], 'a', 1, to);

// Blocks below canonical - pruneDepth (devnet 256) go, in batches of 64 heights: the first batch
// (1..64) once the horizon is 64 above the lowest height, at the head 256 + 65 = 321; the next
// (65..128) at 385.
describeCases(
  'chain view: prune',
  ({ chain }) => ({ blocks: chain.blocks.size, lowest: chain.lowestHeight }),
  [
    {
      name: 'default: everything above the horizon is kept',
      observations: pruned(320),
      expected: { blocks: 320, lowest: 1n },
    },
    {
      name: 'behavior: the first batch of 64 heights goes at 321',
      observations: pruned(321),
      expected: { blocks: 257, lowest: 65n },
    },
    {
      name: 'behavior: at 400, heights 129..400 are left',
      observations: pruned(400),
      expected: { blocks: 272, lowest: 129n },
    },
  ],
);
