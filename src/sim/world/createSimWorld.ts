import type { Hash, Observation } from '../../core/observation.ts';
import { toChainParams } from '../../core/params.ts';
import { createMinHeap } from '../minHeap.ts';
import { createPrng } from '../prng.ts';
import type { Scenario, SimNode } from '../scenario.ts';
import { SimError } from '../simError.ts';
import { toSimHash } from '../simHash.ts';
import { SIM_START_MS } from '../simStartMs.ts';
import type { SimBlock } from './simBlock.ts';
import type { SimNodeState, SimProducerState, SimWorld } from './simWorld.ts';

/**
 * The world of a run before its first event: the genesis block, every node on it, the producers,
 * the links between nodes (with seeded base delays) and empty event and output queues.
 * Proof-of-stake history starts two epochs before monitoring. Throws an `invalid_scenario` {@link SimError} when the scenario's consensus
 * and block-time model do not fit, or it names an unknown node.
 */
export function createSimWorld(
  scenario: Scenario,
  seed: number,
  onHeadChange: SimWorld['onHeadChange'],
): SimWorld {
  const params = toChainParams(scenario.preset, scenario.params);
  const model = params.blockTime;
  const consensus = scenario.consensus;
  if (consensus !== 'pow' && model.kind !== 'slots') {
    throw new SimError(
      'invalid_scenario',
      `scenario ${scenario.name}: ${consensus} needs a slot block-time model`,
    );
  }
  if (consensus === 'pow' && model.kind !== 'exponential') {
    throw new SimError(
      'invalid_scenario',
      `scenario ${scenario.name}: pow needs an exponential block-time model`,
    );
  }
  const slotMs = model.kind === 'slots' ? model.slotMs : 0;
  const slotsPerEpoch = model.kind === 'slots' ? model.slotsPerEpoch : 1;
  const warmupMs = consensus === 'pos' ? 2 * slotsPerEpoch * slotMs : 0;
  const genesisMs = SIM_START_MS - warmupMs;
  const rng = {
    proposers: createPrng(seed, 'proposers'),
    network: createPrng(seed, 'network'),
    timing: createPrng(seed, 'timing'),
    monitor: createPrng(seed, 'monitor'),
  };
  const salt = createPrng(seed, 'hash').nextU32();

  const genesisSlot = model.kind === 'slots' ? genesisMs / slotMs : -1;
  const genesis: SimBlock = {
    hash: toSimHash(`genesis/${scenario.chain}/${scenario.genesisHeight}`, salt),
    parent: undefined,
    height: 0,
    number: scenario.genesisHeight,
    slot: genesisSlot,
    timestamp: Math.floor(genesisMs / 1000),
    builderClient: '',
    td: 0,
  };
  const genesisEpoch = model.kind === 'slots' ? Math.floor(genesisSlot / slotsPerEpoch) : 0;
  const nodes = scenario.nodes.map((n, index) => toInitialNode(n, index, genesis, genesisEpoch));
  const nodeByName = new Map(nodes.map((n) => [n.name, n]));
  const producers: SimProducerState[] = scenario.producers.map((p, index) => {
    const node = nodeByName.get(p.node);
    if (!node) throw new SimError('invalid_scenario', `scenario ${scenario.name}: unknown node ${p.node}`);
    return { name: p.name, index, node, weight: p.weight, offline: false, degraded: false };
  });
  const weights = producers.map((p) => p.weight);
  return {
    scenario,
    chain: scenario.chain,
    consensus,
    finalityEnabled: consensus === 'pos' && params.finality.enabled,
    slotMs,
    slotsPerEpoch,
    meanBlockMs: model.kind === 'exponential' ? model.meanBlockMs : 0,
    genesisMs,
    genesisSlot,
    rng,
    salt,
    events: createMinHeap<() => void>(),
    output: createMinHeap<Observation>(),
    blocks: new Map<Hash, SimBlock>([[genesis.hash, genesis]]),
    nodes,
    nodeByName,
    producers,
    producerByName: new Map(producers.map((p) => [p.name, p])),
    weights,
    totalWeight: weights.reduce((a, b) => a + b, 0),
    // Links: a seeded base delay per ordered pair of nodes; each message adds a seeded jitter.
    linkMs: nodes.map(() => nodes.map(() => rng.network.between(30, 180))),
    groupOf: nodes.map(() => 0),
    held: [],
    halted: false,
    bug: undefined,
    monitoring: false,
    conditional: [],
    onHeadChange,
  };
}

/** A node that knows only the genesis block, its head and checkpoints. */
function toInitialNode(n: SimNode, index: number, genesis: SimBlock, genesisEpoch: number): SimNodeState {
  return {
    name: n.name,
    client: n.client,
    watched: n.watched === true,
    index,
    known: new Set([genesis.hash]),
    children: new Map(),
    orphans: new Map(),
    rejected: new Set(),
    head: genesis,
    latest: new Map(),
    pendingVotes: new Map(),
    ffg: new Map(),
    justified: { epoch: genesisEpoch, block: genesis },
    finalized: { epoch: genesisEpoch, block: genesis },
    frozen: false,
    queue: [],
    extraDelayMs: 0,
    monitorKnown: new Set(),
    lastObservedMs: 0,
    corruptNext: false,
    conflictNext: false,
  };
}
