import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Level, levelRank } from '../src/breaker/levels.ts';
import { type Signal, severityRank } from '../src/core/signal.ts';
import { runObservations } from '../src/engine/run.ts';
import type { Scenario } from '../src/sim/scenario.ts';
import { listScenarios, simulate } from '../src/sim/simulate.ts';
import { toEngineConfig } from '../src/sim/toEngineConfig.ts';

/**
 * Every scenario of the simulator through the engine: each raises exactly the signal kinds that its
 * incident implies, with the incident's key facts (scenario.expect), and the whole pipeline is
 * deterministic. The default seed is 1; SEEDS adds others where the outcome must not depend on luck.
 */

function run(scenario: Scenario, seed: number) {
  const { observations } = simulate(scenario.name, { seed });
  return runObservations(toEngineConfig(scenario), observations);
}

function maxBy<T>(items: T[], value: (item: T) => number): number | undefined {
  return items.length === 0 ? undefined : Math.max(...items.map(value));
}

function ofKind<K extends Signal['kind']>(signals: Signal[], kind: K): Array<Extract<Signal, { kind: K }>> {
  return signals.filter((s): s is Extract<Signal, { kind: K }> => s.kind === kind);
}

describe('scenarios through the engine', () => {
  for (const scenario of listScenarios()) {
    describe(scenario.name, () => {
      const expect = scenario.expect;
      const result = run(scenario, 1);
      const { signals, transitions, summary } = result;

      it('behavior: raises exactly the signal kinds of its incident', () => {
        const kinds = [...new Set(signals.map((s) => s.kind))].sort();
        assert.deepEqual(kinds, [...expect.signals].sort(), signals.map((s) => s.message).join('\n'));
      });

      it('behavior: reports the key facts of its incident', () => {
        if (expect.chainReorgDepth) {
          const chainReorgs = ofKind(signals, 'reorg').filter((s) => s.scope === 'chain');
          const depth = maxBy(chainReorgs, (s) => s.depth);
          assert.ok(depth !== undefined, 'a chain-level reorg');
          assert.ok(
            depth >= expect.chainReorgDepth.min && depth <= expect.chainReorgDepth.max,
            `deepest chain-level reorg ${depth}`,
          );
        }
        if (expect.forkHeight !== undefined) {
          const divergences = ofKind(signals, 'divergence').filter((s) => !s.conflictingFinalized);
          assert.ok(divergences.length > 0, 'a divergence');
          for (const s of divergences) assert.equal(s.forkHeight, Number(expect.forkHeight), s.message);
        }
        if (expect.epochsWithoutFinality) {
          const epochs = maxBy(ofKind(signals, 'finality'), (s) => s.epochsWithoutFinality ?? 0);
          assert.ok(epochs !== undefined, 'a finality signal');
          assert.ok(
            epochs >= expect.epochsWithoutFinality.min && epochs <= expect.epochsWithoutFinality.max,
            `${epochs} epochs without finality`,
          );
        }
        if (expect.livenessSeverity) {
          const worst = maxBy(ofKind(signals, 'liveness'), (s) => severityRank(s.severity));
          assert.equal(worst, severityRank(expect.livenessSeverity));
        }
        if (expect.nodes) {
          const named = signals
            .filter((s) => s.kind === 'lag' || s.kind === 'divergence' || s.kind === 'integrity')
            .map((s) => s.node);
          assert.deepEqual([...new Set(named)].sort(), [...expect.nodes].sort());
        }
      });

      it('behavior: moves the breaker as its incident implies', () => {
        const reached: Level = summary.maxLevels[scenario.chain] ?? 'normal';
        if (expect.maxLevel === 'normal') assert.deepEqual(transitions, []);
        if (expect.maxLevel)
          assert.ok(levelRank(reached) <= levelRank(expect.maxLevel), `reached ${reached}`);
        if (expect.minLevel)
          assert.ok(levelRank(reached) >= levelRank(expect.minLevel), `reached ${reached}`);
      });

      it('behavior: the whole pipeline is deterministic', () => {
        assert.deepEqual(run(scenario, 1), result);
      });
    });
  }

  describe('quiet', () => {
    it('behavior: nothing fires on a healthy network, whatever the seed', () => {
      const quiet = listScenarios().find((s) => s.name === 'quiet')!;
      for (const seed of [2, 3, 4]) {
        const { signals, transitions } = run(quiet, seed);
        assert.deepEqual(signals, [], `seed ${seed}`);
        assert.deepEqual(transitions, [], `seed ${seed}`);
      }
    });
  });

  describe('seed independence', () => {
    // Slot chains with scripted faults: the kinds and facts must not depend on the seed.
    for (const name of ['finality-loss-4', 'finality-loss-9', 'client-split', 'client-halt', 'full-halt']) {
      it(`behavior: ${name} raises the same kinds with seeds 2 and 3`, () => {
        const scenario = listScenarios().find((s) => s.name === name)!;
        for (const seed of [2, 3]) {
          const kinds = [...new Set(run(scenario, seed).signals.map((s) => s.kind))].sort();
          assert.deepEqual(kinds, [...scenario.expect.signals].sort(), `seed ${seed}`);
        }
      });
    }
  });
});
