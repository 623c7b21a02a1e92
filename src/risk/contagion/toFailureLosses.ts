import type { ContagionGraph } from './contagionGraph.ts';
import { RiskError } from './riskError.ts';

/** Loss fraction of every node (in [0, 1] of its value) when one node fails. */
export type FailureLosses = ReadonlyMap<string, number>;

/**
 * Propagates the failure of `failed` through the graph, in dependency order:
 *
 *   loss(failed) = 1
 *   loss(x)      = 1 - Π over x's dependencies d of (1 - d.severity * loss(d.on))
 *
 * A node reached through several paths loses as if each path hit it independently, so the loss
 * stays in [0, 1] and grows with every path. Nodes that do not depend on `failed` lose 0.
 *
 * `nativeSeverity`, when given, replaces the severity of the `native` edges on `failed` (a recovery
 * given for the source: severity = 1 - recovery).
 *
 * @throws {RiskError} `unknown_reference` when `failed` is not in the graph.
 *
 * @example
 * // stETH: underlying ETH (1.0) which is native on ethereum (0.5 here), and consensus on ethereum (0.2)
 * toFailureLosses(graph, 'ethereum', 0.5).get('stETH'); // 1 - (1 - 0.5) * (1 - 0.2) = 0.6
 */
export function toFailureLosses(
  graph: ContagionGraph,
  failed: string,
  nativeSeverity?: number,
): FailureLosses {
  if (!graph.nodes.has(failed)) {
    throw new RiskError('unknown_reference', `no node "${failed}" in the contagion graph`, {
      field: 'failed',
      value: failed,
    });
  }
  const losses = new Map<string, number>();
  for (const id of graph.order) {
    if (id === failed) {
      losses.set(id, 1);
      continue;
    }
    let survive = 1;
    for (const dependency of graph.nodes.get(id)?.dependsOn ?? []) {
      const severity =
        nativeSeverity !== undefined && dependency.on === failed && dependency.kind === 'native'
          ? nativeSeverity
          : dependency.severity;
      survive *= 1 - severity * (losses.get(dependency.on) ?? 0);
    }
    losses.set(id, 1 - survive);
  }
  return losses;
}
