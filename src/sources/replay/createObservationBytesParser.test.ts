import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Observation } from '../../core/observation.ts';
import { createObservationBytesParser } from './createObservationBytesParser.ts';
import { parseObservation } from './parseObservation.ts';
import { toObservationLine } from './toObservationLine.ts';

const H1 = '00000000000000000002533983dd168b67bfd5bc1d2c3b369e2c65a42b002a08';
const H0 = '000000000000000000041bca020f08c19ba5b76f74e642130162aea6a2df7780';

/** Observations in every shape the fast path reads, as toObservationLine writes them. */
const FAST: Array<[string, Observation]> = [
  [
    'head with client',
    {
      type: 'head',
      chain: 'bitcoin',
      node: 'darosior_node0',
      client: 'bitcoin-core',
      number: 820230n,
      hash: H1,
      parentHash: H0,
      timestamp: 1702021791,
      observedAtMs: 1702021791000,
    },
  ],
  [
    'block with client and a fractional latency',
    {
      type: 'block',
      chain: 'eth',
      node: 'a',
      client: 'Geth/v1.13.5-stable/linux-amd64/go1.21.4',
      number: 5n,
      hash: '0a',
      parentHash: '09',
      timestamp: 12,
      observedAtMs: 12500.25,
      latencyMs: 3.5,
    },
  ],
  [
    'head without client, latency in exponent form',
    {
      type: 'head',
      chain: 'c',
      node: 'n',
      number: 0n,
      hash: H0,
      parentHash: H1,
      timestamp: 0,
      observedAtMs: 1e21,
      latencyMs: 1.5e-7,
    },
  ],
  [
    'head with an empty client, number 2^53 - 1',
    {
      type: 'head',
      chain: 'c',
      node: 'n',
      client: '',
      number: 999999999999999n,
      hash: 'ab',
      parentHash: 'cd',
      timestamp: 1,
      observedAtMs: 2,
    },
  ],
  [
    'checkpoint with number and epoch',
    {
      type: 'checkpoint',
      chain: 'eth',
      node: 'a',
      client: 'lodestar',
      kind: 'finalized',
      number: 96n,
      epoch: 3,
      hash: 'ff',
      observedAtMs: 5,
    },
  ],
  [
    'checkpoint safe, epoch only',
    { type: 'checkpoint', chain: 'eth', node: 'a', kind: 'safe', epoch: 0, hash: 'aa', observedAtMs: 5 },
  ],
  [
    'checkpoint justified, neither number nor epoch',
    { type: 'checkpoint', chain: 'eth', node: 'a', kind: 'justified', hash: 'aa', observedAtMs: 5 },
  ],
  ['tick of one chain', { type: 'tick', chain: 'bitcoin', observedAtMs: 1676970600000 }],
  ['tick of every chain', { type: 'tick', observedAtMs: 60000 }],
];

/** Lines the fast path leaves to parseObservation, valid or not. */
const SLOW: Array<[string, string]> = [
  [
    'an error',
    toObservationLine({ type: 'error', chain: 'e', node: 'a', code: 'x', message: 'm', observedAtMs: 1 }),
  ],
  [
    'a number above 2^53 as a string',
    '{"type":"head","chain":"c","node":"a","number":"123456789012345678901","hash":"ab","parentHash":"cd","timestamp":0,"observedAtMs":0}',
  ],
  ['fields in another order', '{"type":"tick","observedAtMs":1,"chain":"c"}'],
  ['spaces', '{"type": "tick", "observedAtMs": 1}'],
  [
    'upper-case hash',
    '{"type":"head","chain":"c","node":"a","number":1,"hash":"AB","parentHash":"cd","timestamp":0,"observedAtMs":0}',
  ],
  [
    '0x hash',
    '{"type":"head","chain":"c","node":"a","number":1,"hash":"0xab","parentHash":"cd","timestamp":0,"observedAtMs":0}',
  ],
  ['an escape in a name', '{"type":"tick","chain":"a\\u0062","observedAtMs":1}'],
  ['a non-ASCII name', '{"type":"tick","chain":"chaîne","observedAtMs":1}'],
  ['null', '{"type":"tick","chain":null,"observedAtMs":1}'],
  ['a negative time', '{"type":"tick","observedAtMs":-1}'],
  ['an infinite time', '{"type":"tick","observedAtMs":1e999}'],
  ['an empty chain', '{"type":"tick","chain":"","observedAtMs":1}'],
  [
    'a fractional number',
    '{"type":"head","chain":"c","node":"a","number":1.5,"hash":"ab","parentHash":"cd","timestamp":0,"observedAtMs":0}',
  ],
  ['a leading zero', '{"type":"tick","observedAtMs":01}'],
  ['text after the object', '{"type":"tick","observedAtMs":1}x'],
  ['a cut line', '{"type":"tick","observedAtMs":1'],
  ['an unknown type', '{"type":"ticks","observedAtMs":1}'],
];

/** The line inside other bytes, digits and a brace after it, which the parser must not read. */
function parse(
  parser: ReturnType<typeof createObservationBytesParser>,
  line: string,
): Observation | undefined {
  const bytes = Buffer.from(`\n${line}5}\n`, 'utf8');
  return parser(bytes, 1, bytes.length - 3);
}

/**
 * The line read with `readLine`, up to the end of the bytes: its break (`\n`, or `\r\n` with
 * `crlf`) then more lines after it. Checks that `lineEnd` is that `\n`.
 */
function readLine(
  parser: ReturnType<typeof createObservationBytesParser>,
  line: string,
  crlf = false,
): Observation | undefined {
  const bytes = Buffer.from(`\n${line}${crlf ? '\r' : ''}\n5}\n{}`, 'utf8');
  const observation = parser.readLine(bytes, 1, bytes.length);
  if (observation !== undefined) assert.equal(parser.lineEnd(), bytes.indexOf('\n', 1), line);
  return observation;
}

/** Every line that differs from `line` by one character deleted, replaced or inserted. */
function* mutations(line: string): Generator<string> {
  const characters = [
    '"',
    '\\',
    '}',
    ',',
    ':',
    '0',
    '9',
    '-',
    '.',
    'e',
    'f',
    'F',
    'x',
    ' ',
    'é',
    '\u0001',
    'null',
  ];
  for (let i = 0; i <= line.length; i++) {
    if (i < line.length) yield line.slice(0, i) + line.slice(i + 1);
    for (const c of characters) {
      if (i < line.length) yield line.slice(0, i) + c + line.slice(i + 1);
      yield line.slice(0, i) + c + line.slice(i);
    }
  }
}

describe('createObservationBytesParser', () => {
  for (const [name, observation] of FAST) {
    it(`args: ${name}`, () => {
      const line = toObservationLine(observation);
      assert.deepEqual(parse(createObservationBytesParser(), line), observation);
      assert.deepEqual(readLine(createObservationBytesParser(), line), observation);
      assert.deepEqual(readLine(createObservationBytesParser(), line, true), observation);
      assert.deepEqual(parseObservation(line, 1), { ok: true, observation });
    });
  }

  for (const [name, line] of SLOW) {
    it(`behavior: ${name} is left to parseObservation`, () => {
      assert.equal(parse(createObservationBytesParser(), line), undefined);
      assert.equal(readLine(createObservationBytesParser(), line), undefined);
    });
  }

  it('behavior: on every one-character change of every line, it reads what parseObservation reads or leaves the line', () => {
    // One parser for all lines: its caches of names and hashes see near-equal strings.
    const parser = createObservationBytesParser();
    let read = 0;
    let left = 0;
    for (const [, observation] of FAST) {
      for (const line of mutations(toObservationLine(observation))) {
        const fast = parse(parser, line);
        assert.deepEqual(readLine(parser, line), fast, line);
        if (fast === undefined) {
          left += 1;
          continue;
        }
        read += 1;
        assert.deepEqual({ ok: true, observation: fast }, parseObservation(line, 1), line);
      }
    }
    assert.ok(read > 1000 && left > 1000, `read ${read}, left ${left}`);
  });

  it('behavior: readLine leaves a line whose break is not within the limit', () => {
    const parser = createObservationBytesParser();
    const bytes = Buffer.from('{"type":"tick","observedAtMs":1}\r\n', 'utf8');
    for (const limit of [bytes.length - 2, bytes.length - 1])
      assert.equal(parser.readLine(bytes, 0, limit), undefined, `limit ${limit}`);
    assert.deepEqual(parser.readLine(bytes, 0, bytes.length), { type: 'tick', observedAtMs: 1 });
  });

  it('behavior: names and hashes seen before are read again right after similar ones', () => {
    const parser = createObservationBytesParser();
    const tick = (chain: string) => `{"type":"tick","chain":"${chain}","observedAtMs":1}`;
    for (const chain of ['ab', 'abc', 'ab', 'b', 'ab', 'abd', 'abc', 'abd']) {
      assert.deepEqual(parse(parser, tick(chain)), { type: 'tick', chain, observedAtMs: 1 });
    }
  });
});
