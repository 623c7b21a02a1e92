import { describeSignalCases } from '../../test/support/describeSignalCases.ts';
import type { Signal } from '../core/signal.ts';

// devnet: an RPC round trip above 1 s, or a block reaching a node more than 2 s after the first
// node saw it, is a latency warning, once per episode (again only after a measure under the limit).
const project = (s: Signal) =>
  s.kind === 'latency'
    ? { node: s.node, measure: s.measure, latencyMs: s.latencyMs, thresholdMs: s.thresholdMs }
    : {};

describeSignalCases('detectRpcLatency, detectPropagation', ['latency'], project, [
  {
    name: 'default: fast answers and blocks seen together raise nothing',
    observations: (s) => [
      s.head('n1', 'a1', 1, { latencyMs: 200 }),
      s.head('n2', 'a1', 1.5, { latencyMs: 1_000 }),
      s.head('n1', 'a2', 2, { latencyMs: 300 }),
      s.head('n2', 'a2', 4, { latencyMs: 400 }),
    ],
    // 1 000 ms is at the limit, not above; a2 reached n2 2 000 ms after n1, not more.
    expected: [],
  },
  {
    name: 'behavior: a slow round trip is raised once per episode',
    observations: (s) => [
      s.head('n1', 'a1', 1, { latencyMs: 500 }),
      s.head('n1', 'a2', 2, { latencyMs: 1_500 }),
      s.head('n1', 'a3', 3, { latencyMs: 1_800 }),
      s.head('n1', 'a4', 4, { latencyMs: 200 }),
      s.head('n1', 'a5', 5, { latencyMs: 1_200 }),
    ],
    expected: [
      { node: 'n1', measure: 'rpc', latencyMs: 1_500, thresholdMs: 1_000 },
      { node: 'n1', measure: 'rpc', latencyMs: 1_200, thresholdMs: 1_000 },
    ],
  },
  {
    name: 'behavior: a block that reaches a node late is raised once per episode',
    observations: (s) => [
      s.head('n1', 'a1', 1),
      s.head('n2', 'a1', 1.5),
      s.head('n1', 'a2', 2),
      s.head('n2', 'a2', 4.5),
      s.head('n1', 'a3', 5),
      s.head('n2', 'a3', 7.5),
      s.head('n1', 'a4', 8),
      s.head('n2', 'a4', 8.5),
      s.head('n1', 'a5', 9),
      s.head('n2', 'a5', 12),
    ],
    // a2: 2.5 s late (raised); a3: 2.5 s (same episode); a4: 0.5 s (over); a5: 3 s (raised).
    expected: [
      { node: 'n2', measure: 'propagation', latencyMs: 2_500, thresholdMs: 2_000 },
      { node: 'n2', measure: 'propagation', latencyMs: 3_000, thresholdMs: 2_000 },
    ],
  },
]);
