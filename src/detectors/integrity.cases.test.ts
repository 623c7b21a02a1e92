import {
  describeSignalCases,
  everySecond,
  inStep,
  type Script,
} from '../../test/support/describeSignalCases.ts';
import type { Observation } from '../core/observation.ts';
import type { Signal } from '../core/signal.ts';

// A node that serves what cannot be true is an integrity failure, always critical: a hash known
// with other contents, a header the source itself found false, or a chain that shares no block
// with the canonical line while it disagrees with it at criticalBlocks (devnet 4) heights.
const project = (s: Signal, script: Script) =>
  s.kind === 'integrity'
    ? {
        node: s.node,
        severity: s.severity,
        check: s.check,
        code: s.code,
        block: s.hash === undefined ? '-' : script.labelOf(s.hash),
      }
    : {};

describeSignalCases('detectIntegrity, detectForeignChain', ['integrity'], project, [
  {
    name: 'default: consistent heads raise nothing',
    observations: (s) => inStep(s, ['n1', 'n2', 'n3'], 'a', 1, 6),
    expected: [],
  },
  {
    name: 'behavior: a known hash served with another parent is a conflicting header',
    observations: (s): Observation[] => [
      ...inStep(s, ['n1', 'n2'], 'a', 1, 3),
      { ...s.head('n2', 'a3', 4), parentHash: s.block('a1').hash },
    ],
    expected: [
      {
        node: 'n2',
        severity: 'critical',
        check: 'conflicting_header',
        code: 'conflicting_header',
        block: 'a3',
      },
    ],
  },
  {
    name: 'behavior: a header hash that the source found false',
    observations: (s) => [...inStep(s, ['n1', 'n2'], 'a', 1, 3), s.error('n1', 4, 'integrity')],
    expected: [{ node: 'n1', severity: 'critical', check: 'header_hash', code: 'integrity', block: '-' }],
  },
  {
    name: 'behavior: an unreachable node is no integrity failure',
    observations: (s) => [...inStep(s, ['n1', 'n2'], 'a', 1, 3), s.error('n1', 4, 'unreachable')],
    expected: [],
  },
  {
    name: 'behavior: a node on another chain from genesis is foreign once it disagrees at 4 heights',
    observations: (s) =>
      everySecond(1, 6, (t) => [...inStep(s, ['n1', 'n2', 'n3'], 'a', t, t), s.head('n4', `c${t}`, t)]),
    // c1..c4 against a1..a4, which three of four nodes back: foreign at c4, then out of the quorum.
    expected: [
      { node: 'n4', severity: 'critical', check: 'foreign_chain', code: 'foreign_chain', block: 'c4' },
    ],
  },
]);
