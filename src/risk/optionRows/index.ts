/**
 * Option rows: one option per row (its model, terms and the parameters the model needs), read from
 * CSV text or named cells, priced with its Greeks and jump-to-default P&L (docs/pricing.md).
 */
export { jumpToDefaultPnl } from './jumpToDefaultPnl.ts';
export { parsePriceCsv } from './parsePriceCsv.ts';
export { priceRow } from './priceRow.ts';
export { priceRows } from './priceRows.ts';
export {
  DEFAULT_TREE_STEPS,
  type JumpToDefaultPnl,
  type PriceModel,
  type PriceResult,
  type PriceRow,
  type RowError,
} from './priceRowTypes.ts';
export { toChainHazardRow } from './toChainHazardRow.ts';
export { toPriceRow } from './toPriceRow.ts';
