import assert from 'node:assert/strict';
import { test } from 'node:test';
import { thinSeries } from './thinSeries.ts';

test('default: a short series is kept whole', () => {
  assert.deepEqual(thinSeries([1, 2, 3], [5, 6, 7], 2), { t: [1, 2, 3], v: [5, 6, 7], dropped: 0 });
});

test('behavior: each bucket keeps its highest and its last point, in time order', () => {
  const cases: Array<{ t: number[]; v: number[]; buckets: number; want: { t: number[]; v: number[] } }> = [
    // Two buckets over 0..9: [0, 4.5) and [4.5, 9].
    {
      t: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      v: [1, 9, 2, 3, 4, 0, 0, 7, 0, 1],
      buckets: 2,
      want: { t: [1, 4, 7, 9], v: [9, 4, 7, 1] },
    },
    // The highest point is also the last: kept once.
    { t: [0, 1, 2, 3, 4, 5], v: [1, 2, 3, 1, 2, 3], buckets: 2, want: { t: [2, 5], v: [3, 3] } },
    // One bucket: a spike in the middle survives.
    { t: [0, 1, 2, 3, 4], v: [0, 0, 50, 0, 1], buckets: 1, want: { t: [2, 4], v: [50, 1] } },
  ];
  for (const c of cases) {
    const got = thinSeries(c.t, c.v, c.buckets);
    assert.deepEqual({ t: got.t, v: got.v }, c.want);
    assert.equal(got.dropped, c.t.length - c.want.t.length);
  }
});
