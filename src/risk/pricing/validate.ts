import { assertFinite, assertPositive, PricingError } from './errors.ts';
import type { OptionInput } from './types.ts';

/**
 * Largest |rate * T| (and |yield * T|) accepted: exp(500) is about 1e217, which keeps every
 * discount factor and forward finite in double precision.
 */
export const MAX_RATE_TIMES_T = 500;

/**
 * Checks an option's inputs; throws a `PricingError` with code `invalid_input` on the first bad
 * one. Spot and strike must be > 0, time to expiry > 0, volatility > 0, rates finite with
 * |rate * T| and |yieldRate * T| at most {@link MAX_RATE_TIMES_T}.
 */
export function assertOptionInput(input: OptionInput): void {
  if (input.type !== 'call' && input.type !== 'put') {
    throw new PricingError('invalid_input', `type must be call or put, got ${String(input.type)}`);
  }
  assertPositive('spot', input.spot);
  assertPositive('strike', input.strike);
  assertPositive('timeYears', input.timeYears);
  assertFinite('rate', input.rate);
  assertFinite('yieldRate', input.yieldRate);
  assertPositive('volAnnual', input.volAnnual);
  for (const [name, value] of [
    ['rate', input.rate],
    ['yieldRate', input.yieldRate],
  ] as const) {
    if (Math.abs(value * input.timeYears) > MAX_RATE_TIMES_T) {
      throw new PricingError('invalid_input', `|${name} * timeYears| must be at most ${MAX_RATE_TIMES_T}`, {
        [name]: value,
        timeYears: input.timeYears,
      });
    }
  }
}
