import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import type { Transition } from '../../src/breaker/levels.ts';
import type { Observation } from '../../src/core/observation.ts';
import { applyEvent } from '../../src/engine/applyEvent.ts';
import { createEngineState } from '../../src/engine/step.ts';
import { createApp } from '../../src/http/createApp.ts';
import { createMetrics } from '../../src/http/createMetrics.ts';
import { aggregateOracle, type OracleQuote } from '../../src/risk/oracle/aggregateOracle.ts';
import { applyOracleResult } from '../../src/runtime/applyOracleResult.ts';
import { createService, type Service } from '../../src/runtime/createService.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { toEngineConfig } from '../../src/sim/toEngineConfig.ts';
import { openSqliteStore } from '../../src/store/sqlite/openSqliteStore.ts';
import type { Store } from '../../src/store/store.ts';

const dirs: string[] = [];
after(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

// A healthy network: nothing but the oracle can move the breaker.
const { scenario, observations } = simulate('quiet', { seed: 1 });
const engine = toEngineConfig(scenario);
const chain = scenario.chain;
const half = Math.floor(observations.length / 2);

/** Three price sources on the watched chain; `stale` of them published ten minutes ago. */
function quotesAt(nowMs: number, stale: number): OracleQuote[] {
  return ['a', 'b', 'c'].map((source, i) => ({
    source,
    chain,
    valueUsd: 3000 + i,
    timestampMs: i < stale ? nowMs - 600_000 : nowMs - 1000,
  }));
}

async function open(
  dataDir: string,
  clock: { nowMs(): number },
): Promise<{ store: Store; service: Service }> {
  const store = await openSqliteStore({ dataDir, synchronous: 'normal' });
  const service = createService({
    engine,
    sources: [],
    store,
    clock,
    tickIntervalMs: 0,
    log: () => undefined,
  });
  await service.start();
  return { store, service };
}

function feed(service: Service, list: readonly Observation[], clock: { at: number }): void {
  for (const observation of list) {
    clock.at = observation.observedAtMs;
    service.push(observation);
  }
}

describe('external conditions: an unobservable oracle price on the breaker', () => {
  it('behavior: raises the breaker at once, holds it while the price stays unobservable, lets it recover once observable, and a restart replays it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cg-conditions-'));
    dirs.push(dataDir);
    const now = { at: observations[0]!.observedAtMs };
    const clock = { nowMs: () => now.at };
    const { store, service } = await open(dataDir, clock);
    const seen: Transition[] = [];
    service.subscribe((event) => {
      if (event.type === 'transition') seen.push(event.transition);
    });
    feed(service, observations.slice(0, half), now);
    await service.flush(); // the engine the API reads is the committed one
    assert.equal(service.engine().breakers.get(chain)?.level, 'normal');

    const unobservable = aggregateOracle({ asset: 'ETH-USD', quotes: quotesAt(now.at, 2), nowMs: now.at });
    assert.equal(unobservable.status, 'unobservable');
    const raised = applyOracleResult(service, unobservable);
    assert.equal(raised.length, 1);
    assert.equal(raised[0]?.to, 'reduce_only');
    assert.deepEqual(raised[0]?.causes, ['oracle']);
    assert.match(raised[0]!.reason, /oracle critical: .*ETH-USD/);
    await service.flush();
    const metrics = createMetrics({ registry: new Registry(), view: service, processMetrics: false });
    const app = createApp({ view: service, metrics });
    const listed = (await (await app.request('/api/breakers')).json()) as {
      breakers: Array<{ name: string; conditions: Array<{ key: string; level: string; cause: string }> }>;
    };
    metrics.close();
    assert.deepEqual(
      listed.breakers.map((b) => b.conditions.map((c) => [b.name, c.key, c.level, c.cause])),
      [[[chain, 'oracle:ETH-USD', 'reduce_only', 'oracle']]],
    );
    const storedAfterRaise = await store.lastSeq();
    assert.deepEqual(applyOracleResult(service, unobservable), [], 'the same state again moves nothing');
    await service.flush();
    assert.equal(await store.lastSeq(), storedAfterRaise, 'and stores nothing');

    feed(service, observations.slice(half, half + 200), now);
    await service.flush(); // the engine the API reads is the committed one
    assert.equal(
      service.engine().breakers.get(chain)?.level,
      'reduce_only',
      'healthy blocks do not lower it',
    );

    const observable = aggregateOracle({ asset: 'ETH-USD', quotes: quotesAt(now.at, 0), nowMs: now.at });
    assert.equal(observable.status, 'ok');
    assert.deepEqual(applyOracleResult(service, observable), [], 'clearing does not skip the hysteresis');
    feed(service, observations.slice(half + 200), now);
    await service.flush(); // the engine the API reads is the committed one
    const levelAtStop = service.engine().breakers.get(chain)?.level;
    assert.equal(levelAtStop, 'normal');
    await service.drained();
    assert.deepEqual(
      seen.map((t) => `${t.from}>${t.to}`),
      ['normal>reduce_only', 'reduce_only>normal'],
    );
    assert.match(seen[1]!.reason, /conditions cleared/);
    await service.stop();
    await store.close();

    // The same data directory again: the replay goes through the same raise and clear.
    const again = await open(dataDir, clock);
    try {
      assert.equal(again.service.engine().breakers.get(chain)?.level, levelAtStop);
      assert.deepEqual(
        again.service.transitions(10, chain).map((t) => t.idempotencyKey),
        seen.map((t) => t.idempotencyKey),
      );
    } finally {
      await again.service.stop();
      await again.store.close();
    }
  });

  it('behavior: a raised condition is a floor, not a cap; an override pins over it, and on resume the condition decides again', () => {
    const state = createEngineState(engine);
    for (const observation of observations.slice(0, 50))
      applyEvent(state, { type: 'observation', observation });
    const atMs = observations[49]!.observedAtMs;
    const condition = (level: 'caution' | 'halt' | undefined) => {
      const command = {
        type: 'condition' as const,
        breaker: chain,
        key: 'oracle:ETH-USD',
        cause: 'oracle',
        actor: 'oracle',
        reason: 'price unobservable',
        atMs,
        ...(level === undefined ? {} : { level }),
      };
      return applyEvent(state, { type: 'command', command }).transitions;
    };
    assert.equal(condition('caution')[0]?.to, 'caution');
    assert.equal(condition('halt')[0]?.to, 'halt', 'a higher condition escalates at once');
    const pinned = applyEvent(state, {
      type: 'command',
      command: {
        type: 'override',
        breaker: chain,
        level: 'reduce_only',
        actor: 'ops',
        reason: 'drill',
        atMs,
      },
    });
    assert.equal(pinned.transitions[0]?.to, 'reduce_only');
    assert.deepEqual(condition('halt'), [], 'an override pins the level');
    applyEvent(state, {
      type: 'command',
      command: { type: 'resume', breaker: chain, actor: 'ops', reason: 'done', atMs },
    });
    assert.equal(condition('halt')[0]?.to, 'halt', 'after resume the condition decides');
    assert.throws(
      () =>
        applyEvent(state, {
          type: 'command',
          command: {
            type: 'condition',
            breaker: 'nope',
            key: 'k',
            cause: 'oracle',
            actor: 'a',
            reason: 'r',
            atMs,
          },
        }),
      /unknown breaker "nope"/,
    );
  });
});
