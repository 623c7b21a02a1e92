import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createScript } from '../../test/support/script.ts';
import type { Observation } from '../core/observation.ts';
import type { Signal } from '../core/signal.ts';
import { simulate } from '../sim/simulate.ts';
import { toEngineConfig } from '../sim/toEngineConfig.ts';
import { createEngineState, type EngineState, step } from './step.ts';
import { type ForkResolution, toForkResolution } from './toForkResolution.ts';

/** Plays `observations` until `until` holds after a step; returns the state then (or at the end). */
function playUntil(
  config: Parameters<typeof createEngineState>[0],
  observations: Iterable<Observation>,
  until: (state: EngineState, signals: Signal[]) => boolean,
): EngineState {
  const state = createEngineState(config);
  const seen: Signal[] = [];
  for (const observation of observations) {
    seen.push(...step(state, observation).signals);
    if (until(state, seen)) break;
  }
  return state;
}

const summary = (r: ForkResolution) => ({
  status: r.status,
  basis: r.basis,
  winner: r.winner?.nodes,
  drain: r.drain,
  rollbackHeight: r.rollbackHeight,
});

describe('toForkResolution', () => {
  it('default: client-split recommends the new clients, drains the old Geth nodes, rolls back from the fork height', () => {
    const { scenario, observations } = simulate('client-split', { seed: 1 });
    const state = playUntil(toEngineConfig(scenario), observations, (_, signals) =>
      signals.some((s) => s.kind === 'divergence' && s.node === 'infura-geth-2'),
    );
    const resolution = toForkResolution(state, scenario.chain);
    assert.deepEqual(summary(resolution), {
      status: 'follow',
      basis: resolution.basis,
      winner: ['geth-new-1', 'geth-new-2', 'openethereum-1'],
      drain: ['infura-geth-1', 'infura-geth-2'],
      rollbackHeight: 11_234_873n,
    });
    assert.ok(['finalized', 'justified', 'weight'].includes(resolution.basis));
    assert.deepEqual(resolution.losers[0]?.clients, ['Geth/v1.9.13-stable']);
  });

  it('default: partition-heal, during the partition, follows the majority side and drains the minority node', () => {
    const { scenario, observations } = simulate('partition-heal', { seed: 1 });
    const state = playUntil(toEngineConfig(scenario), observations, (_, signals) =>
      signals.some((s) => s.kind === 'divergence' && s.node === 'geth-b1'),
    );
    const resolution = toForkResolution(state, scenario.chain);
    const chain = state.chains.get(scenario.chain)!;
    const b1 = chain.nodes.get('geth-b1')!.head!;
    let cursor = b1;
    while (chain.canonicalByHeight.get(cursor.number) !== cursor.hash)
      cursor = chain.blocks.get(cursor.parentHash)!;
    assert.deepEqual(summary(resolution), {
      status: 'follow',
      basis: 'weight',
      winner: ['geth-a1', 'geth-a2'],
      drain: ['geth-b1'],
      rollbackHeight: cursor.number + 1n,
    });
    assert.match(resolution.resume, /geth-b1/);
  });

  it('behavior: after the partition heals the nodes agree', () => {
    const { scenario, observations } = simulate('partition-heal', { seed: 1 });
    const state = playUntil(toEngineConfig(scenario), observations, () => false);
    assert.equal(toForkResolution(state, scenario.chain).status, 'agreed');
  });

  it('behavior: executions in blocks off the winning branch are listed, those on it are not', () => {
    const s = createScript();
    s.fork('b', 'a3');
    const obs: Observation[] = [];
    for (let h = 1; h <= 6; h++) for (const n of ['n1', 'n2']) obs.push(s.head(n, `a${h}`, h));
    for (let h = 1; h <= 3; h++) obs.push(s.head('n3', `a${h}`, h));
    for (let h = 4; h <= 6; h++) obs.push(s.head('n3', `b${h}`, h));
    const state = playUntil({ chains: { test: { preset: 'devnet' } } }, obs, () => false);
    const executions = [
      { id: 'on-winner', chain: 'test', blockNumber: 5n, blockHash: s.block('a5').hash },
      { id: 'on-loser', chain: 'test', blockNumber: 5n, blockHash: s.block('b5').hash },
      { id: 'below-fork', chain: 'test', blockNumber: 2n, blockHash: s.block('a2').hash },
    ];
    const resolution = toForkResolution(state, 'test', executions);
    assert.deepEqual(summary(resolution), {
      status: 'follow',
      basis: 'weight',
      winner: ['n1', 'n2'],
      drain: ['n3'],
      rollbackHeight: 4n,
    });
    assert.deepEqual(
      resolution.executions.map((e) => e.id),
      ['on-loser'],
    );
  });

  it('behavior: a finalized checkpoint on one branch outranks node weight', () => {
    const s = createScript();
    s.fork('b', 'a3');
    const obs: Observation[] = [];
    for (let h = 1; h <= 6; h++) for (const n of ['n1', 'n2']) obs.push(s.head(n, `a${h}`, h));
    for (let h = 1; h <= 3; h++) obs.push(s.head('n3', `a${h}`, h));
    for (let h = 4; h <= 6; h++) obs.push(s.head('n3', `b${h}`, h));
    const b5 = s.block('b5');
    obs.push({
      type: 'checkpoint',
      chain: 'test',
      node: 'n3',
      kind: 'finalized',
      number: 5n,
      hash: b5.hash,
      observedAtMs: s.head('n3', 'b6', 7).observedAtMs,
    });
    const resolution = toForkResolution(
      playUntil({ chains: { test: { preset: 'devnet' } } }, obs, () => false),
      'test',
    );
    assert.deepEqual(summary(resolution), {
      status: 'follow',
      basis: 'finalized',
      winner: ['n3'],
      drain: ['n1', 'n2'],
      rollbackHeight: 4n,
    });
  });

  it('error: conflicting finalized checkpoints give a safety hold and no branch', () => {
    const s = createScript();
    s.fork('b', 'a3');
    const obs: Observation[] = [];
    for (let h = 1; h <= 6; h++)
      obs.push(s.head('n1', `a${h}`, h), s.head('n2', h <= 3 ? `a${h}` : `b${h}`, h));
    const at = s.head('n1', 'a6', 7).observedAtMs;
    obs.push({
      type: 'checkpoint',
      chain: 'test',
      node: 'n1',
      kind: 'finalized',
      number: 5n,
      hash: s.block('a5').hash,
      observedAtMs: at,
    });
    obs.push({
      type: 'checkpoint',
      chain: 'test',
      node: 'n2',
      kind: 'finalized',
      number: 5n,
      hash: s.block('b5').hash,
      observedAtMs: at,
    });
    const resolution = toForkResolution(
      playUntil({ chains: { test: { preset: 'devnet' } } }, obs, () => false),
      'test',
    );
    assert.equal(resolution.status, 'safety_hold');
    assert.equal(resolution.basis, 'finality_conflict');
    assert.equal(resolution.winner, undefined);
    assert.match(resolution.resume, /operator/);
  });
});
