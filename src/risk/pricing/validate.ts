import { assertFinite, assertPositive, PricingError } from './errors.ts';
import type { OptionInput } from './types.ts';

/**
 * Checks an option's inputs; throws a `PricingError` with code `invalid_input` on the first bad
 * one. Spot and strike must be > 0, time to expiry > 0, volatility > 0, rates finite.
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
}
