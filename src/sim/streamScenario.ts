import type { Observation } from '../core/observation.ts';
import type { Scenario } from './scenario.ts';
import { SIM_START_MS } from './simStartMs.ts';
import { createSimWorld } from './world/createSimWorld.ts';
import { startMonitoring } from './world/simMonitor.ts';
import { startProduction } from './world/simProduction.ts';
import { checkConditions, scheduleScriptedEvents } from './world/simScriptedEvents.ts';
import type { SimWorld } from './world/simWorld.ts';

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
  const world = createStartedWorld(scenario, options.seed ?? 1);
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

/** The world with its first events scheduled: scripted events, the start of monitoring, the first
 * blocks, and a `tick` every `tickMs` (in this order, which ties between them keep). */
function createStartedWorld(scenario: Scenario, seed: number): SimWorld {
  const world: SimWorld = createSimWorld(scenario, seed, (node, timeMs) =>
    checkConditions(world, node, timeMs),
  );
  const endMs = SIM_START_MS + scenario.durationMs;
  const tickMs = scenario.tickMs ?? (world.consensus === 'pow' ? 10_000 : world.slotMs);
  scheduleScriptedEvents(world);
  world.events.push(SIM_START_MS, () => startMonitoring(world, SIM_START_MS));
  startProduction(world);
  for (let t = SIM_START_MS; t <= endMs; t += tickMs) {
    const tickAt = t;
    world.events.push(tickAt, () =>
      world.output.push(tickAt, { type: 'tick', chain: world.chain, observedAtMs: tickAt }),
    );
  }
  return world;
}
