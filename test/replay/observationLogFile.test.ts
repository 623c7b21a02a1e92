import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Observation } from '../../src/core/observation.ts';
import { createObservationLogWriter } from '../../src/sources/replay/createObservationLogWriter.ts';
import type { ObservationLineError } from '../../src/sources/replay/parseObservation.ts';
import { readObservationLog } from '../../src/sources/replay/readObservationLog.ts';
import { readObservationLogBatches } from '../../src/sources/replay/readObservationLogBatches.ts';
import { ReplayError } from '../../src/sources/replay/replayError.ts';
import { writeObservationLog } from '../../src/sources/replay/writeObservationLog.ts';

const observations: Observation[] = [
  {
    type: 'head',
    chain: 'bitcoin',
    node: 'darosior_node0',
    client: 'bitcoin-core',
    number: 781277n,
    hash: '0000000000000000000388f42000fa901c01f2bfae36042bbae133ee430e6485',
    parentHash: '00000000000000000004627dcc2895cf0364c1defacdeca8c74995a7c54e5712',
    timestamp: 1679103670,
    observedAtMs: 1679103687000,
  },
  { type: 'tick', chain: 'bitcoin', observedAtMs: 1679103747000 },
  {
    type: 'block',
    chain: 'big',
    node: 'n',
    number: 123456789012345678901234567890n,
    hash: 'ab',
    parentHash: 'cd',
    timestamp: 1,
    observedAtMs: 2,
    latencyMs: 4,
  },
  {
    type: 'checkpoint',
    chain: 'ethereum',
    node: 'l',
    kind: 'finalized',
    epoch: 200553,
    hash: 'ef',
    observedAtMs: 3,
  },
  { type: 'error', chain: 'ethereum', node: 'l', code: 'timeout', message: 'ünïcödé ✓', observedAtMs: 4 },
];

async function collect(path: string, chunkBytes?: number) {
  const errors: ObservationLineError[] = [];
  const out: Observation[] = [];
  const options =
    chunkBytes === undefined
      ? { onError: (e: ObservationLineError) => errors.push(e) }
      : { onError: (e: ObservationLineError) => errors.push(e), chunkBytes };
  for await (const batch of readObservationLogBatches(path, options)) out.push(...batch);
  return { observations: out, errors };
}

describe('observation log files', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'consensus-guard-replay-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('default: write then read back equal observations', async () => {
    const path = join(dir, 'roundtrip.jsonl');
    assert.equal(await writeObservationLog(path, observations), observations.length);
    const read: Observation[] = [];
    for await (const o of readObservationLog(path)) read.push(o);
    assert.deepEqual(read, observations);
  });

  for (const chunkBytes of [1, 7, 64, 1 << 20]) {
    it(`behavior: garbage lines in the middle are reported and skipped (chunks of ${chunkBytes} bytes)`, async () => {
      const path = join(dir, `garbage-${chunkBytes}.jsonl`);
      const good = observations.map((o) =>
        JSON.stringify(o, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
      );
      const text = `\uFEFF${good[0]}\r\n${good[1]}\n\u0000\u0001binary\n\n{"type":"tick"}\n${good[2]}\n[]\n${good[3]}\n${good[4]}`;
      await writeFile(path, text);
      const { observations: read, errors } = await collect(path, chunkBytes);
      assert.deepEqual(read, observations);
      assert.deepEqual(
        errors.map((e) => [e.line, e.message.replace(/ \(.*/, '')]),
        [
          [3, 'not valid JSON'],
          [5, 'missing field "observedAtMs"'],
          [7, 'expected a JSON object, got an array'],
        ],
      );
    });
  }

  it('behavior: without onError, bad lines are skipped silently', async () => {
    const path = join(dir, 'silent.jsonl');
    await writeFile(path, 'nope\n{"type":"tick","observedAtMs":5}\n');
    const read: Observation[] = [];
    for await (const o of readObservationLog(path)) read.push(o);
    assert.deepEqual(read, [{ type: 'tick', observedAtMs: 5 }]);
  });

  it('behavior: the onError callback form', async () => {
    const path = join(dir, 'callback.jsonl');
    await writeFile(path, '{"type":"tick","observedAtMs":5}\n{}\n');
    const errors: ObservationLineError[] = [];
    for await (const _ of readObservationLog(path, (e) => errors.push(e))) {
      /* drain */
    }
    assert.deepEqual(errors, [{ line: 2, message: 'missing field "type"' }]);
  });

  it('error: a missing file is a ReplayError with code file_not_found', async () => {
    const path = join(dir, 'absent.jsonl');
    await assert.rejects(
      async () => {
        for await (const _ of readObservationLog(path)) {
          /* drain */
        }
      },
      (error: unknown) =>
        error instanceof ReplayError &&
        error.code === 'file_not_found' &&
        error.path === path &&
        error.message === `observation log not found: ${path}`,
    );
  });

  it('error: a directory is a ReplayError with code file_unreadable', async () => {
    await assert.rejects(
      async () => {
        for await (const _ of readObservationLog(dir)) {
          /* drain */
        }
      },
      (error: unknown) => error instanceof ReplayError && error.code === 'file_unreadable',
    );
  });

  it('behavior: the writer appends, one line per observation', async () => {
    const path = join(dir, 'record.jsonl');
    const first = createObservationLogWriter(path);
    first.write(observations[0]!);
    await first.close();
    const second = createObservationLogWriter(path, { append: true });
    second.write(observations[1]!);
    second.write(observations[3]!);
    assert.equal(second.lines, 2);
    await second.close();
    const text = await readFile(path, 'utf8');
    assert.equal(text.split('\n').length, 4);
    const { observations: read, errors } = await collect(path);
    assert.deepEqual(read, [observations[0], observations[1], observations[3]]);
    assert.deepEqual(errors, []);
  });

  it('error: a writer on an unwritable path rejects on close with file_unwritable', async () => {
    const seen: ReplayError[] = [];
    const writer = createObservationLogWriter(join(dir, 'no', 'such', 'dir.jsonl'), {
      onError: (e) => seen.push(e),
    });
    writer.write(observations[1]!);
    await assert.rejects(
      writer.close(),
      (error: unknown) => error instanceof ReplayError && error.code === 'file_unwritable',
    );
    assert.equal(seen.length, 1);
  });
});
