import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTokenBucket } from './createTokenBucket.ts';

function manualClock(startMs = 0) {
  let nowMs = startMs;
  return { nowMs: () => nowMs, advance: (ms: number) => (nowMs += ms) };
}

describe('createTokenBucket', () => {
  it('default: a full bucket allows a burst of its capacity, then refills at the rate', () => {
    const clock = manualClock();
    const bucket = createTokenBucket({ ratePerSecond: 4, clock });
    assert.deepEqual(
      Array.from({ length: 5 }, () => bucket.tryTake()),
      [true, true, true, true, false],
    );
    assert.equal(bucket.waitMs(), 250);
    clock.advance(249);
    assert.equal(bucket.tryTake(), false);
    clock.advance(1);
    assert.equal(bucket.tryTake(), true);
  });

  it('behavior: an idle bucket holds no more than its capacity', () => {
    const clock = manualClock();
    const bucket = createTokenBucket({ ratePerSecond: 2, capacity: 3, clock });
    clock.advance(60_000);
    assert.deepEqual(
      Array.from({ length: 4 }, () => bucket.tryTake()),
      [true, true, true, false],
    );
  });

  it('behavior: take() rejects when its signal aborts', async () => {
    const clock = manualClock();
    const bucket = createTokenBucket({ ratePerSecond: 1, clock });
    assert.equal(bucket.tryTake(), true);
    const controller = new AbortController();
    const taking = bucket.take(controller.signal);
    controller.abort(new Error('stopped'));
    await assert.rejects(taking, /stopped/);
  });

  it('error: a rate that is not positive', () => {
    assert.throws(() => createTokenBucket({ ratePerSecond: 0, clock: manualClock() }), {
      name: 'SourceError',
      code: 'config',
    });
  });
});
