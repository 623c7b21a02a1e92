import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Observation } from '../../core/observation.ts';
import { parseObservation } from './parseObservation.ts';
import { toObservationLine } from './toObservationLine.ts';

describe('toObservationLine', () => {
  const cases: Array<[string, Observation, string]> = [
    [
      'head',
      {
        type: 'head',
        chain: 'bitcoin',
        node: 'darosior_node0',
        client: 'bitcoin-core',
        number: 781277n,
        hash: 'ab',
        parentHash: 'cd',
        timestamp: 1679103687,
        observedAtMs: 1679103687000,
      },
      '{"type":"head","chain":"bitcoin","node":"darosior_node0","client":"bitcoin-core","number":781277,"hash":"ab","parentHash":"cd","timestamp":1679103687,"observedAtMs":1679103687000}',
    ],
    [
      'block with latency',
      {
        type: 'block',
        chain: 'c',
        node: 'a',
        number: 1n,
        hash: 'ab',
        parentHash: 'cd',
        timestamp: 1,
        observedAtMs: 2,
        latencyMs: 7,
      },
      '{"type":"block","chain":"c","node":"a","number":1,"hash":"ab","parentHash":"cd","timestamp":1,"observedAtMs":2,"latencyMs":7}',
    ],
    [
      'number above 2^53 as a decimal string',
      {
        type: 'head',
        chain: 'c',
        node: 'a',
        number: 9007199254740992n,
        hash: 'ab',
        parentHash: 'cd',
        timestamp: 1,
        observedAtMs: 2,
      },
      '{"type":"head","chain":"c","node":"a","number":"9007199254740992","hash":"ab","parentHash":"cd","timestamp":1,"observedAtMs":2}',
    ],
    [
      'number 2^53 - 1 as a JSON number',
      {
        type: 'head',
        chain: 'c',
        node: 'a',
        number: 9007199254740991n,
        hash: 'ab',
        parentHash: 'cd',
        timestamp: 1,
        observedAtMs: 2,
      },
      '{"type":"head","chain":"c","node":"a","number":9007199254740991,"hash":"ab","parentHash":"cd","timestamp":1,"observedAtMs":2}',
    ],
    [
      'checkpoint',
      {
        type: 'checkpoint',
        chain: 'e',
        node: 'a',
        kind: 'finalized',
        epoch: 3,
        number: 96n,
        hash: 'ff',
        observedAtMs: 5,
      },
      '{"type":"checkpoint","chain":"e","node":"a","number":96,"hash":"ff","observedAtMs":5,"kind":"finalized","epoch":3}',
    ],
    [
      'checkpoint with epoch only',
      { type: 'checkpoint', chain: 'e', node: 'a', kind: 'safe', epoch: 0, hash: 'ff', observedAtMs: 5 },
      '{"type":"checkpoint","chain":"e","node":"a","hash":"ff","observedAtMs":5,"kind":"safe","epoch":0}',
    ],
    [
      'error',
      {
        type: 'error',
        chain: 'e',
        node: 'a',
        client: 'anvil',
        code: 'http_status',
        message: 'HTTP 503 "busy"',
        observedAtMs: 5,
        latencyMs: 12,
      },
      '{"type":"error","chain":"e","node":"a","client":"anvil","observedAtMs":5,"code":"http_status","message":"HTTP 503 \\"busy\\"","latencyMs":12}',
    ],
    ['tick', { type: 'tick', observedAtMs: 60000 }, '{"type":"tick","observedAtMs":60000}'],
    [
      'tick for one chain',
      { type: 'tick', chain: 'e', observedAtMs: 1 },
      '{"type":"tick","chain":"e","observedAtMs":1}',
    ],
  ];
  for (const [name, observation, line] of cases) {
    it(`args: ${name}`, () => assert.equal(toObservationLine(observation), line));
    it(`behavior: ${name} reads back equal`, () => {
      assert.deepEqual(parseObservation(toObservationLine(observation), 1), { ok: true, observation });
    });
  }
});
