import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Observation } from '../../core/observation.ts';
import { parseObservation } from './parseObservation.ts';

const H1 = '00000000000000000002533983dd168b67bfd5bc1d2c3b369e2c65a42b002a08';
const H0 = '000000000000000000041bca020f08c19ba5b76f74e642130162aea6a2df7780';
const HEAD = `{"type":"head","chain":"bitcoin","node":"n0","number":820230,"hash":"${H1}","parentHash":"${H0}","timestamp":1702021791,"observedAtMs":1702021791000}`;

describe('parseObservation', () => {
  const good: Array<[string, string, Observation]> = [
    [
      'head',
      HEAD,
      {
        type: 'head',
        chain: 'bitcoin',
        node: 'n0',
        number: 820230n,
        hash: H1,
        parentHash: H0,
        timestamp: 1702021791,
        observedAtMs: 1702021791000,
      },
    ],
    [
      'block with client and latency',
      '{"type":"block","chain":"eth","node":"a","client":"Geth/v1.13","number":5,"hash":"0a","parentHash":"09","timestamp":12,"observedAtMs":12500,"latencyMs":3.5}',
      {
        type: 'block',
        chain: 'eth',
        node: 'a',
        client: 'Geth/v1.13',
        number: 5n,
        hash: '0a',
        parentHash: '09',
        timestamp: 12,
        observedAtMs: 12500,
        latencyMs: 3.5,
      },
    ],
    [
      'head seen from a watcher location',
      '{"type":"head","chain":"eth","node":"a","location":"eu-1","number":5,"hash":"0a","parentHash":"09","timestamp":12,"observedAtMs":12500}',
      {
        type: 'head',
        chain: 'eth',
        node: 'a',
        location: 'eu-1',
        number: 5n,
        hash: '0a',
        parentHash: '09',
        timestamp: 12,
        observedAtMs: 12500,
      },
    ],
    [
      'number as a decimal string above 2^53',
      '{"type":"head","chain":"c","node":"a","number":"123456789012345678901","hash":"ab","parentHash":"cd","timestamp":0,"observedAtMs":0}',
      {
        type: 'head',
        chain: 'c',
        node: 'a',
        number: 123456789012345678901n,
        hash: 'ab',
        parentHash: 'cd',
        timestamp: 0,
        observedAtMs: 0,
      },
    ],
    [
      'hashes with 0x and upper case are normalized',
      '{"type":"head","chain":"c","node":"a","number":"7","hash":"0xABcd","parentHash":"0XEF01","timestamp":1,"observedAtMs":2}',
      {
        type: 'head',
        chain: 'c',
        node: 'a',
        number: 7n,
        hash: 'abcd',
        parentHash: 'ef01',
        timestamp: 1,
        observedAtMs: 2,
      },
    ],
    [
      'null optional fields are absent',
      '{"type":"head","chain":"c","node":"a","client":null,"number":1,"hash":"ab","parentHash":"cd","timestamp":1,"observedAtMs":2,"latencyMs":null,"epoch":null}',
      {
        type: 'head',
        chain: 'c',
        node: 'a',
        number: 1n,
        hash: 'ab',
        parentHash: 'cd',
        timestamp: 1,
        observedAtMs: 2,
      },
    ],
    [
      'fields in any order, trailing carriage return',
      '{"observedAtMs":2,"timestamp":1,"parentHash":"cd","hash":"ab","number":1,"node":"a","chain":"c","type":"block"}\r',
      {
        type: 'block',
        chain: 'c',
        node: 'a',
        number: 1n,
        hash: 'ab',
        parentHash: 'cd',
        timestamp: 1,
        observedAtMs: 2,
      },
    ],
    [
      'checkpoint with number and epoch',
      '{"type":"checkpoint","chain":"eth","node":"a","kind":"finalized","number":96,"epoch":3,"hash":"0xFF","observedAtMs":5}',
      {
        type: 'checkpoint',
        chain: 'eth',
        node: 'a',
        kind: 'finalized',
        number: 96n,
        epoch: 3,
        hash: 'ff',
        observedAtMs: 5,
      },
    ],
    [
      'checkpoint with epoch only',
      '{"type":"checkpoint","chain":"eth","node":"a","client":"lodestar","kind":"justified","epoch":0,"hash":"aa","observedAtMs":5}',
      {
        type: 'checkpoint',
        chain: 'eth',
        node: 'a',
        client: 'lodestar',
        kind: 'justified',
        epoch: 0,
        hash: 'aa',
        observedAtMs: 5,
      },
    ],
    [
      'error',
      '{"type":"error","chain":"eth","node":"a","code":"timeout","message":"no answer in 5000 ms","observedAtMs":9,"latencyMs":5000}',
      {
        type: 'error',
        chain: 'eth',
        node: 'a',
        code: 'timeout',
        message: 'no answer in 5000 ms',
        observedAtMs: 9,
        latencyMs: 5000,
      },
    ],
    [
      'error with an empty message',
      '{"type":"error","chain":"eth","node":"a","code":"unreachable","message":"","observedAtMs":9}',
      { type: 'error', chain: 'eth', node: 'a', code: 'unreachable', message: '', observedAtMs: 9 },
    ],
    [
      'tick for all chains',
      '{"type":"tick","observedAtMs":1700000000000}',
      { type: 'tick', observedAtMs: 1700000000000 },
    ],
    [
      'tick for one chain',
      '  {"type":"tick","chain":"bitcoin","observedAtMs":60000}  ',
      { type: 'tick', chain: 'bitcoin', observedAtMs: 60000 },
    ],
  ];
  for (const [name, line, expected] of good) {
    it(`args: ${name}`, () => {
      assert.deepEqual(parseObservation(line, 1), { ok: true, observation: expected });
    });
  }

  const block = (fields: Record<string, unknown>, drop: string[] = []): string => {
    const base: Record<string, unknown> = {
      type: 'head',
      chain: 'c',
      node: 'a',
      number: 1,
      hash: 'ab',
      parentHash: 'cd',
      timestamp: 1,
      observedAtMs: 2,
      ...fields,
    };
    for (const key of drop) delete base[key];
    return JSON.stringify(base);
  };
  const bad: Array<[string, string, string | RegExp]> = [
    ['not JSON', '{"type":"head",', /^not valid JSON \(/],
    ['garbage', 'hello world', /^not valid JSON \(/],
    ['an array', '[1,2]', 'expected a JSON object, got an array'],
    ['a string', '"head"', 'expected a JSON object, got "head"'],
    ['null', 'null', 'expected a JSON object, got null'],
    ['no type', '{"chain":"c","observedAtMs":1}', 'missing field "type"'],
    [
      'unknown type',
      '{"type":"heads","observedAtMs":1}',
      'field "type" must be one of head, block, checkpoint, error, tick, got "heads"',
    ],
    ['unknown field', block({ blockHash: 'ab' }), 'unknown field "blockHash"'],
    ['field of another type', block({ epoch: 3 }), 'field "epoch" does not belong to a head observation'],
    [
      'hash on a tick',
      '{"type":"tick","observedAtMs":1,"hash":"ab"}',
      'field "hash" does not belong to a tick observation',
    ],
    ['missing chain', block({}, ['chain']), 'missing field "chain"'],
    ['empty node', block({ node: '' }), 'field "node" must be a non-empty string, got ""'],
    ['node a number', block({ node: 7 }), 'field "node" must be a non-empty string, got 7'],
    ['client a number', block({ client: 1 }), 'field "client" must be a string, got 1'],
    ['missing number', block({}, ['number']), 'missing field "number"'],
    [
      'negative number',
      block({ number: -1 }),
      'field "number" must be a non-negative integer or a decimal string, got -1',
    ],
    [
      'fractional number',
      block({ number: 1.5 }),
      'field "number" must be a non-negative integer or a decimal string, got 1.5',
    ],
    [
      'number a hex string',
      block({ number: '0x10' }),
      'field "number" must be a non-negative integer or a decimal string, got "0x10"',
    ],
    [
      'number a signed string',
      block({ number: '-5' }),
      'field "number" must be a non-negative integer or a decimal string, got "-5"',
    ],
    [
      'number with a leading zero',
      block({ number: '007' }),
      'field "number" must be a non-negative integer or a decimal string, got "007"',
    ],
    [
      'number an unsafe JSON number',
      block({ number: 2 ** 60 }),
      'field "number" is above 2^53 - 1 and loses precision as a JSON number: write it as a decimal string',
    ],
    [
      'number null',
      block({ number: null }),
      'field "number" must be a non-negative integer or a decimal string, got null',
    ],
    ['missing hash', block({}, ['hash']), 'missing field "hash"'],
    [
      'hash not hex',
      block({ hash: 'xyz' }),
      'field "hash" must be a hex string (with or without 0x), got "xyz"',
    ],
    ['hash empty', block({ hash: '' }), 'field "hash" must be a hex string (with or without 0x), got ""'],
    [
      'hash only 0x',
      block({ hash: '0x' }),
      'field "hash" must be a hex string (with or without 0x), got "0x"',
    ],
    [
      'parentHash a number',
      block({ parentHash: 12 }),
      'field "parentHash" must be a hex string (with or without 0x), got 12',
    ],
    ['missing timestamp', block({}, ['timestamp']), 'missing field "timestamp"'],
    [
      'timestamp a string',
      block({ timestamp: '1' }),
      'field "timestamp" must be a non-negative finite number, got "1"',
    ],
    [
      'negative observedAtMs',
      block({ observedAtMs: -3 }),
      'field "observedAtMs" must be a non-negative finite number, got -3',
    ],
    [
      'infinite observedAtMs',
      block({}, ['observedAtMs']).replace('}', ',"observedAtMs":1e999}'),
      'field "observedAtMs" must be a non-negative finite number, got Infinity',
    ],
    [
      'negative latency',
      block({ latencyMs: -1 }),
      'field "latencyMs" must be a non-negative finite number, got -1',
    ],
    [
      'checkpoint without kind',
      '{"type":"checkpoint","chain":"c","node":"a","hash":"ab","observedAtMs":1}',
      'missing field "kind"',
    ],
    [
      'checkpoint of an unknown kind',
      '{"type":"checkpoint","chain":"c","node":"a","kind":"latest","hash":"ab","observedAtMs":1}',
      'field "kind" must be one of finalized, safe, justified, got "latest"',
    ],
    [
      'checkpoint with a fractional epoch',
      '{"type":"checkpoint","chain":"c","node":"a","kind":"safe","epoch":1.5,"hash":"ab","observedAtMs":1}',
      'field "epoch" must be a non-negative integer, got 1.5',
    ],
    [
      'error without message',
      '{"type":"error","chain":"c","node":"a","code":"timeout","observedAtMs":1}',
      'missing field "message"',
    ],
    [
      'error with a non-string message',
      '{"type":"error","chain":"c","node":"a","code":"timeout","message":{"a":1},"observedAtMs":1}',
      'field "message" must be a string, got an object',
    ],
    [
      'error with an empty code',
      '{"type":"error","chain":"c","node":"a","code":"","message":"x","observedAtMs":1}',
      'field "code" must be a non-empty string, got ""',
    ],
    ['tick without time', '{"type":"tick","chain":"c"}', 'missing field "observedAtMs"'],
    [
      'tick with an empty chain',
      '{"type":"tick","chain":"","observedAtMs":1}',
      'field "chain" must be a non-empty string, got ""',
    ],
    [
      'a long bad value is shortened',
      block({ hash: 'z'.repeat(100) }),
      `field "hash" must be a hex string (with or without 0x), got "${'z'.repeat(36)}...`,
    ],
  ];
  for (const [name, line, message] of bad) {
    it(`error: ${name}`, () => {
      const result = parseObservation(line, 42);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.error.line, 42);
      if (typeof message === 'string') assert.equal(result.error.message, message);
      else assert.match(result.error.message, message);
    });
  }
});
