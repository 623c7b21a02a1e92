import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChainState } from '../../src/core/chainView.ts';
import type { Observation } from '../../src/core/observation.ts';
import type { ChainParamsOverrides } from '../../src/core/params.ts';
import type { Signal, SignalKind } from '../../src/core/signal.ts';
import type { EngineConfig } from '../../src/engine/config.ts';
import { createEngineState, step } from '../../src/engine/step.ts';
import { createScript } from './script.ts';

export type Script = ReturnType<typeof createScript>;

/** One row of a table of cases: observations in, an expected value out. */
export type Case<T> = {
  /** `default: ...`, `args: ...`, `behavior: ...`. */
  name: string;
  /** Parameters of the chain `test` over the preset (default `devnet`). */
  preset?: string;
  params?: ChainParamsOverrides;
  /** The observations, in order, written with the script's block labels (`a5`, `b3`). */
  observations(s: Script): Observation[];
  expected: T;
  /** A known defect: the case states the right answer and is reported as todo, with this reason. */
  todo?: string;
};

/** What a run of a case leaves to look at. */
export type CaseRun = {
  script: Script;
  /** Every signal the engine emitted, in order. */
  signals: Signal[];
  /** The chain view of `test` after the last observation. */
  chain: ChainState;
};

/**
 * A table of cases over the engine: each case's observations go through `step` on a fresh engine
 * watching the chain `test`, and `measure` turns the run into the value the case expects. The
 * table is data; this is the one loop that drives every table.
 */
export function describeCases<T>(title: string, measure: (run: CaseRun) => T, cases: readonly Case<T>[]) {
  describe(title, () => {
    for (const c of cases) {
      const options = c.todo === undefined ? {} : { todo: c.todo };
      it(c.name, options, () => {
        const script = createScript();
        const config: EngineConfig = {
          chains: {
            test:
              c.params === undefined
                ? { preset: c.preset ?? 'devnet' }
                : { preset: c.preset ?? 'devnet', params: c.params },
          },
        };
        const state = createEngineState(config);
        const signals: Signal[] = [];
        for (const observation of c.observations(script)) signals.push(...step(state, observation).signals);
        const chain = state.chains.get('test');
        assert.ok(chain, 'the chain test was seen');
        assert.deepEqual(measure({ script, signals, chain }), c.expected);
      });
    }
  });
}

/**
 * A table of cases whose expected value is the signals of some kinds, each as `project` shows it
 * (the fields a detector decides, with block hashes as script labels).
 */
export function describeSignalCases(
  title: string,
  kinds: readonly SignalKind[],
  project: (signal: Signal, script: Script) => unknown,
  cases: readonly Case<unknown[]>[],
) {
  describeCases(
    title,
    ({ script, signals }) => signals.filter((s) => kinds.includes(s.kind)).map((s) => project(s, script)),
    cases,
  );
}

/** Heads of `nodes` in step along `branch` from height `from` to `to`, one height a second from
 * `atS` (default `from`). */
export function inStep(
  s: Script,
  nodes: readonly string[],
  branch: string,
  from: number,
  to: number,
  atS = from,
): Observation[] {
  const out: Observation[] = [];
  for (let h = from; h <= to; h++)
    for (const n of nodes) out.push(s.head(n, `${branch}${h}`, atS + (h - from)));
  return out;
}

/** The observations `at(t)` makes for each second t from `from` to `to`, in time order. */
export function everySecond(from: number, to: number, at: (t: number) => Observation[]): Observation[] {
  const out: Observation[] = [];
  for (let t = from; t <= to; t++) out.push(...at(t));
  return out;
}
