import type { Hash } from '../../core/observation.ts';
import { toSimHash } from '../simHash.ts';
import { SIM_START_MS } from '../simStartMs.ts';
import type { SimBlock, SimVote } from './simBlock.ts';
import { processEpoch, toSimCheckpointBlock } from './simFinality.ts';
import { applyVotes, importBlock, updateHead } from './simForkChoice.ts';
import { send } from './simNetwork.ts';
import { getSimProducer, type SimProducerState, type SimWorld } from './simWorld.ts';

// Block production: proposers by slot and attestations (pos), in-turn producers and their backups
// (poa), miners as Poisson processes (pow).

/** poa: how long a backup producer waits for the in-turn block, as a fraction of the slot. */
const WIGGLE_FRACTION = 0.25;

/** Schedules the first block of every miner (pow) or the first slot after genesis. */
export function startProduction(world: SimWorld): void {
  if (world.consensus === 'pow') {
    for (const p of world.producers) {
      const first = world.genesisMs + toMiningDelayMs(world, p);
      world.events.push(first, () => mine(world, p, first));
    }
  } else {
    world.events.push(world.genesisMs + world.slotMs, () => onSlot(world, world.genesisSlot + 1));
  }
}

/** `producer` builds a block on its node's head, imports it there and gossips it. */
function build(
  world: SimWorld,
  producer: SimProducerState,
  slot: number,
  timeMs: number,
  difficulty: number,
): void {
  const node = producer.node;
  const parent = node.head;
  const height = parent.height + 1;
  const timestamp = Math.floor((slot >= 0 ? slot * world.slotMs : timeMs) / 1000);
  const block: SimBlock = {
    hash: toSimHash(`${parent.hash}/${height}/${slot}/${producer.name}/${timeMs}`, world.salt),
    parent,
    height,
    number: world.scenario.genesisHeight + BigInt(height),
    slot,
    timestamp,
    builderClient: node.client,
    td: parent.td + difficulty,
  };
  world.blocks.set(block.hash, block);
  updateHead(world, node, timeMs, importBlock(world, node, block));
  send(world, node, { type: 'block', block }, timeMs);
}

function canProduce(world: SimWorld, p: SimProducerState): boolean {
  return !world.halted && !p.offline && !p.node.frozen;
}

function toMiningDelayMs(world: SimWorld, producer: SimProducerState): number {
  const meanMs = (world.meanBlockMs * world.totalWeight) / producer.weight;
  return Math.max(1, Math.round(world.rng.timing.exponential(meanMs)));
}

function mine(world: SimWorld, producer: SimProducerState, timeMs: number): void {
  if (canProduce(world, producer)) build(world, producer, -1, timeMs, 1);
  const next = timeMs + toMiningDelayMs(world, producer);
  world.events.push(next, () => mine(world, producer, next));
}

function onSlot(world: SimWorld, slot: number): void {
  const timeMs = slot * world.slotMs;
  world.events.push(timeMs + world.slotMs, () => onSlot(world, slot + 1));
  if (world.consensus === 'pos') onPosSlot(world, slot, timeMs);
  else onPoaSlot(world, slot, timeMs);
}

/** Whether the scenario's pattern of missed slots misses the slot of this index. */
function isMissedByPattern(world: SimWorld, index: number): boolean {
  const missed = world.scenario.missedSlots;
  if (!missed || index < missed.fromSlot) return false;
  return missed.pattern[index - missed.fromSlot] === '0';
}

/** pos: epoch processing at an epoch's first slot, a proposal, and attestations a third in. */
function onPosSlot(world: SimWorld, slot: number, timeMs: number): void {
  const { scenario, slotMs } = world;
  const index = slot - SIM_START_MS / slotMs;
  if (slot % world.slotsPerEpoch === 0) {
    for (const node of world.nodes) {
      if (node.frozen) continue;
      processEpoch(world, node, slot / world.slotsPerEpoch - 1, timeMs);
      updateHead(world, node, timeMs, []);
    }
  }
  const drawn = world.rng.proposers.weighted(world.weights);
  const pinned = index >= 0 ? scenario.proposers?.[index] : undefined;
  const proposer = pinned !== undefined ? getSimProducer(world, pinned) : world.producers[drawn]!;
  const proposeAtMs =
    timeMs +
    world.rng.timing.between(Math.ceil(slotMs * 0.004), Math.ceil(slotMs * 0.04)) +
    (scenario.lateSlots?.[index] ?? 0);
  if (!isMissedByPattern(world, index)) {
    world.events.push(proposeAtMs, () => {
      if (canProduce(world, proposer)) build(world, proposer, slot, proposeAtMs, 1);
    });
  }
  const attestAtMs = timeMs + Math.round(slotMs / 3);
  world.events.push(attestAtMs, () => attest(world, slot, attestAtMs));
}

/** pos: the validators of each node vote for its head and the epoch's checkpoint on its chain. */
function attest(world: SimWorld, slot: number, timeMs: number): void {
  if (world.halted) return;
  const epoch = Math.floor(slot / world.slotsPerEpoch);
  for (const node of world.nodes) {
    if (node.frozen) continue;
    const votes: SimVote[] = [];
    let target: Hash | undefined;
    for (const p of world.producers) {
      if (p.node !== node || p.offline || p.degraded) continue;
      target ??= toSimCheckpointBlock(world, node.head, epoch).hash;
      votes.push({ validator: p.index, slot, block: node.head.hash, epoch, target });
    }
    if (votes.length === 0) continue;
    applyVotes(world, node, votes);
    updateHead(world, node, timeMs, []);
    send(world, node, { type: 'votes', votes }, timeMs);
  }
}

/**
 * poa: the in-turn producer, or in each part of a partition that cannot hear it, the first
 * backup there (Clique's wiggle: backups wait, and the first one to go stops the others).
 */
function onPoaSlot(world: SimWorld, slot: number, timeMs: number): void {
  const { producers, rng } = world;
  const inTurn = producers[rng.proposers.weighted(world.weights)]!;
  const order = producers.filter((p) => p !== inTurn);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.proposers.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const done = new Set<number>();
  if (canProduce(world, inTurn)) {
    done.add(world.groupOf[inTurn.node.index]!);
    const t = timeMs + rng.timing.between(20, 80);
    world.events.push(t, () => build(world, inTurn, slot, t, 2));
  }
  const wiggleMs = Math.round(world.slotMs * WIGGLE_FRACTION);
  for (const p of order) {
    const group = world.groupOf[p.node.index]!;
    if (done.has(group) || !canProduce(world, p)) continue;
    done.add(group);
    const t = timeMs + wiggleMs + rng.timing.between(0, 40);
    world.events.push(t, () => {
      if (canProduce(world, p) && p.node.head.slot < slot) build(world, p, slot, t, 1);
    });
  }
}
