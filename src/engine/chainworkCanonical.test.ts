import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createScript } from '../../test/support/script.ts';
import type { Observation } from '../core/observation.ts';
import type { ProofOfWork } from '../core/params.ts';
import type { EngineConfig } from './config.ts';
import { runObservations } from './run.ts';

const REGTEST: ProofOfWork = {
  algorithm: 'scrypt',
  retarget: 'fixed',
  retargetInterval: 2016,
  powLimitBits: 0x207fffff,
};
const config = (pow?: ProofOfWork): EngineConfig => ({
  chains: { test: { preset: 'bitcoin', params: pow ? { pow } : {} } },
});

/** A head carrying chainwork `work` per block (2 on regtest), or none. */
const withWork = (o: Observation, work: bigint | undefined): Observation =>
  o.type === 'head' && work !== undefined ? { ...o, chainwork: (o.number + 1n) * work } : o;

describe('canonical head by verified chainwork', () => {
  // Rows: which chain params, the work per block on each branch, the expected canonical head.
  const cases: Array<{ name: string; pow?: ProofOfWork; a?: bigint; b?: bigint; expected: string }> = [
    {
      name: 'default: two nodes on a light branch lose to one node with more work',
      pow: REGTEST,
      a: 2n,
      b: 2n,
      expected: 'b7',
    },
    { name: 'behavior: without params.pow node weight decides, as before', a: 2n, b: 2n, expected: 'a6' },
    {
      name: 'behavior: a branch without verified chainwork counts as none',
      pow: REGTEST,
      a: 2n,
      expected: 'a6',
    },
    { name: 'behavior: harder blocks outweigh more blocks', pow: REGTEST, a: 10n, b: 2n, expected: 'a6' },
  ];
  for (const { name, pow, a, b, expected } of cases) {
    it(name, () => {
      const s = createScript();
      s.fork('b', 'a4');
      const obs: Observation[] = [];
      for (let h = 1; h <= 4; h++)
        for (const n of ['n1', 'n2', 'n3']) obs.push(withWork(s.head(n, `a${h}`, h * 600), a));
      obs.push(withWork(s.head('n1', 'a5', 3000), a), withWork(s.head('n2', 'a5', 3000), a));
      obs.push(withWork(s.head('n1', 'a6', 3600), a), withWork(s.head('n2', 'a6', 3600), a));
      obs.push(withWork(s.head('n3', 'b5', 3000), b), withWork(s.head('n3', 'b6', 3300), b));
      obs.push(withWork(s.head('n3', 'b7', 3700), b));
      const result = runObservations(config(pow), obs);
      assert.equal(result.summary.chains.test?.canonicalHead?.hash, s.block(expected).hash);
    });
  }
});
