import { describeSignalCases, inStep, type Script } from '../../test/support/describeSignalCases.ts';
import type { Signal } from '../core/signal.ts';

// devnet: reorg warning at depth 2, critical at 5; a claim is corroborated by 2 nodes or more.
// Depth = old head height - common ancestor height; `replaced` = the old branch above the ancestor.
const project = (s: Signal, script: Script) =>
  s.kind === 'reorg'
    ? {
        scope: s.scope,
        node: s.node ?? '-',
        depth: s.depth,
        ancestor: script.labelOf(s.commonAncestor.hash),
        ancestorKnown: s.ancestorKnown !== false,
        replaced: s.replaced.map((hash) => script.labelOf(hash)),
        severity: s.severity,
        uncorroborated: s.uncorroborated === true,
      }
    : {};

const reorg = (
  scope: 'node' | 'chain',
  node: string,
  depth: number,
  ancestor: string,
  replaced: string[],
  severity: string,
  uncorroborated: boolean,
  ancestorKnown = true,
) => ({ scope, node, depth, ancestor, ancestorKnown, replaced, severity, uncorroborated });

describeSignalCases('detectReorg', ['reorg'], project, [
  {
    name: 'default: nodes that only extend their heads raise no reorg',
    observations: (s) => inStep(s, ['n1', 'n2'], 'a', 1, 6),
    expected: [],
  },
  {
    name: 'behavior: a head replaced by a sibling at the same height is a 1-deep reorg of that node (info)',
    observations: (s) => {
      s.fork('b', 'a3');
      return [...inStep(s, ['n1', 'n2'], 'a', 1, 4), s.head('n1', 'b4', 5)];
    },
    // One node against one: the canonical line stays where it was, only n1 reorganized.
    expected: [reorg('node', 'n1', 1, 'a3', ['a4'], 'info', true)],
  },
  {
    name: 'behavior: a 3-deep fork replaced by a longer branch is a reorg of depth 3, per node and for the chain',
    observations: (s) => {
      s.fork('b', 'a2');
      return [
        ...inStep(s, ['n1', 'n2'], 'a', 1, 5),
        ...inStep(s, ['n3'], 'a', 1, 2),
        ...inStep(s, ['n3'], 'b', 3, 6, 3),
        s.head('n1', 'b6', 7),
        s.head('n2', 'b6', 8),
      ];
    },
    // n1 joins n3 on b6: two of three nodes, so the canonical head moves from a5 to b6.
    expected: [
      reorg('node', 'n1', 3, 'a2', ['a3', 'a4', 'a5'], 'warning', true),
      reorg('chain', '-', 3, 'a2', ['a3', 'a4', 'a5'], 'warning', false),
      reorg('node', 'n2', 3, 'a2', ['a3', 'a4', 'a5'], 'warning', true),
    ],
  },
  {
    name: 'args: a reorg of depth 5 reaches criticalDepth',
    observations: (s) => {
      s.fork('b', 'a2');
      return [...inStep(s, ['n1', 'n2'], 'a', 1, 7), s.head('n1', 'b3', 8), s.head('n2', 'b3', 9)];
    },
    // n1 alone on b3 ties with n2 on a7: the current line keeps it; with n2 the chain moves.
    expected: [
      reorg('node', 'n1', 5, 'a2', ['a3', 'a4', 'a5', 'a6', 'a7'], 'critical', true),
      reorg('node', 'n2', 5, 'a2', ['a3', 'a4', 'a5', 'a6', 'a7'], 'critical', true),
      reorg('chain', '-', 5, 'a2', ['a3', 'a4', 'a5', 'a6', 'a7'], 'critical', false),
    ],
  },
  {
    name: 'behavior: a reorg that replaces a finalized block is a safety failure whatever its depth',
    observations: (s) => {
      s.fork('b', 'a2');
      return [
        ...inStep(s, ['n1', 'n2'], 'a', 1, 5),
        s.finalized('n1', 'a3', 5),
        s.finalized('n2', 'a3', 5),
        s.head('n1', 'b3', 6),
        s.head('n2', 'b3', 7),
      ];
    },
    expected: [
      reorg('node', 'n1', 3, 'a2', ['a3', 'a4', 'a5'], 'safety', true),
      reorg('node', 'n2', 3, 'a2', ['a3', 'a4', 'a5'], 'safety', true),
      reorg('chain', '-', 3, 'a2', ['a3', 'a4', 'a5'], 'safety', false),
    ],
  },
  {
    name: 'behavior: one node moving to a branch of its own is its reorg alone; the chain keeps its line',
    observations: (s) => {
      s.fork('b', 'a3');
      return [...inStep(s, ['n1', 'n2', 'n3'], 'a', 1, 5), ...inStep(s, ['n1'], 'b', 4, 6, 6)];
    },
    expected: [reorg('node', 'n1', 2, 'a3', ['a4', 'a5'], 'warning', true)],
  },
  {
    name: 'behavior: without the parents down to the fork, the depth is a lower bound from the new head’s parent',
    observations: (s) => [...inStep(s, ['n1', 'n2'], 'a', 1, 4), s.head('n1', 'c3', 5)],
    // c3's parent c2 was never reported: the ancestor is taken at height 2, depth 4 - 2 = 2.
    expected: [reorg('node', 'n1', 2, 'c2', ['a3', 'a4'], 'warning', true, false)],
  },
]);
