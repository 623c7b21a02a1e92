/**
 * Option pricing with consensus-failure jump risk: Black-Scholes-Merton, Cox-Ross-Rubinstein
 * trees, Merton jump-diffusion, jump to default, batch pricing of chains and implied volatility.
 * Conventions in docs/pricing.md: T in years (Actual/365 fixed), continuously compounded rates,
 * theta per year, vega and rho per unit.
 */
export { type BsmBatchGreeks, type BsmBatchInput, bsmGreeksBatch, bsmPriceBatch } from './batch.ts';
export { bsmGreeks, bsmPrice } from './bsm.ts';
export { type CrrInput, crrPrice, type TreeGreeks } from './crr.ts';
export { cumulativeHazard, type HazardCurve } from './cumulativeHazard.ts';
export { PricingError, type PricingErrorCode, type PricingErrorDetails } from './errors.ts';
export { type ImpliedVolInput, impliedVol } from './impliedVol.ts';
export {
  type JumpToDefaultGreeks,
  type JumpToDefaultInput,
  type JumpToDefaultTreeGreeks,
  type JumpToDefaultTreeInput,
  jumpToDefaultGreeks,
  jumpToDefaultPrice,
  jumpToDefaultTree,
} from './jumpToDefault.ts';
export { type MertonInput, mertonGreeks, mertonPrice } from './merton.ts';
export { erf, erfc, erfcx, normalCdf, normalPdf } from './normal.ts';
export {
  daysToYears,
  type ExerciseStyle,
  type Greeks,
  type OptionInput,
  type OptionType,
  toThetaPerDay,
} from './types.ts';
