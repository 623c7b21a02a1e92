import type { SimAction } from '../scenario.ts';
import { SIM_START_MS } from '../simStartMs.ts';
import { toSimCommonAncestor } from './simBlock.ts';
import { heal, partition, receiveAll } from './simNetwork.ts';
import { getSimNode, getSimProducer, type SimNodeState, type SimWorld } from './simWorld.ts';

/** Schedules the scenario's timed events; the conditional ones wait for {@link checkConditions}. */
export function scheduleScriptedEvents(world: SimWorld): void {
  for (const event of world.scenario.events) {
    if ('atMs' in event) {
      world.events.push(SIM_START_MS + event.atMs, () =>
        applyAction(world, event.action, SIM_START_MS + event.atMs),
      );
    } else world.conditional.push(event);
  }
}

/** Runs the conditional events about `node` whose condition holds now that its head changed. */
export function checkConditions(world: SimWorld, node: SimNodeState, timeMs: number): void {
  const conditional = world.conditional;
  for (let i = 0; i < conditional.length; i++) {
    const event = conditional[i]!;
    if (!('diverged' in event) || event.diverged.node !== node.name) continue;
    const other = getSimNode(world, event.diverged.other).head;
    const ancestor = toSimCommonAncestor(node.head, other);
    if (ancestor === other || node.head.height - ancestor.height < event.diverged.blocks) continue;
    conditional.splice(i, 1);
    i -= 1;
    applyAction(world, event.action, timeMs);
  }
}

function applyAction(world: SimWorld, action: SimAction, timeMs: number): void {
  switch (action.type) {
    case 'partition':
      partition(world, action.groups);
      break;
    case 'heal':
      heal(world, timeMs);
      break;
    case 'offline':
    case 'online':
      for (const name of action.producers) getSimProducer(world, name).offline = action.type === 'offline';
      break;
    case 'degrade':
    case 'restore':
      for (const name of action.producers) getSimProducer(world, name).degraded = action.type === 'degrade';
      break;
    case 'clientBug':
      world.bug = action;
      break;
    case 'halt':
      world.halted = true;
      break;
    case 'resume':
      world.halted = false;
      break;
    case 'freeze':
      for (const name of action.nodes) getSimNode(world, name).frozen = true;
      break;
    case 'unfreeze':
      for (const name of action.nodes) {
        const node = getSimNode(world, name);
        node.frozen = false;
        const queue = node.queue;
        node.queue = [];
        receiveAll(world, node, queue, timeMs);
      }
      break;
    case 'slow':
      for (const name of action.nodes) getSimNode(world, name).extraDelayMs = action.delayMs;
      break;
    case 'moveProducers':
      for (const name of action.producers) getSimProducer(world, name).node = getSimNode(world, action.node);
      break;
    case 'corruptHeader':
      getSimNode(world, action.node).corruptNext = true;
      break;
    case 'conflictingHeader':
      getSimNode(world, action.node).conflictNext = true;
      break;
  }
}
