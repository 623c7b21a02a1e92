import { bsmPriceBatch } from '../pricing/batch.ts';
import type { MarginBook } from './marginBook.ts';

/**
 * Prices the options at the spot and volatility set in `book.options.input` and adds each one's
 * P&L against its base value to its group in `groupPnl`. `value` is scratch space, one per option.
 */
export function addOptionGroupPnl(book: MarginBook, value: Float64Array, groupPnl: Float64Array): void {
  const { options, optionGroup } = book;
  const baseValue = book.base.price;
  bsmPriceBatch(options.input, value);
  for (let i = 0; i < options.n; i++) {
    groupPnl[optionGroup[i]!]! += options.quantity[i]! * (value[i]! - baseValue[i]!);
  }
}
