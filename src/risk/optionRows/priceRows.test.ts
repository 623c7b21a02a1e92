import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { priceRows } from './priceRows.ts';

describe('priceRows', () => {
  it('behavior: bsm refuses American exercise for that row only', () => {
    const [american, european] = priceRows([
      { type: 'put', exercise: 'american', model: 'bsm', spot: 100, strike: 100, T: 1, r: 0, q: 0, vol: 0.2 },
      { type: 'put', exercise: 'european', model: 'bsm', spot: 100, strike: 100, T: 1, r: 0, q: 0, vol: 0.2 },
    ]);
    assert.ok(american && 'error' in american);
    assert.ok(european && 'price' in european && european.price > 0);
  });

  it("behavior: a model's error speaks of the row's columns", () => {
    const [row] = priceRows([
      {
        type: 'put',
        exercise: 'european',
        model: 'bsm',
        spot: 100,
        strike: 100,
        T: 1,
        r: 0,
        q: 0,
        vol: -0.2,
      },
    ]);
    assert.ok(row && 'error' in row);
    assert.match(row.error, /^vol must be a finite number > 0/);
  });

  it('behavior: a row that could not be read stays in place', () => {
    assert.deepEqual(priceRows([{ error: 'line 2: spot is missing' }]), [
      { error: 'line 2: spot is missing' },
    ]);
  });
});
