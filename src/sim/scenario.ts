import type { Level } from '../breaker/levels.ts';
import type { ChainParamsOverrides } from '../core/params.ts';
import type { SignalKind } from '../core/signal.ts';

/**
 * How blocks are made.
 * - `pos`: proof of stake with fixed slots, one proposer per slot drawn by stake, every validator
 *   attesting to its node's head each slot; fork choice LMD-GHOST from the justified checkpoint;
 *   simplified Casper FFG: an epoch is justified when validators holding >= 2/3 of stake attest to
 *   the same epoch checkpoint, the previous justified epoch is finalized when the next one is
 *   justified too.
 * - `poa`: proof of authority with fixed slots as in Clique and Bor: an in-turn producer per slot
 *   drawn by stake (difficulty 2), the others back it up after a wiggle delay if its block did not
 *   arrive (difficulty 1); fork choice by total difficulty. No finality.
 * - `pow`: proof of work: each miner finds blocks as a Poisson process whose rate is its share of
 *   the hash power; fork choice by most work (height, first seen on ties). No finality.
 */
export type ConsensusKind = 'pos' | 'poa' | 'pow';

export type SimNode = {
  name: string;
  /** Client implementation, as the node would report it. */
  client: string;
  /** The monitor watches this node. */
  watched?: boolean;
};

/** A validator (pos), producer (poa) or miner (pow) running on a node. */
export type SimProducer = {
  name: string;
  node: string;
  /** Stake (pos, poa) or hash power (pow), in any unit; shares are relative to the total. */
  weight: number;
};

/** When a scripted event happens: at a time, or when a condition first holds. */
export type SimTrigger =
  | { atMs: number }
  | {
      /** Fires when `node`'s head is `blocks` blocks above its common ancestor with `other`'s head. */
      diverged: { node: string; other: string; blocks: number };
    };

export type SimAction =
  /** Nodes in different groups cannot hear each other; messages wait for the heal. Nodes not
   * listed form one more group. */
  | { type: 'partition'; groups: string[][] }
  | { type: 'heal' }
  | { type: 'offline'; producers: string[] }
  | { type: 'online'; producers: string[] }
  /** pos: these validators' attestations are lost (an overloaded client); they still propose. */
  | { type: 'degrade'; producers: string[] }
  | { type: 'restore'; producers: string[] }
  /**
   * Nodes of `client` reject every block at height >= `fromHeight` built on a node of another
   * client, and everything built on a rejected block. With `mutual`, the other clients reject
   * the blocks that `client` builds from that height too (the two disagree on the state).
   */
  | { type: 'clientBug'; client: string; fromHeight: bigint; mutual: boolean }
  /** Every producer stops; no block is made until `resume`. */
  | { type: 'halt' }
  | { type: 'resume' }
  /** Nodes stop importing (and their producers stop producing); what arrives waits in a queue. */
  | { type: 'freeze'; nodes: string[] }
  /** Frozen nodes import what waited, at once. */
  | { type: 'unfreeze'; nodes: string[] }
  /** Extra delay on everything these nodes receive. */
  | { type: 'slow'; nodes: string[]; delayMs: number }
  /** Producers move to another node (miners pointing their hash power at other nodes). */
  | { type: 'moveProducers'; producers: string[]; node: string }
  /** The node's next head is served with a header whose hash does not match its contents. */
  | { type: 'corruptHeader'; node: string }
  /** The node serves a known block's hash with other contents (another parent and height). */
  | { type: 'conflictingHeader'; node: string };

export type SimEvent = SimTrigger & { action: SimAction };

/** What the incident implies, checked against the engine's output in test/scenarios.test.ts. */
export type ScenarioExpectation = {
  /** Exactly these signal kinds, and no other. */
  signals: SignalKind[];
  /** A chain-level reorg with a depth in this range. */
  chainReorgDepth?: { min: number; max: number };
  /** A divergence signal naming this fork height. */
  forkHeight?: bigint;
  /** A finality signal with at least this many epochs without finality, and none above `max`. */
  epochsWithoutFinality?: { min: number; max: number };
  /** The liveness signal's highest severity. */
  livenessSeverity?: 'warning' | 'critical';
  /** The breaker's highest level (`normal`: no transition at all). */
  maxLevel?: Level;
  /** The breaker reaches at least this level. */
  minLevel?: Level;
  /** Exactly the nodes that lag, divergence and integrity signals name. */
  nodes?: string[];
};

export type Scenario = {
  name: string;
  /** What happens and which real incident it reproduces, with the incident's facts. */
  description: string;
  /** Id of the incident in shared/data/incidents/incidents.json, or null for a generic shape. */
  incident: string | null;
  chain: string;
  preset: 'ethereum' | 'bitcoin' | 'devnet';
  params?: ChainParamsOverrides;
  consensus: ConsensusKind;
  /** Height of the genesis block (the first block the simulated history starts from). */
  genesisHeight: bigint;
  nodes: SimNode[];
  producers: SimProducer[];
  /** Monitored time, from the start (1704067200000, 2024-01-01T00:00:00Z), in ms. */
  durationMs: number;
  /** Interval of `tick` observations; one slot for slot chains and 10 s for proof of work when absent. */
  tickMs?: number;
  /** pos: proposers fixed for some slots (slot index from the start of monitoring). */
  proposers?: Record<number, string>;
  /** pos: slots released late, by slot index, with the delay in ms. */
  lateSlots?: Record<number, number>;
  /** pos: slots whose proposal is missed whoever the proposer, from a slot index on ('0' missed). */
  missedSlots?: { fromSlot: number; pattern: string };
  events: SimEvent[];
  expect: ScenarioExpectation;
};
