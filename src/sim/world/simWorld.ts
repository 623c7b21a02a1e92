import type { Hash, Observation } from '../../core/observation.ts';
import type { MinHeap } from '../minHeap.ts';
import type { Prng } from '../prng.ts';
import type { ConsensusKind, Scenario, SimAction, SimEvent } from '../scenario.ts';
import { SimError } from '../simError.ts';
import type { SimBlock, SimCheckpoint, SimMessage, SimVote } from './simBlock.ts';

/** A node: its own block tree, votes, checkpoints and head, and what the monitor saw of it. */
export type SimNodeState = {
  name: string;
  client: string;
  watched: boolean;
  index: number;
  known: Set<Hash>;
  children: Map<Hash, SimBlock[]>;
  /** Blocks waiting for their parent, by the parent's hash. */
  orphans: Map<Hash, SimBlock[]>;
  rejected: Set<Hash>;
  head: SimBlock;
  /** Each validator's latest head vote (LMD-GHOST). */
  latest: Map<number, { slot: number; block: SimBlock }>;
  /** Votes for blocks the node does not know yet, by block hash. */
  pendingVotes: Map<Hash, SimVote[]>;
  /** FFG target votes by epoch, then validator. */
  ffg: Map<number, Map<number, Hash>>;
  justified: SimCheckpoint;
  finalized: SimCheckpoint;
  frozen: boolean;
  /** What arrived while frozen. */
  queue: SimMessage[];
  extraDelayMs: number;
  monitorKnown: Set<Hash>;
  lastObservedMs: number;
  corruptNext: boolean;
  conflictNext: boolean;
};

/** A validator (pos), producer (poa) or miner (pow). */
export type SimProducerState = {
  name: string;
  index: number;
  node: SimNodeState;
  weight: number;
  offline: boolean;
  degraded: boolean;
};

/** A message held by a partition until it heals. */
export type SimHeldMessage = { from: SimNodeState; to: SimNodeState; message: SimMessage };

/**
 * The state of one run. The fixed part comes from the scenario; the rest changes as events run.
 * Every random draw goes through `rng`, one stream per purpose, so that the order of draws within
 * a stream, and with it the output, depends only on the seed.
 */
export type SimWorld = {
  scenario: Scenario;
  chain: string;
  consensus: ConsensusKind;
  /** pos with finality enabled in the chain's parameters: nodes report checkpoints. */
  finalityEnabled: boolean;
  /** Slot length (slot chains), 0 for proof of work. */
  slotMs: number;
  /** Slots per epoch (slot chains), 1 for proof of work. */
  slotsPerEpoch: number;
  /** Mean block interval of the whole network (proof of work), 0 for slot chains. */
  meanBlockMs: number;
  /** Time of the genesis block: the start of monitoring less the warm-up history. */
  genesisMs: number;
  /** Absolute slot of the genesis block, -1 for proof of work. */
  genesisSlot: number;
  rng: { proposers: Prng; network: Prng; timing: Prng; monitor: Prng };
  /** Salt of every block hash. */
  salt: number;
  /** Scheduled events, run in time order. */
  events: MinHeap<() => void>;
  /** Observations, released in `observedAtMs` order. */
  output: MinHeap<Observation>;
  blocks: Map<Hash, SimBlock>;
  nodes: SimNodeState[];
  nodeByName: Map<string, SimNodeState>;
  producers: SimProducerState[];
  producerByName: Map<string, SimProducerState>;
  /** Producers' weights, by producer index. */
  weights: number[];
  totalWeight: number;
  /** Base delay of each ordered pair of nodes, by node index. */
  linkMs: number[][];
  /** Partition group of each node, by node index. */
  groupOf: number[];
  held: SimHeldMessage[];
  halted: boolean;
  bug: Extract<SimAction, { type: 'clientBug' }> | undefined;
  monitoring: boolean;
  /** Scripted events that wait for a condition. */
  conditional: SimEvent[];
  /** Called after a node adopts a new head. */
  onHeadChange: (node: SimNodeState, timeMs: number) => void;
};

/** The node named `name`. Throws an `invalid_scenario` {@link SimError} when the scenario has none. */
export function getSimNode(world: SimWorld, name: string): SimNodeState {
  const node = world.nodeByName.get(name);
  if (!node) throw new SimError('invalid_scenario', `scenario ${world.scenario.name}: unknown node ${name}`);
  return node;
}

/** The producer named `name`. Throws an `invalid_scenario` {@link SimError} when the scenario has none. */
export function getSimProducer(world: SimWorld, name: string): SimProducerState {
  const producer = world.producerByName.get(name);
  if (!producer)
    throw new SimError('invalid_scenario', `scenario ${world.scenario.name}: unknown producer ${name}`);
  return producer;
}
