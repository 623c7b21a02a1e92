import type { BlockObservation, CheckpointKind, Hash, Observation } from '../core/observation.ts';
import { type ChainParams, toChainParams } from '../core/params.ts';
import { createMinHeap } from './minHeap.ts';
import { createPrng } from './prng.ts';
import type { Scenario, SimAction, SimEvent } from './scenario.ts';
import { toSimHash } from './simHash.ts';

/** Start of monitoring in every run: 2024-01-01T00:00:00Z, in ms. Slot and epoch boundaries of
 * every preset fall on it, so epochs counted from the Unix epoch are whole. */
export const SIM_START_MS = 1_704_067_200_000;

/** Parent hash of a genesis block. */
export const GENESIS_PARENT_HASH: Hash = '0'.repeat(64);

export type SimulateOptions = {
  /** Seed of every random draw (default 1). Same seed, same observations. */
  seed?: number;
};

/**
 * Runs a scenario and yields the observations that a monitor of its watched nodes would make, in
 * `observedAtMs` order (ties in the order they were made). Pure and deterministic: the seed is
 * the only source of randomness and time is simulated.
 *
 * The model is a discrete-event simulation: producers make blocks (by slot or by mining), blocks
 * and attestations travel between nodes over links with seeded delays, partitions hold messages
 * until they heal, each node keeps its own block tree and chooses its head by the fork choice of
 * the consensus kind (see {@link ConsensusKind}). A watched node's head change becomes a `head`
 * observation at the time it was adopted plus a seeded poll delay and RPC round trip, preceded by
 * `block` observations for ancestors the monitor has not seen from that node (a parent walk-back).
 * Proof-of-stake nodes report `justified` and `finalized` checkpoints when they change; `tick`
 * observations mark time. Proof-of-stake history starts two epochs before monitoring, so that
 * finality is already running when the monitor starts.
 */
export function* streamScenario(scenario: Scenario, options: SimulateOptions = {}): Generator<Observation> {
  const world = createWorld(scenario, options.seed ?? 1);
  const endMs = SIM_START_MS + scenario.durationMs;
  for (;;) {
    const time = world.events.peekTime();
    if (time === undefined || time > endMs) break;
    while ((world.output.peekTime() ?? Number.POSITIVE_INFINITY) <= time) yield world.output.pop()!.item;
    world.events.pop()!.item();
  }
  for (;;) {
    const next = world.output.pop();
    if (!next || next.time > endMs) break;
    yield next.item;
  }
}

type Block = {
  hash: Hash;
  parent: Block | undefined;
  /** Height above genesis. */
  height: number;
  number: bigint;
  /** Absolute slot (slot chains), -1 for proof of work. */
  slot: number;
  timestamp: number;
  builderClient: string;
  /** Total difficulty (poa): sum of 2 for in-turn and 1 for out-of-turn blocks. */
  td: number;
};

type Vote = { validator: number; slot: number; block: Hash; epoch: number; target: Hash };

type Message = { type: 'block'; block: Block } | { type: 'votes'; votes: Vote[] };

type Checkpoint = { epoch: number; block: Block };

type NodeState = {
  name: string;
  client: string;
  watched: boolean;
  index: number;
  known: Set<Hash>;
  children: Map<Hash, Block[]>;
  orphans: Map<Hash, Block[]>;
  rejected: Set<Hash>;
  head: Block;
  latest: Map<number, { slot: number; block: Block }>;
  pendingVotes: Map<Hash, Vote[]>;
  ffg: Map<number, Map<number, Hash>>;
  justified: Checkpoint;
  finalized: Checkpoint;
  frozen: boolean;
  queue: Message[];
  extraDelayMs: number;
  monitorKnown: Set<Hash>;
  lastObservedMs: number;
  corruptNext: boolean;
  conflictNext: boolean;
};

type ProducerState = {
  name: string;
  index: number;
  node: NodeState;
  weight: number;
  offline: boolean;
  degraded: boolean;
};

type World = {
  events: ReturnType<typeof createMinHeap<() => void>>;
  output: ReturnType<typeof createMinHeap<Observation>>;
};

/** poa: how long a backup producer waits for the in-turn block, as a fraction of the slot. */
const WIGGLE_FRACTION = 0.25;

function createWorld(scenario: Scenario, seed: number): World {
  const params: ChainParams = toChainParams(scenario.preset, scenario.params);
  const model = params.blockTime;
  const consensus = scenario.consensus;
  if (consensus !== 'pow' && model.kind !== 'slots') {
    throw new Error(`scenario ${scenario.name}: ${consensus} needs a slot block-time model`);
  }
  if (consensus === 'pow' && model.kind !== 'exponential') {
    throw new Error(`scenario ${scenario.name}: pow needs an exponential block-time model`);
  }
  const slotMs = model.kind === 'slots' ? model.slotMs : 0;
  const slotsPerEpoch = model.kind === 'slots' ? model.slotsPerEpoch : 1;
  const meanBlockMs = model.kind === 'exponential' ? model.meanBlockMs : 0;
  const finalityEnabled = consensus === 'pos' && params.finality.enabled;
  const warmupMs = consensus === 'pos' ? 2 * slotsPerEpoch * slotMs : 0;
  const genesisMs = SIM_START_MS - warmupMs;
  const endMs = SIM_START_MS + scenario.durationMs;
  const tickMs = scenario.tickMs ?? (consensus === 'pow' ? 10_000 : slotMs);
  const chain = scenario.chain;

  const proposerRng = createPrng(seed, 'proposers');
  const networkRng = createPrng(seed, 'network');
  const timingRng = createPrng(seed, 'timing');
  const monitorRng = createPrng(seed, 'monitor');
  const salt = createPrng(seed, 'hash').nextU32();

  const events = createMinHeap<() => void>();
  const output = createMinHeap<Observation>();
  const at = (time: number, run: () => void) => events.push(time, run);

  const genesisSlot = model.kind === 'slots' ? genesisMs / slotMs : -1;
  const genesis: Block = {
    hash: toSimHash(`genesis/${chain}/${scenario.genesisHeight}`, salt),
    parent: undefined,
    height: 0,
    number: scenario.genesisHeight,
    slot: genesisSlot,
    timestamp: Math.floor(genesisMs / 1000),
    builderClient: '',
    td: 0,
  };
  const blocks = new Map<Hash, Block>([[genesis.hash, genesis]]);
  const genesisEpoch = model.kind === 'slots' ? Math.floor(genesisSlot / slotsPerEpoch) : 0;

  const nodes: NodeState[] = scenario.nodes.map((n, index) => ({
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
  }));
  const nodeByName = new Map(nodes.map((n) => [n.name, n]));
  const nodeOf = (name: string): NodeState => {
    const node = nodeByName.get(name);
    if (!node) throw new Error(`scenario ${scenario.name}: unknown node ${name}`);
    return node;
  };
  const producers: ProducerState[] = scenario.producers.map((p, index) => ({
    name: p.name,
    index,
    node: nodeOf(p.node),
    weight: p.weight,
    offline: false,
    degraded: false,
  }));
  const producerByName = new Map(producers.map((p) => [p.name, p]));
  const producerOf = (name: string): ProducerState => {
    const producer = producerByName.get(name);
    if (!producer) throw new Error(`scenario ${scenario.name}: unknown producer ${name}`);
    return producer;
  };
  const weights = producers.map((p) => p.weight);
  const totalWeight = weights.reduce((a, b) => a + b, 0);

  // Links: a seeded base delay per ordered pair of nodes, plus a seeded jitter per message.
  const linkMs = nodes.map(() => nodes.map(() => networkRng.between(30, 180)));
  const delay = (from: NodeState, to: NodeState): number =>
    linkMs[from.index]![to.index]! + networkRng.between(0, 60) + to.extraDelayMs;

  let groupOf: number[] = nodes.map(() => 0);
  let held: Array<{ from: NodeState; to: NodeState; message: Message }> = [];
  let halted = false;
  let bug: Extract<SimAction, { type: 'clientBug' }> | undefined;
  let monitoring = false;
  const conditional: SimEvent[] = [];

  // Observations -----------------------------------------------------------------------------

  const observe = (node: NodeState, timeMs: number): { observedAtMs: number; latencyMs: number } => {
    const latencyMs = monitorRng.between(15, 90);
    const observedAtMs = Math.max(timeMs + monitorRng.between(10, 250) + latencyMs, node.lastObservedMs + 1);
    node.lastObservedMs = observedAtMs;
    return { observedAtMs, latencyMs };
  };

  const toBlockObservation = (
    node: NodeState,
    block: Block,
    type: 'head' | 'block',
    observedAtMs: number,
    latencyMs: number,
  ): BlockObservation => ({
    type,
    chain,
    node: node.name,
    client: node.client,
    number: block.number,
    hash: block.hash,
    parentHash: block.parent?.hash ?? GENESIS_PARENT_HASH,
    timestamp: block.timestamp,
    observedAtMs,
    latencyMs,
  });

  const emitHead = (node: NodeState, block: Block, timeMs: number): void => {
    if (!monitoring || !node.watched) return;
    const { observedAtMs, latencyMs } = observe(node, timeMs);
    if (node.corruptNext) {
      node.corruptNext = false;
      const served = toSimHash(`served/${block.hash}`, salt);
      output.push(observedAtMs, {
        type: 'error',
        chain,
        node: node.name,
        client: node.client,
        code: 'integrity',
        message: `header hash mismatch at block ${block.number}: served hash ${served} but the header's contents hash to ${block.hash}`,
        observedAtMs,
        latencyMs,
      });
      return;
    }
    const missing: Block[] = [];
    for (let b = block.parent; b && !node.monitorKnown.has(b.hash); b = b.parent) missing.push(b);
    for (let i = missing.length - 1; i >= 0; i--) {
      const b = missing[i]!;
      node.monitorKnown.add(b.hash);
      output.push(observedAtMs, toBlockObservation(node, b, 'block', observedAtMs, latencyMs));
    }
    node.monitorKnown.add(block.hash);
    output.push(observedAtMs, toBlockObservation(node, block, 'head', observedAtMs, latencyMs));
    if (node.conflictNext && block.parent) {
      node.conflictNext = false;
      const known = block.parent;
      const conflicting = toBlockObservation(node, known, 'block', observedAtMs, latencyMs);
      conflicting.number = known.number + 1n;
      conflicting.parentHash = toSimHash(`conflict/${known.hash}`, salt);
      output.push(observedAtMs, conflicting);
    }
  };

  const emitCheckpoint = (node: NodeState, kind: CheckpointKind, cp: Checkpoint, timeMs: number): void => {
    if (!monitoring || !node.watched || !finalityEnabled) return;
    const { observedAtMs } = observe(node, timeMs);
    output.push(observedAtMs, {
      type: 'checkpoint',
      chain,
      node: node.name,
      client: node.client,
      kind,
      number: cp.block.number,
      epoch: cp.epoch,
      hash: cp.block.hash,
      observedAtMs,
    });
  };

  // Block trees and fork choice ------------------------------------------------------------------

  const rejects = (node: NodeState, block: Block): boolean => {
    if (block.parent && node.rejected.has(block.parent.hash)) return true;
    if (!bug || block.number < bug.fromHeight) return false;
    const nodeAffected = node.client === bug.client;
    const builderAffected = block.builderClient === bug.client;
    if (nodeAffected && !builderAffected) return true;
    return bug.mutual && !nodeAffected && builderAffected;
  };

  /** Imports a block and any orphans waiting on it; returns the blocks imported. */
  const importBlock = (node: NodeState, block: Block): Block[] => {
    const imported: Block[] = [];
    const stack = [block];
    while (stack.length > 0) {
      const b = stack.pop()!;
      if (node.known.has(b.hash) || node.rejected.has(b.hash)) continue;
      if (rejects(node, b)) {
        node.rejected.add(b.hash);
        const waiting = node.orphans.get(b.hash);
        if (waiting) {
          node.orphans.delete(b.hash);
          for (const w of waiting) node.rejected.add(w.hash);
        }
        continue;
      }
      const parent = b.parent!;
      if (!node.known.has(parent.hash)) {
        const list = node.orphans.get(parent.hash);
        if (list) list.push(b);
        else node.orphans.set(parent.hash, [b]);
        continue;
      }
      node.known.add(b.hash);
      const siblings = node.children.get(parent.hash);
      if (siblings) siblings.push(b);
      else node.children.set(parent.hash, [b]);
      imported.push(b);
      const votes = node.pendingVotes.get(b.hash);
      if (votes) {
        node.pendingVotes.delete(b.hash);
        for (const v of votes) applyLatest(node, v, b);
      }
      const waiting = node.orphans.get(b.hash);
      if (waiting) {
        node.orphans.delete(b.hash);
        for (const w of waiting) stack.push(w);
      }
    }
    return imported;
  };

  const applyLatest = (node: NodeState, vote: Vote, block: Block): void => {
    const previous = node.latest.get(vote.validator);
    if (!previous || previous.slot < vote.slot) node.latest.set(vote.validator, { slot: vote.slot, block });
  };

  const applyVotes = (node: NodeState, votes: Vote[]): void => {
    for (const vote of votes) {
      if (vote.epoch > node.justified.epoch) {
        let tally = node.ffg.get(vote.epoch);
        if (!tally) node.ffg.set(vote.epoch, (tally = new Map()));
        tally.set(vote.validator, vote.target);
      }
      if (node.known.has(vote.block)) applyLatest(node, vote, blocks.get(vote.block)!);
      else if (!node.rejected.has(vote.block)) {
        const list = node.pendingVotes.get(vote.block);
        if (list) list.push(vote);
        else node.pendingVotes.set(vote.block, [vote]);
      }
    }
  };

  /** LMD-GHOST from the justified checkpoint over the latest votes the node knows. */
  const ghostHead = (node: NodeState): Block => {
    const root = node.justified.block;
    const byBlock = new Map<Block, number>();
    for (const [validator, { block }] of node.latest) {
      byBlock.set(block, (byBlock.get(block) ?? 0) + weights[validator]!);
    }
    const weight = new Map<Hash, number>();
    for (const [block, w] of byBlock) {
      for (let b: Block | undefined = block; b && b.height > root.height; b = b.parent) {
        weight.set(b.hash, (weight.get(b.hash) ?? 0) + w);
      }
    }
    let head = root;
    for (;;) {
      const kids = node.children.get(head.hash);
      if (!kids || kids.length === 0) return head;
      let best = kids[0]!;
      let bestWeight = weight.get(best.hash) ?? 0;
      for (let i = 1; i < kids.length; i++) {
        const kid = kids[i]!;
        const w = weight.get(kid.hash) ?? 0;
        if (w > bestWeight || (w === bestWeight && kid.hash > best.hash)) {
          best = kid;
          bestWeight = w;
        }
      }
      head = best;
    }
  };

  const updateHead = (node: NodeState, timeMs: number, imported: Block[]): void => {
    let next = node.head;
    if (consensus === 'pos') next = ghostHead(node);
    else {
      for (const b of imported) {
        if (consensus === 'pow' ? b.height > next.height : b.td > next.td) next = b;
      }
    }
    if (next === node.head) return;
    node.head = next;
    emitHead(node, next, timeMs);
    checkConditions(node, timeMs);
  };

  const receive = (node: NodeState, message: Message, timeMs: number): void => {
    if (node.frozen) {
      node.queue.push(message);
      return;
    }
    if (message.type === 'block') updateHead(node, timeMs, importBlock(node, message.block));
    else {
      applyVotes(node, message.votes);
      updateHead(node, timeMs, []);
    }
  };

  /** Imports a backlog (a sync after a partition or a stall) and chooses the head once. */
  const receiveAll = (node: NodeState, messages: Message[], timeMs: number): void => {
    if (node.frozen) {
      node.queue.push(...messages);
      return;
    }
    const imported: Block[] = [];
    for (const message of messages) {
      if (message.type === 'block') imported.push(...importBlock(node, message.block));
      else applyVotes(node, message.votes);
    }
    updateHead(node, timeMs, imported);
  };

  const send = (from: NodeState, message: Message, timeMs: number): void => {
    for (const to of nodes) {
      if (to === from) continue;
      if (groupOf[from.index] !== groupOf[to.index]) held.push({ from, to, message });
      else {
        const arriveMs = timeMs + delay(from, to);
        at(arriveMs, () => receive(to, message, arriveMs));
      }
    }
  };

  // Production --------------------------------------------------------------------------------

  const build = (producer: ProducerState, slot: number, timeMs: number, difficulty: number): void => {
    const node = producer.node;
    const parent = node.head;
    const height = parent.height + 1;
    const timestamp = Math.floor((slot >= 0 ? slot * slotMs : timeMs) / 1000);
    const block: Block = {
      hash: toSimHash(`${parent.hash}/${height}/${slot}/${producer.name}/${timeMs}`, salt),
      parent,
      height,
      number: scenario.genesisHeight + BigInt(height),
      slot,
      timestamp,
      builderClient: node.client,
      td: parent.td + difficulty,
    };
    blocks.set(block.hash, block);
    updateHead(node, timeMs, importBlock(node, block));
    send(node, { type: 'block', block }, timeMs);
  };

  const canProduce = (p: ProducerState): boolean => !halted && !p.offline && !p.node.frozen;

  const slotIndexOf = (slot: number): number => slot - SIM_START_MS / slotMs;

  const missedByPattern = (index: number): boolean => {
    const missed = scenario.missedSlots;
    if (!missed || index < missed.fromSlot) return false;
    return missed.pattern[index - missed.fromSlot] === '0';
  };

  const checkpointOf = (head: Block, epoch: number): Block => {
    const boundary = epoch * slotsPerEpoch;
    let b = head;
    while (b.slot > boundary && b.parent) b = b.parent;
    return b;
  };

  const processEpoch = (node: NodeState, epoch: number, timeMs: number): void => {
    const tally = node.ffg.get(epoch);
    for (const e of node.ffg.keys()) if (e <= epoch) node.ffg.delete(e);
    if (!tally || epoch <= node.justified.epoch) return;
    const stakeByTarget = new Map<Hash, number>();
    for (const [validator, target] of tally) {
      stakeByTarget.set(target, (stakeByTarget.get(target) ?? 0) + weights[validator]!);
    }
    for (const [target, stake] of stakeByTarget) {
      if (3 * stake < 2 * totalWeight || !node.known.has(target)) continue;
      const previous = node.justified;
      node.justified = { epoch, block: blocks.get(target)! };
      emitCheckpoint(node, 'justified', node.justified, timeMs);
      const finalizes = previous.epoch === epoch - 1 && previous.block !== node.finalized.block;
      if (finalizes && isAncestorOrSelf(previous.block, node.justified.block)) {
        node.finalized = previous;
        emitCheckpoint(node, 'finalized', node.finalized, timeMs);
      }
      return;
    }
  };

  const onSlot = (slot: number): void => {
    const timeMs = slot * slotMs;
    at(timeMs + slotMs, () => onSlot(slot + 1));
    const index = slotIndexOf(slot);
    if (consensus === 'pos') {
      if (slot % slotsPerEpoch === 0) {
        for (const node of nodes) {
          if (node.frozen) continue;
          processEpoch(node, slot / slotsPerEpoch - 1, timeMs);
          updateHead(node, timeMs, []);
        }
      }
      const drawn = proposerRng.weighted(weights);
      const pinned = index >= 0 ? scenario.proposers?.[index] : undefined;
      const proposer = pinned !== undefined ? producerOf(pinned) : producers[drawn]!;
      const proposeAtMs =
        timeMs +
        timingRng.between(Math.ceil(slotMs * 0.004), Math.ceil(slotMs * 0.04)) +
        (scenario.lateSlots?.[index] ?? 0);
      if (!missedByPattern(index)) {
        at(proposeAtMs, () => {
          if (canProduce(proposer)) build(proposer, slot, proposeAtMs, 1);
        });
      }
      const attestAtMs = timeMs + Math.round(slotMs / 3);
      at(attestAtMs, () => attest(slot, attestAtMs));
      return;
    }
    // poa: the in-turn producer, or in each part of a partition that cannot hear it, the first
    // backup there (Clique's wiggle: backups wait, and the first one to go stops the others).
    const inTurn = producers[proposerRng.weighted(weights)]!;
    const order = producers.filter((p) => p !== inTurn);
    for (let i = order.length - 1; i > 0; i--) {
      const j = proposerRng.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const done = new Set<number>();
    if (canProduce(inTurn)) {
      done.add(groupOf[inTurn.node.index]!);
      const t = timeMs + timingRng.between(20, 80);
      at(t, () => build(inTurn, slot, t, 2));
    }
    const wiggleMs = Math.round(slotMs * WIGGLE_FRACTION);
    for (const p of order) {
      const group = groupOf[p.node.index]!;
      if (done.has(group) || !canProduce(p)) continue;
      done.add(group);
      const t = timeMs + wiggleMs + timingRng.between(0, 40);
      at(t, () => {
        if (canProduce(p) && p.node.head.slot < slot) build(p, slot, t, 1);
      });
    }
  };

  const attest = (slot: number, timeMs: number): void => {
    if (halted) return;
    const epoch = Math.floor(slot / slotsPerEpoch);
    for (const node of nodes) {
      if (node.frozen) continue;
      const votes: Vote[] = [];
      let target: Hash | undefined;
      for (const p of producers) {
        if (p.node !== node || p.offline || p.degraded) continue;
        target ??= checkpointOf(node.head, epoch).hash;
        votes.push({ validator: p.index, slot, block: node.head.hash, epoch, target });
      }
      if (votes.length === 0) continue;
      applyVotes(node, votes);
      updateHead(node, timeMs, []);
      send(node, { type: 'votes', votes }, timeMs);
    }
  };

  const mine = (producer: ProducerState, timeMs: number): void => {
    if (canProduce(producer)) build(producer, -1, timeMs, 1);
    const next =
      timeMs + Math.max(1, Math.round(timingRng.exponential((meanBlockMs * totalWeight) / producer.weight)));
    at(next, () => mine(producer, next));
  };

  // Scripted events -----------------------------------------------------------------------------

  const apply = (action: SimAction, timeMs: number): void => {
    switch (action.type) {
      case 'partition': {
        const next = nodes.map(() => action.groups.length);
        action.groups.forEach((group, i) => {
          for (const name of group) next[nodeOf(name).index] = i;
        });
        groupOf = next;
        break;
      }
      case 'heal': {
        groupOf = nodes.map(() => 0);
        const release = held;
        held = [];
        for (const to of nodes) {
          const backlog = release.filter((h) => h.to === to);
          if (backlog.length === 0) continue;
          const arriveMs = timeMs + delay(backlog[0]!.from, to);
          at(arriveMs, () =>
            receiveAll(
              to,
              backlog.map((h) => h.message),
              arriveMs,
            ),
          );
        }
        break;
      }
      case 'offline':
      case 'online':
        for (const name of action.producers) producerOf(name).offline = action.type === 'offline';
        break;
      case 'degrade':
      case 'restore':
        for (const name of action.producers) producerOf(name).degraded = action.type === 'degrade';
        break;
      case 'clientBug':
        bug = action;
        break;
      case 'halt':
        halted = true;
        break;
      case 'resume':
        halted = false;
        break;
      case 'freeze':
        for (const name of action.nodes) nodeOf(name).frozen = true;
        break;
      case 'unfreeze':
        for (const name of action.nodes) {
          const node = nodeOf(name);
          node.frozen = false;
          const queue = node.queue;
          node.queue = [];
          receiveAll(node, queue, timeMs);
        }
        break;
      case 'slow':
        for (const name of action.nodes) nodeOf(name).extraDelayMs = action.delayMs;
        break;
      case 'moveProducers':
        for (const name of action.producers) producerOf(name).node = nodeOf(action.node);
        break;
      case 'corruptHeader':
        nodeOf(action.node).corruptNext = true;
        break;
      case 'conflictingHeader':
        nodeOf(action.node).conflictNext = true;
        break;
    }
  };

  const checkConditions = (node: NodeState, timeMs: number): void => {
    for (let i = 0; i < conditional.length; i++) {
      const event = conditional[i]!;
      if (!('diverged' in event) || event.diverged.node !== node.name) continue;
      const other = nodeOf(event.diverged.other).head;
      const ancestor = commonAncestor(node.head, other);
      if (ancestor === other || node.head.height - ancestor.height < event.diverged.blocks) continue;
      conditional.splice(i, 1);
      i -= 1;
      apply(event.action, timeMs);
    }
  };

  // Start ---------------------------------------------------------------------------------------

  for (const event of scenario.events) {
    if ('atMs' in event) at(SIM_START_MS + event.atMs, () => apply(event.action, SIM_START_MS + event.atMs));
    else conditional.push(event);
  }
  at(SIM_START_MS, () => {
    monitoring = true;
    for (const node of nodes) {
      emitHead(node, node.head, SIM_START_MS);
      emitCheckpoint(node, 'justified', node.justified, SIM_START_MS);
      emitCheckpoint(node, 'finalized', node.finalized, SIM_START_MS);
    }
  });
  if (consensus === 'pow') {
    for (const p of producers) {
      const first =
        genesisMs + Math.max(1, Math.round(timingRng.exponential((meanBlockMs * totalWeight) / p.weight)));
      at(first, () => mine(p, first));
    }
  } else {
    at(genesisMs + slotMs, () => onSlot(genesisSlot + 1));
  }
  for (let t = SIM_START_MS; t <= endMs; t += tickMs) {
    const tickAt = t;
    at(tickAt, () => output.push(tickAt, { type: 'tick', chain, observedAtMs: tickAt }));
  }
  return { events, output };
}

function isAncestorOrSelf(ancestor: Block, block: Block): boolean {
  let b: Block | undefined = block;
  while (b && b.height > ancestor.height) b = b.parent;
  return b === ancestor;
}

function commonAncestor(a: Block, b: Block): Block {
  let x = a;
  let y = b;
  while (x.height > y.height && x.parent) x = x.parent;
  while (y.height > x.height && y.parent) y = y.parent;
  while (x !== y && x.parent && y.parent) {
    x = x.parent;
    y = y.parent;
  }
  return x;
}
