import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { erfcForCheck } from '../../../test/risk/independentBsm.ts';
import { expOfNonPositive } from './expOfNonPositive.ts';
import { normalCdf } from './normal.ts';
import { normalCdfByTable } from './normalCdfByTable.ts';

/** P(Z <= x) from the tests' own erfc (Taylor series and continued fraction, test/risk/independentBsm.ts). */
const reference = (x: number) => 0.5 * erfcForCheck(-x / Math.SQRT2);

describe('normalCdfByTable', () => {
  it('default: agrees with an independent erfc from -37 to 8, lower tail included', () => {
    for (let i = 0; i <= 46_080; i++) {
      // x a multiple of 1/1024, so x^2 / 2 = k^2 / 2^21 is exact.
      const k = i - 37 * 1024;
      const x = k / 1024;
      const gaussian = Math.exp(-(k * k) / 2 ** 21);
      const expected = reference(x);
      const actual = normalCdfByTable(x, gaussian);
      // The reference's Taylor series (|x| < 3 sqrt 2) loses about 1e-16 e^{x^2/2} absolute to
      // cancellation, and its exp(-y^2), with y = x / sqrt 2 and y^2 rounded, up to 3e-16 x^2 relative.
      const taylor = Math.abs(x) < 3 * Math.SQRT2 ? 1e-16 * Math.exp((x * x) / 2) : 0;
      const allowed = (4e-15 + 3e-16 * x * x) * expected + taylor;
      assert.ok(Math.abs(actual - expected) <= allowed, `x = ${x}: ${actual} vs ${expected}`);
    }
  });

  it('behavior: equals the rational (Cody) normal cdf to rounding', () => {
    for (let i = 0; i <= 46_080; i++) {
      const k = i - 37 * 1024;
      const x = k / 1024;
      const expected = normalCdf(x);
      const actual = normalCdfByTable(x, Math.exp(-(k * k) / 2 ** 21));
      assert.ok(Math.abs(actual - expected) <= 3e-15 * expected, `x = ${x}: ${actual} vs ${expected}`);
    }
  });

  it('behavior: symmetric, 0.5 at 0, 0 and 1 where the gaussian underflows', () => {
    assert.equal(normalCdfByTable(0, 1), 0.5);
    for (const x of [0.3, 1.7, 4.2, 9.9]) {
      const g = Math.exp(-(x * x) / 2);
      assert.ok(Math.abs(normalCdfByTable(x, g) + normalCdfByTable(-x, g) - 1) < 1e-15);
    }
    assert.equal(normalCdfByTable(-40, 0), 0);
    assert.equal(normalCdfByTable(40, 0), 1);
  });
});

describe('expOfNonPositive', () => {
  it('default: within 4e-16 relative of Math.exp on [-745, 0]', () => {
    let worst = 0;
    for (let i = 0; i <= 200_000; i++) {
      const x = -745 * (i / 200_000) ** 2;
      const expected = Math.exp(x);
      if (expected < 1e-300) continue;
      worst = Math.max(worst, Math.abs(expOfNonPositive(x) - expected) / expected);
    }
    assert.ok(worst <= 4e-16, `worst ${worst}`);
  });

  it('behavior: exact at 0, underflow to 0, NaN stays NaN', () => {
    assert.equal(expOfNonPositive(0), 1);
    assert.equal(expOfNonPositive(-800), 0);
    assert.ok(Number.isNaN(expOfNonPositive(Number.NaN)));
  });
});
