import type { SimBlock, SimMessage } from './simBlock.ts';
import { applyVotes, importBlock, updateHead } from './simForkChoice.ts';
import { getSimNode, type SimNodeState, type SimWorld } from './simWorld.ts';

// The network: every message goes to every other node over a link with a seeded base delay plus
// a seeded jitter and the receiver's extra delay. Partitions hold messages until they heal; a
// frozen node queues what arrives.

function toLinkDelayMs(world: SimWorld, from: SimNodeState, to: SimNodeState): number {
  return world.linkMs[from.index]![to.index]! + world.rng.network.between(0, 60) + to.extraDelayMs;
}

function receive(world: SimWorld, node: SimNodeState, message: SimMessage, timeMs: number): void {
  if (node.frozen) {
    node.queue.push(message);
    return;
  }
  if (message.type === 'block') updateHead(world, node, timeMs, importBlock(world, node, message.block));
  else {
    applyVotes(world, node, message.votes);
    updateHead(world, node, timeMs, []);
  }
}

/** Imports a backlog (a sync after a partition or a stall) and chooses the head once. */
export function receiveAll(
  world: SimWorld,
  node: SimNodeState,
  messages: SimMessage[],
  timeMs: number,
): void {
  if (node.frozen) {
    node.queue.push(...messages);
    return;
  }
  const imported: SimBlock[] = [];
  for (const message of messages) {
    if (message.type === 'block') imported.push(...importBlock(world, node, message.block));
    else applyVotes(world, node, message.votes);
  }
  updateHead(world, node, timeMs, imported);
}

/** `from` gossips `message` at `timeMs` to every node it can reach; the others get it on a heal. */
export function send(world: SimWorld, from: SimNodeState, message: SimMessage, timeMs: number): void {
  for (const to of world.nodes) {
    if (to === from) continue;
    if (world.groupOf[from.index] !== world.groupOf[to.index]) world.held.push({ from, to, message });
    else {
      const arriveMs = timeMs + toLinkDelayMs(world, from, to);
      world.events.push(arriveMs, () => receive(world, to, message, arriveMs));
    }
  }
}

/** Nodes in different groups stop hearing each other; nodes not listed form one more group. */
export function partition(world: SimWorld, groups: string[][]): void {
  const next = world.nodes.map(() => groups.length);
  groups.forEach((group, i) => {
    for (const name of group) next[getSimNode(world, name).index] = i;
  });
  world.groupOf = next;
}

/** Every node hears every other again; what the partition held arrives as one backlog per node. */
export function heal(world: SimWorld, timeMs: number): void {
  world.groupOf = world.nodes.map(() => 0);
  const release = world.held;
  world.held = [];
  for (const to of world.nodes) {
    const backlog = release.filter((h) => h.to === to);
    if (backlog.length === 0) continue;
    const arriveMs = timeMs + toLinkDelayMs(world, backlog[0]!.from, to);
    world.events.push(arriveMs, () =>
      receiveAll(
        world,
        to,
        backlog.map((h) => h.message),
        arriveMs,
      ),
    );
  }
}
