/** Consensus-failure cover for a pool (docs/risk.md, "Cover"). */
export {
  type CoverPolicy,
  type CoverSource,
  type PriceCoverParameters,
  type PriceCoverReturnType,
  priceCover,
} from './priceCover.ts';
export { simulateLosses } from './simulateLosses.ts';
