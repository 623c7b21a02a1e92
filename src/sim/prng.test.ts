import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPrng, fnv1a } from './prng.ts';

describe('createPrng', () => {
  // Golden outputs from an independent Python transcription of splitmix32 seeding and sfc32
  // (arbitrary-precision integers masked to 32 bits), not from this code.
  const golden: Array<[number, string, number[]]> = [
    [1, '', [3773806752, 188501479, 1512380885, 3184877352, 2795555519]],
    [42, 'network', [273331223, 3480864550, 1191090759, 2300018535, 2633227906]],
  ];
  for (const [seed, label, expected] of golden) {
    it(`args: seed ${seed} label "${label}"`, () => {
      const prng = createPrng(seed, label);
      assert.deepEqual(
        expected.map(() => prng.nextU32()),
        expected,
      );
    });
  }

  it('behavior: same seed, same stream; another seed or label, another stream', () => {
    const draw = (seed: number, label = '') => {
      const prng = createPrng(seed, label);
      return Array.from({ length: 20 }, () => prng.nextU32());
    };
    assert.deepEqual(draw(7), draw(7));
    assert.notDeepEqual(draw(7), draw(8));
    assert.notDeepEqual(draw(7, 'a'), draw(7, 'b'));
  });

  it('behavior: next() is uniform on [0, 1) (chi-square over 20 bins)', () => {
    const prng = createPrng(2024);
    const bins = new Array<number>(20).fill(0);
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const x = prng.next();
      assert.ok(x >= 0 && x < 1);
      bins[Math.floor(x * 20)]! += 1;
    }
    const expected = n / 20;
    const chi2 = bins.reduce((sum, o) => sum + (o - expected) ** 2 / expected, 0);
    // 19 degrees of freedom: P(chi2 > 43.8) = 0.001.
    assert.ok(chi2 < 43.8, `chi2 ${chi2}`);
  });

  it('behavior: exponential() has the requested mean', () => {
    const prng = createPrng(3);
    let sum = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) sum += prng.exponential(600);
    // Standard error of the mean: 600 / sqrt(1e5) = 1.9; allow 5 of them.
    assert.ok(Math.abs(sum / n - 600) < 9.5, `mean ${sum / n}`);
  });

  it('behavior: weighted() draws in proportion to the weights', () => {
    const prng = createPrng(4);
    const counts = [0, 0, 0];
    const n = 100_000;
    for (let i = 0; i < n; i++) counts[prng.weighted([1, 3, 6])]! += 1;
    const shares = counts.map((c) => c / n);
    for (const [i, p] of [0.1, 0.3, 0.6].entries()) assert.ok(Math.abs(shares[i]! - p) < 0.01, `share ${i}`);
  });

  it('behavior: int() and between() stay in range and reach both ends', () => {
    const prng = createPrng(5);
    const seen = new Set<number>();
    for (let i = 0; i < 1_000; i++) {
      const x = prng.between(3, 7);
      assert.ok(Number.isInteger(x) && x >= 3 && x <= 7);
      seen.add(x);
      const y = prng.int(4);
      assert.ok(Number.isInteger(y) && y >= 0 && y < 4);
    }
    assert.deepEqual([...seen].sort(), [3, 4, 5, 6, 7]);
  });
});

describe('fnv1a', () => {
  // Published FNV-1a 32-bit test vectors.
  const cases: Array<[string, number]> = [
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ];
  for (const [text, hash] of cases) it(`args: "${text}"`, () => assert.equal(fnv1a(text), hash));
});
