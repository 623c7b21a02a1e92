import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { erf, erfc, erfcx, normalCdf, normalPdf } from './normal.ts';

/** Values to 20 digits from Abramowitz and Stegun, Table 7.1, and from series in closed form. */
const ERFC_TABLE: Array<[number, number]> = [
  [0.5, 0.4795001221869535],
  [1, 0.15729920705028513],
  [2, 0.004677734981047266],
  [3, 0.00002209049699858544],
  [5, 1.537459794428035e-12],
  [10, 2.088487583762545e-45],
];

function assertRelative(actual: number, expected: number, tolerance: number): void {
  const error = Math.abs(actual - expected) / Math.abs(expected);
  assert.ok(error <= tolerance, `${actual} vs ${expected}: relative error ${error}`);
}

describe('erfc', () => {
  for (const [x, expected] of ERFC_TABLE) {
    it(`args: ${x}`, () => assertRelative(erfc(x), expected, 1e-15));
    it(`args: ${-x}`, () => assertRelative(erfc(-x), 2 - expected, 1e-15));
  }
  it('behavior: zero at 0 and far in the tail', () => {
    assert.equal(erfc(0), 1);
    assert.equal(erfc(27), 0);
    assert.equal(erfc(-27), 2);
  });
  it('behavior: NaN in, NaN out', () => assert.ok(Number.isNaN(erfc(Number.NaN))));
});

describe('erf', () => {
  it('default', () => assertRelative(erf(1), 1 - 0.15729920705028513, 1e-15));
  it('args: small x uses the series near zero', () =>
    assertRelative(erf(1e-10), 1.1283791670955126e-10, 1e-15));
  it('behavior: odd', () => assert.equal(erf(-0.3), -erf(0.3)));
});

describe('erfcx', () => {
  // Asymptotic series 1/(x sqrt(pi)) * (1 - 1/(2x^2) + 3/(4x^4) - 15/(8x^6)), exact to 1e-16 at x = 100.
  const x = 100;
  const series =
    (1 / (x * Math.sqrt(Math.PI))) * (1 - 1 / (2 * x * x) + 3 / (4 * x ** 4) - 15 / (8 * x ** 6));
  it('args: large x without overflow', () => assertRelative(erfcx(x), series, 1e-15));
  it('args: moderate x', () => assertRelative(erfcx(2), Math.exp(4) * 0.004677734981047266, 1e-15));
  it('args: negative x', () => assertRelative(erfcx(-1), Math.exp(1) * (2 - 0.15729920705028513), 1e-15));
  it('args: very large', () => assertRelative(erfcx(1e9), 1 / (1e9 * Math.sqrt(Math.PI)), 1e-15));
});

describe('normalCdf', () => {
  // Phi(-x) = erfc(x / sqrt 2) / 2; at -20 and -37 from the asymptotic series
  // phi(x)/x * (1 - 1/x^2 + 3/x^4 - ...) summed in 40-digit decimal arithmetic.
  const cases: Array<[number, number]> = [
    [0, 0.5],
    [-1, 0.15865525393145705],
    [1.96, 0.9750021048517795],
    [-10, 7.619853024160525e-24],
    [-20, 2.7536241186062337e-89],
    [-37, 5.725571222524577e-300],
  ];
  for (const [x, expected] of cases) it(`args: ${x}`, () => assertRelative(normalCdf(x), expected, 2e-15));
  it('behavior: tails', () => {
    assert.equal(normalCdf(40), 1);
    assert.equal(normalCdf(-40), 0);
  });
});

describe('normalPdf', () => {
  it('default', () => assertRelative(normalPdf(0), 0.3989422804014327, 1e-16));
  // exp(-450) / sqrt(2 pi) in 40-digit decimal arithmetic.
  it('args: tail', () => assertRelative(normalPdf(-30), 1.4736461348785476e-196, 1e-15));
});
