import type { BlockObservation, CheckpointKind } from '../../core/observation.ts';
import { toSimHash } from '../simHash.ts';
import { GENESIS_PARENT_HASH, type SimBlock, type SimCheckpoint } from './simBlock.ts';
import type { SimNodeState, SimWorld } from './simWorld.ts';

// What the monitor observes. A watched node's head change becomes a `head` observation at the
// time it was adopted plus a seeded poll delay and RPC round trip, preceded by `block`
// observations for ancestors the monitor has not seen from that node (a parent walk-back).

/** When the monitor sees what `node` did at `timeMs`; a node's observations strictly increase. */
function toObservedTime(world: SimWorld, node: SimNodeState, timeMs: number) {
  const latencyMs = world.rng.monitor.between(15, 90);
  const observedAtMs = Math.max(
    timeMs + world.rng.monitor.between(10, 250) + latencyMs,
    node.lastObservedMs + 1,
  );
  node.lastObservedMs = observedAtMs;
  return { observedAtMs, latencyMs };
}

function toBlockObservation(
  world: SimWorld,
  node: SimNodeState,
  block: SimBlock,
  type: 'head' | 'block',
  observedAtMs: number,
  latencyMs: number,
): BlockObservation {
  return {
    type,
    chain: world.chain,
    node: node.name,
    client: node.client,
    number: block.number,
    hash: block.hash,
    parentHash: block.parent?.hash ?? GENESIS_PARENT_HASH,
    timestamp: block.timestamp,
    observedAtMs,
    latencyMs,
  };
}

/**
 * The monitor polls `node` after it adopted `block` as its head at `timeMs`. A node told to
 * corrupt its next header serves an integrity error instead; one told to serve a conflicting
 * header adds a `block` observation reusing the parent's hash with other contents.
 */
export function observeHead(world: SimWorld, node: SimNodeState, block: SimBlock, timeMs: number): void {
  if (!world.monitoring || !node.watched) return;
  const { observedAtMs, latencyMs } = toObservedTime(world, node, timeMs);
  if (node.corruptNext) {
    node.corruptNext = false;
    const served = toSimHash(`served/${block.hash}`, world.salt);
    world.output.push(observedAtMs, {
      type: 'error',
      chain: world.chain,
      node: node.name,
      client: node.client,
      code: 'integrity',
      message: `header hash mismatch at block ${block.number}: served hash ${served} but the header's contents hash to ${block.hash}`,
      observedAtMs,
      latencyMs,
    });
    return;
  }
  const missing: SimBlock[] = [];
  for (let b = block.parent; b && !node.monitorKnown.has(b.hash); b = b.parent) missing.push(b);
  for (let i = missing.length - 1; i >= 0; i--) {
    const b = missing[i]!;
    node.monitorKnown.add(b.hash);
    world.output.push(observedAtMs, toBlockObservation(world, node, b, 'block', observedAtMs, latencyMs));
  }
  node.monitorKnown.add(block.hash);
  world.output.push(observedAtMs, toBlockObservation(world, node, block, 'head', observedAtMs, latencyMs));
  if (node.conflictNext && block.parent) {
    node.conflictNext = false;
    const known = block.parent;
    const conflicting = toBlockObservation(world, node, known, 'block', observedAtMs, latencyMs);
    conflicting.number = known.number + 1n;
    conflicting.parentHash = toSimHash(`conflict/${known.hash}`, world.salt);
    world.output.push(observedAtMs, conflicting);
  }
}

/** The monitor sees a watched proof-of-stake node report a new `kind` checkpoint at `timeMs`. */
export function observeCheckpoint(
  world: SimWorld,
  node: SimNodeState,
  kind: CheckpointKind,
  checkpoint: SimCheckpoint,
  timeMs: number,
): void {
  if (!world.monitoring || !node.watched || !world.finalityEnabled) return;
  const { observedAtMs } = toObservedTime(world, node, timeMs);
  world.output.push(observedAtMs, {
    type: 'checkpoint',
    chain: world.chain,
    node: node.name,
    client: node.client,
    kind,
    number: checkpoint.block.number,
    epoch: checkpoint.epoch,
    hash: checkpoint.block.hash,
    observedAtMs,
  });
}

/** Monitoring starts at `timeMs`: every watched node's head and checkpoints are observed once. */
export function startMonitoring(world: SimWorld, timeMs: number): void {
  world.monitoring = true;
  for (const node of world.nodes) {
    observeHead(world, node, node.head, timeMs);
    observeCheckpoint(world, node, 'justified', node.justified, timeMs);
    observeCheckpoint(world, node, 'finalized', node.finalized, timeMs);
  }
}
