import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type JumpToDefaultTreeInput,
  jumpToDefaultGreeks,
  jumpToDefaultTree,
} from '../../src/risk/pricing/jumpToDefault.ts';
import { jumpToDefaultRollback } from '../../src/risk/pricing/jumpToDefaultRollback.ts';
import { type BsmCase, bsmIndependent } from './independentBsm.ts';

/**
 * Jump to default against values computed apart from src/risk/pricing: the Black-Scholes-Merton
 * of independentBsm.ts (checked against QuantLib) under an adaptive Simpson rule in the default
 * time tau, written here:
 *
 *   V = e^{-lambda T} BSM(S e^{lambda (1-R) T}) + integral_0^T lambda e^{-lambda tau} BSM(R S e^{lambda (1-R) tau}) dtau
 */

type Market = Omit<BsmCase, 'spot'> & { spot: number };

function simpson(f: (x: number) => number, a: number, b: number, tolerance: number): number {
  const fa = f(a);
  const fb = f(b);
  const m = 0.5 * (a + b);
  const fm = f(m);
  const whole = ((b - a) / 6) * (fa + 4 * fm + fb);
  const refine = (
    a: number,
    b: number,
    fa: number,
    fm: number,
    fb: number,
    whole: number,
    tol: number,
    depth: number,
  ): number => {
    const m = 0.5 * (a + b);
    const lm = 0.5 * (a + m);
    const rm = 0.5 * (m + b);
    const flm = f(lm);
    const frm = f(rm);
    const left = ((m - a) / 6) * (fa + 4 * flm + fm);
    const right = ((b - m) / 6) * (fm + 4 * frm + fb);
    const delta = left + right - whole;
    if (depth <= 0 || Math.abs(delta) <= 15 * tol) return left + right + delta / 15;
    return (
      refine(a, m, fa, flm, fm, left, tol / 2, depth - 1) +
      refine(m, b, fm, frm, fb, right, tol / 2, depth - 1)
    );
  };
  return refine(a, b, fa, fm, fb, whole, tolerance, 60);
}

function independentJumpToDefault(market: Market, hazard: number, recovery: number): number {
  const { spot: S, timeYears: T } = market;
  const loss = 1 - recovery;
  const alive = Math.exp(-hazard * T) * bsmIndependent({ ...market, spot: S * Math.exp(hazard * loss * T) });
  if (recovery === 0) {
    const atDefault = market.type === 'call' ? 0 : market.strike * Math.exp(-market.rate * T);
    return alive + (1 - Math.exp(-hazard * T)) * atDefault;
  }
  const integrand = (tau: number) =>
    hazard *
    Math.exp(-hazard * tau) *
    bsmIndependent({ ...market, spot: recovery * S * Math.exp(hazard * loss * tau) });
  // The default density halves every ln 2 / hazard: integrate piecewise so no piece is too peaked.
  let total = 0;
  let a = 0;
  for (let b = Math.min(T, 1 / hazard); a < T; b = Math.min(T, 2 * b)) {
    total += simpson(integrand, a, b, 1e-13);
    a = b;
  }
  return alive + total;
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('jumpToDefaultGreeks against an independent integral', () => {
  it('behavior: hazard 999, recovery 0.3, T = 0.5: the call within 1e-8', () => {
    const market: Market = {
      type: 'call',
      spot: 100,
      strike: 100,
      timeYears: 0.5,
      rate: 0.05,
      yieldRate: 0,
      volAnnual: 0.6,
    };
    const expected = independentJumpToDefault(market, 999, 0.3);
    const actual = jumpToDefaultGreeks({ ...market, hazardPerYear: 999, recoveryFraction: 0.3 }).price;
    assert.ok(Math.abs(actual - expected) <= 1e-8, `${actual} vs ${expected}`);
  });

  for (const hazard of [0.2, 5, 100, 999]) {
    for (const type of ['call', 'put'] as const) {
      for (const recovery of [0.05, 0.3, 0.9]) {
        it(`behavior: ${type}, hazard ${hazard}, recovery ${recovery} within 1e-8`, () => {
          const market: Market = {
            type,
            spot: 100,
            strike: 110,
            timeYears: 0.5,
            rate: 0.03,
            yieldRate: 0.01,
            volAnnual: 0.25,
          };
          const expected = independentJumpToDefault(market, hazard, recovery);
          const actual = jumpToDefaultGreeks({
            ...market,
            hazardPerYear: hazard,
            recoveryFraction: recovery,
          }).price;
          assert.ok(Math.abs(actual - expected) <= 1e-8, `${actual} vs ${expected}`);
        });
      }
    }
  }
});

describe('jumpToDefaultTree', () => {
  // Vol 0.8, T = 0.25: at hazard 50 and R = 0.3 the pre-default drift is 35 a year.
  const market: Market = {
    type: 'call',
    spot: 100,
    strike: 100,
    timeYears: 0.25,
    rate: 0.05,
    yieldRate: 0,
    volAnnual: 0.8,
  };
  for (const hazard of [2, 20, 50]) {
    for (const recovery of [0, 0.3]) {
      it(`behavior: American call without dividend equals the European tree, hazard ${hazard}, recovery ${recovery}`, () => {
        const input = { ...market, hazardPerYear: hazard, recoveryFraction: recovery, steps: 2000 };
        const american = jumpToDefaultTree({ ...input, exercise: 'american' });
        const european = jumpToDefaultTree({ ...input, exercise: 'european' });
        assert.ok(
          relative(american.price, european.price) <= 1e-12,
          `${american.price} vs ${european.price}`,
        );
        assert.ok(Math.abs(american.theta - european.theta) <= 1e-9 * Math.abs(european.theta) + 1e-9);
      });
      for (const type of ['call', 'put'] as const) {
        it(`behavior: 2000 steps within 1e-3 of the independent price, ${type}, hazard ${hazard}, recovery ${recovery}`, () => {
          const m = { ...market, type };
          const expected = independentJumpToDefault(m, hazard, recovery);
          const exercise = type === 'call' ? 'american' : 'european';
          const tree = jumpToDefaultTree({
            ...m,
            hazardPerYear: hazard,
            recoveryFraction: recovery,
            steps: 2000,
            exercise,
          });
          assert.ok(relative(tree.price, expected) <= 1e-3, `${tree.price} vs ${expected}`);
        });
      }
    }
  }

  it('behavior: hazard 50, recovery 0.3: the error stays below 0.05 / steps from 500 to 4000 steps', () => {
    // The former tree, whose survival branch drifted on a symmetric lattice, was 5.6e-3 off at 500
    // steps and 1.4e-3 at 2000 (N times its error about 2.8, halving as N doubled).
    const input = { ...market, hazardPerYear: 50, recoveryFraction: 0.3, exercise: 'european' as const };
    const expected = independentJumpToDefault(market, 50, 0.3);
    for (const steps of [500, 1000, 2000, 4000]) {
      const error = relative(jumpToDefaultTree({ ...input, steps }).price, expected);
      assert.ok(steps * error <= 0.05, `${steps} steps: relative error ${error}`);
    }
  });

  it('behavior: hazard 200, recoveries 0.3 and 0.6: 500 steps within 1e-3, 2000 within 1e-4', () => {
    for (const recovery of [0.3, 0.6]) {
      const input = {
        ...market,
        hazardPerYear: 200,
        recoveryFraction: recovery,
        exercise: 'european' as const,
      };
      const expected = independentJumpToDefault(market, 200, recovery);
      const e500 = relative(jumpToDefaultTree({ ...input, steps: 500 }).price, expected);
      const e2000 = relative(jumpToDefaultTree({ ...input, steps: 2000 }).price, expected);
      assert.ok(e500 <= 1e-3 && e2000 <= 1e-4, `recovery ${recovery}: ${e500} then ${e2000}`);
    }
  });

  it('behavior: spot = strike = 100, T = 0.5, vol 0.6, hazard 20, recovery 0.3: American call = European = integral', () => {
    const m: Market = { ...market, timeYears: 0.5, volAnnual: 0.6 };
    const expected = independentJumpToDefault(m, 20, 0.3);
    const input = { ...m, hazardPerYear: 20, recoveryFraction: 0.3, steps: 2000 };
    const american = jumpToDefaultTree({ ...input, exercise: 'american' });
    const european = jumpToDefaultTree({ ...input, exercise: 'european' });
    assert.ok(relative(european.price, expected) <= 1e-4, `${european.price} vs ${expected}`);
    assert.ok(relative(american.price, european.price) <= 1e-12, `${american.price} vs ${european.price}`);
  });

  it('behavior: hazard 50, recovery 0.3 prices at every step count from 2 to 1000', () => {
    for (const steps of [2, 3, 10, 50, 100, 1000]) {
      const tree = jumpToDefaultTree({
        ...market,
        hazardPerYear: 50,
        recoveryFraction: 0.3,
        steps,
        exercise: 'american',
      });
      assert.ok(Number.isFinite(tree.price) && tree.price > 0, `${steps} steps: ${tree.price}`);
    }
  });

  it('behavior: hazard 200, recovery 0.6: delta and gamma at 2000 steps within 1e-3 of the integral', () => {
    // Central differences of the independent integral in the spot.
    const value = (spot: number) => independentJumpToDefault({ ...market, spot }, 200, 0.6);
    const h = 0.05;
    const [down, middle, up] = [value(100 - h), value(100), value(100 + h)];
    const delta = (up - down) / (2 * h);
    const gamma = (up - 2 * middle + down) / (h * h);
    const tree = jumpToDefaultTree({
      ...market,
      hazardPerYear: 200,
      recoveryFraction: 0.6,
      exercise: 'european',
      steps: 2000,
    });
    assert.ok(relative(tree.delta, delta) <= 1e-3, `${tree.delta} vs ${delta}`);
    assert.ok(relative(tree.gamma, gamma) <= 1e-3, `${tree.gamma} vs ${gamma}`);
  });
});

/**
 * The hazard sensitivity as the tree computed it before forward mode: a difference of rollbacks
 * with the hazard curve shifted by h for the probabilities (same lattices), central where the
 * hazard allows a shift of -h, else one-sided on [0, 2h].
 */
function bumpedHazardSensitivity(input: JumpToDefaultTreeInput): number {
  const recovery = input.recoveryFraction ?? 0;
  const price = (shift: number) => jumpToDefaultRollback(input, recovery, shift).price;
  const initial = input.hazardCurve?.initialPerYear;
  const lambda = Math.min(input.hazardPerYear, initial ?? input.hazardPerYear);
  const h = 1e-5 * Math.max(1, input.hazardPerYear, initial ?? 0);
  if (lambda >= h) return (price(h) - price(-h)) / (2 * h);
  return (-3 * price(0) + 4 * price(h) - price(2 * h)) / (2 * h);
}

describe('jumpToDefaultTree hazardSensitivity against bumped trees', () => {
  const market = {
    spot: 100,
    strike: 100,
    timeYears: 0.25,
    rate: 0.05,
    yieldRate: 0.02,
    volAnnual: 0.8,
    steps: 300,
  };
  const curve = { initialPerYear: 30, halfLifeYears: 0.05 };
  for (const type of ['call', 'put'] as const) {
    for (const exercise of ['european', 'american'] as const) {
      it(`behavior: ${type}, ${exercise}, hazards 0.2 to 200, recoveries 0 to 0.6, flat and decaying: within 1e-6 relative or 1e-8`, () => {
        for (const hazardPerYear of [0.2, 2, 20, 50, 200]) {
          for (const recoveryFraction of [0, 0.3, 0.6]) {
            for (const hazardCurve of [undefined, curve]) {
              const input: JumpToDefaultTreeInput = {
                ...market,
                type,
                exercise,
                hazardPerYear,
                recoveryFraction,
                ...(hazardCurve === undefined ? {} : { hazardCurve }),
              };
              const actual = jumpToDefaultTree(input).hazardSensitivity;
              const expected = bumpedHazardSensitivity(input);
              const error = Math.abs(actual - expected);
              assert.ok(
                error <= 1e-6 * Math.abs(expected) || error <= 1e-8,
                `hazard ${hazardPerYear}, recovery ${recoveryFraction}, curve ${hazardCurve !== undefined}: ${actual} vs ${expected}`,
              );
            }
          }
        }
      });
    }
  }

  it('behavior: the bench option (American put, hazard 0.2, recovery 0.3, 1000 steps) within 1e-6 relative', () => {
    // At spot 90 the exercise boundary moves inside +-h: the difference is 6e-7 off (3e-8 at h = 1e-6).
    for (const spot of [90, 100, 121]) {
      const input: JumpToDefaultTreeInput = {
        ...market,
        timeYears: 182 / 365,
        rate: 0.05,
        yieldRate: 0,
        volAnnual: 0.2,
        spot,
        type: 'put',
        exercise: 'american',
        hazardPerYear: 0.2,
        recoveryFraction: 0.3,
        steps: 1000,
      };
      const actual = jumpToDefaultTree(input).hazardSensitivity;
      const expected = bumpedHazardSensitivity(input);
      assert.ok(relative(actual, expected) <= 1e-6, `spot ${spot}: ${actual} vs ${expected}`);
    }
  });

  it('behavior: hazard 0 and recovery 1, where the one-sided difference is noisier: within 1e-5 relative or 1e-6', () => {
    // At hazard 0 the difference is one-sided on [0, 2h] (rounding 8 eps V / 2h, and an American
    // exercise boundary that moves inside it); with R = 1 the sensitivity is the tree's own error,
    // about 1e-3, below the difference's rounding of about 2e-7 at h = 1e-5.
    for (const type of ['call', 'put'] as const) {
      for (const exercise of ['european', 'american'] as const) {
        for (const [hazardPerYear, recoveryFraction] of [
          [0, 0],
          [0, 0.3],
          [0, 1],
          [2, 1],
        ] as const) {
          const input: JumpToDefaultTreeInput = {
            ...market,
            type,
            exercise,
            hazardPerYear,
            recoveryFraction,
          };
          const actual = jumpToDefaultTree(input).hazardSensitivity;
          const expected = bumpedHazardSensitivity(input);
          const error = Math.abs(actual - expected);
          assert.ok(
            error <= 1e-5 * Math.abs(expected) || error <= 1e-6,
            `${type} ${exercise} hazard ${hazardPerYear} recovery ${recoveryFraction}: ${actual} vs ${expected}`,
          );
        }
      }
    }
  });
});
