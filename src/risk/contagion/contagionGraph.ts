import { assertInRange, RiskError } from './riskError.ts';

/** What a node of the contagion graph stands for. */
export type ContagionNodeKind = 'chain' | 'bridge' | 'sequencer' | 'issuer' | 'asset';

/**
 * Why one node depends on another:
 * - `native`: the chain's own token (its price falls when the chain fails);
 * - `consensus`: a liquid staking token on its chain's validators;
 * - `underlying`: a derivative token on the asset it represents (stETH on ETH, WBTC on BTC);
 * - `bridge`: a wrapped asset on the bridge or custodian that holds its backing;
 * - `sequencer`: an L2 on its sequencer;
 * - `l1_finality`: an L2 on its L1's finality;
 * - `token_chain`: a token on the chain its contract lives on (transfers freeze with it);
 * - `issuer`: a fiat-backed token on its issuer.
 */
export type DependencyKind =
  | 'native'
  | 'consensus'
  | 'underlying'
  | 'bridge'
  | 'sequencer'
  | 'l1_finality'
  | 'token_chain'
  | 'issuer';

/**
 * An edge: the dependent loses `severity` times the loss of `on` (a fraction in [0, 1] of its
 * value) when `on` fails.
 */
export type Dependency = { on: string; kind: DependencyKind; severity: number };

export type ContagionNode = {
  id: string;
  kind: ContagionNodeKind;
  dependsOn?: readonly Dependency[];
  /**
   * Failures per year of this node on its own, used when the hazard model has no base rate for it
   * (bridges, sequencers, issuers, chains outside the incident table).
   */
  hazardPerYear?: number;
};

/** A validated, acyclic graph with its nodes in dependency order (every node after what it depends on). */
export type ContagionGraph = {
  readonly nodes: ReadonlyMap<string, ContagionNode>;
  /** Node ids, dependencies first. */
  readonly order: readonly string[];
  /** Nodes that can fail on their own: every kind but `asset`. */
  readonly sources: readonly string[];
};

/**
 * Validates nodes into a graph: unique ids, known dependency targets, severities in [0, 1],
 * no cycle.
 *
 * @throws {RiskError} `invalid_graph` naming the node and the problem.
 */
export function createContagionGraph(nodes: readonly ContagionNode[]): ContagionGraph {
  const byId = new Map<string, ContagionNode>();
  for (const [index, node] of nodes.entries()) {
    if (typeof node.id !== 'string' || node.id === '') {
      throw new RiskError('invalid_graph', `node ${index} has no id`, { field: `nodes.${index}.id` });
    }
    if (byId.has(node.id)) {
      throw new RiskError('invalid_graph', `node "${node.id}" is defined twice`, {
        field: `nodes.${index}.id`,
      });
    }
    if (node.hazardPerYear !== undefined) {
      assertInRange(node.hazardPerYear, `nodes.${index}.hazardPerYear`, 0, Number.MAX_VALUE);
    }
    byId.set(node.id, node);
  }
  for (const [index, node] of nodes.entries()) {
    for (const [j, dependency] of (node.dependsOn ?? []).entries()) {
      if (!byId.has(dependency.on)) {
        throw new RiskError('invalid_graph', `node "${node.id}" depends on unknown node "${dependency.on}"`, {
          field: `nodes.${index}.dependsOn.${j}.on`,
          value: dependency.on,
        });
      }
      assertInRange(dependency.severity, `nodes.${index}.dependsOn.${j}.severity`, 0, 1);
    }
  }
  const order: string[] = [];
  const mark = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): void => {
    const state = mark.get(id);
    if (state === 'done') return;
    if (state === 'visiting') {
      throw new RiskError('invalid_graph', `dependency cycle: ${[...path, id].join(' -> ')}`, {
        field: 'nodes',
        value: [...path, id],
      });
    }
    mark.set(id, 'visiting');
    for (const dependency of byId.get(id)?.dependsOn ?? []) visit(dependency.on, [...path, id]);
    mark.set(id, 'done');
    order.push(id);
  };
  for (const node of nodes) visit(node.id, []);
  const sources = order.filter((id) => byId.get(id)?.kind !== 'asset');
  return { nodes: byId, order, sources };
}
