import { describe, it } from 'node:test';
import { bsmGreeks } from '../../src/risk/pricing/bsm.ts';
import type { Greeks, OptionType } from '../../src/risk/pricing/types.ts';
import { assertRelative } from './reference.ts';

/**
 * Worked examples from E. G. Haug, The Complete Guide to Option Pricing Formulas, 2nd ed.
 * (McGraw-Hill, 2007), chapter 1 (the Black-Scholes-Merton family, each with its worked
 * example) and chapter 2 (Greeks, each with its worked example), which use the cost of carry
 * b = r - q; and from
 * J. C. Hull, Options, Futures, and Other Derivatives (the Greek-letters chapter: the 20-week
 * call on a non-dividend stock, S = 49, K = 50). The books print 3 or 4 decimals, so each
 * value is checked to half a unit of its last printed digit.
 */
type Example = {
  source: string;
  type: OptionType;
  spot: number;
  strike: number;
  timeYears: number;
  rate: number;
  carry: number;
  volAnnual: number;
  greek: keyof Greeks;
  value: number;
  decimals: number;
};

const EXAMPLES: Example[] = [
  // Haug ch. 1, Black-Scholes (1973): the stock option example.
  {
    source: 'Haug BS73',
    type: 'call',
    spot: 60,
    strike: 65,
    timeYears: 0.25,
    rate: 0.08,
    carry: 0.08,
    volAnnual: 0.3,
    greek: 'price',
    value: 2.1334,
    decimals: 4,
  },
  // Haug ch. 1, Merton (1973): option on a stock index with a continuous dividend yield.
  {
    source: 'Haug M73',
    type: 'put',
    spot: 100,
    strike: 95,
    timeYears: 0.5,
    rate: 0.1,
    carry: 0.05,
    volAnnual: 0.2,
    greek: 'price',
    value: 2.4648,
    decimals: 4,
  },
  // Haug ch. 1, Black (1976): option on a futures contract (b = 0); call and put are equal here.
  {
    source: 'Haug B76',
    type: 'call',
    spot: 19,
    strike: 19,
    timeYears: 0.75,
    rate: 0.1,
    carry: 0,
    volAnnual: 0.28,
    greek: 'price',
    value: 1.7011,
    decimals: 4,
  },
  {
    source: 'Haug B76',
    type: 'put',
    spot: 19,
    strike: 19,
    timeYears: 0.75,
    rate: 0.1,
    carry: 0,
    volAnnual: 0.28,
    greek: 'price',
    value: 1.7011,
    decimals: 4,
  },
  // Haug ch. 1, Garman-Kohlhagen (1983): currency option (b = r - rf).
  {
    source: 'Haug GK',
    type: 'call',
    spot: 1.56,
    strike: 1.6,
    timeYears: 0.5,
    rate: 0.06,
    carry: -0.02,
    volAnnual: 0.12,
    greek: 'price',
    value: 0.0291,
    decimals: 4,
  },
  // Haug ch. 2, delta: the futures option example.
  {
    source: 'Haug delta',
    type: 'call',
    spot: 105,
    strike: 100,
    timeYears: 0.5,
    rate: 0.1,
    carry: 0,
    volAnnual: 0.36,
    greek: 'delta',
    value: 0.5946,
    decimals: 4,
  },
  {
    source: 'Haug delta',
    type: 'put',
    spot: 105,
    strike: 100,
    timeYears: 0.5,
    rate: 0.1,
    carry: 0,
    volAnnual: 0.36,
    greek: 'delta',
    value: -0.3566,
    decimals: 4,
  },
  // Haug ch. 2, gamma.
  {
    source: 'Haug gamma',
    type: 'call',
    spot: 55,
    strike: 60,
    timeYears: 0.75,
    rate: 0.1,
    carry: 0.1,
    volAnnual: 0.3,
    greek: 'gamma',
    value: 0.0278,
    decimals: 4,
  },
  // Haug ch. 2, theta of a put on a stock index, per year.
  {
    source: 'Haug theta',
    type: 'put',
    spot: 430,
    strike: 405,
    timeYears: 0.0833,
    rate: 0.07,
    carry: 0.02,
    volAnnual: 0.2,
    greek: 'theta',
    value: -31.1924,
    decimals: 4,
  },
  // Haug ch. 2, rho of a call on a stock.
  {
    source: 'Haug rho',
    type: 'call',
    spot: 72,
    strike: 75,
    timeYears: 1,
    rate: 0.09,
    carry: 0.09,
    volAnnual: 0.19,
    greek: 'rho',
    value: 38.7325,
    decimals: 4,
  },
  // Hull, the 20-week call: price 2.40, delta 0.522, gamma 0.066, vega 12.1, theta -4.31, rho 8.91.
  {
    source: 'Hull',
    type: 'call',
    spot: 49,
    strike: 50,
    timeYears: 0.3846,
    rate: 0.05,
    carry: 0.05,
    volAnnual: 0.2,
    greek: 'price',
    value: 2.4,
    decimals: 2,
  },
  {
    source: 'Hull',
    type: 'call',
    spot: 49,
    strike: 50,
    timeYears: 0.3846,
    rate: 0.05,
    carry: 0.05,
    volAnnual: 0.2,
    greek: 'delta',
    value: 0.522,
    decimals: 3,
  },
  {
    source: 'Hull',
    type: 'call',
    spot: 49,
    strike: 50,
    timeYears: 0.3846,
    rate: 0.05,
    carry: 0.05,
    volAnnual: 0.2,
    greek: 'gamma',
    value: 0.066,
    decimals: 3,
  },
  {
    source: 'Hull',
    type: 'call',
    spot: 49,
    strike: 50,
    timeYears: 0.3846,
    rate: 0.05,
    carry: 0.05,
    volAnnual: 0.2,
    greek: 'vega',
    value: 12.1,
    decimals: 1,
  },
  {
    source: 'Hull',
    type: 'call',
    spot: 49,
    strike: 50,
    timeYears: 0.3846,
    rate: 0.05,
    carry: 0.05,
    volAnnual: 0.2,
    greek: 'theta',
    value: -4.31,
    decimals: 2,
  },
  {
    source: 'Hull',
    type: 'call',
    spot: 49,
    strike: 50,
    timeYears: 0.3846,
    rate: 0.05,
    carry: 0.05,
    volAnnual: 0.2,
    greek: 'rho',
    value: 8.91,
    decimals: 2,
  },
];

describe('textbook values: Black-Scholes-Merton prices and Greeks', () => {
  for (const e of EXAMPLES) {
    it(`args: ${e.source} ${e.type} ${e.greek}`, () => {
      const g = bsmGreeks({
        type: e.type,
        spot: e.spot,
        strike: e.strike,
        timeYears: e.timeYears,
        rate: e.rate,
        yieldRate: e.rate - e.carry,
        volAnnual: e.volAnnual,
      });
      const halfUnit = 0.5 * 10 ** -e.decimals;
      assertRelative(g[e.greek], e.value, halfUnit / Math.abs(e.value), `${e.source} ${e.greek}`);
    });
  }
});
