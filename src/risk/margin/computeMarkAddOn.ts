import { addOptionGroupPnl } from './addOptionGroupPnl.ts';
import type { MarginBook } from './marginBook.ts';

/**
 * Per account: the loss at the worse end of the fallback band of each unobservable asset, per
 * (account, asset) group (docs/risk.md, "Marks when unobservable"). Zero when no band is open.
 */
export function computeMarkAddOn(book: MarginBook): Float64Array {
  const { options, activeGroups, nAssets, markets } = book;
  const markAddOn = new Float64Array(book.nAccounts);
  if (!markets.marks.some((m) => m.lowUsd !== m.highUsd)) return markAddOn;
  const groupPnl = new Float64Array(book.nAccounts * nAssets);
  const markWorst = new Float64Array(book.nAccounts * nAssets);
  const scenarioValue = new Float64Array(options.n);
  const { spot, volAnnual } = options.input;
  for (const band of [markets.bandLow, markets.bandHigh]) {
    for (let i = 0; i < options.n; i++) {
      spot[i] = options.baseSpot[i]! * band[options.asset[i]!]!;
      volAnnual[i] = options.baseVol[i]!;
    }
    for (const g of activeGroups) groupPnl[g] = book.groupNotional[g]! * (band[g % nAssets]! - 1);
    addOptionGroupPnl(book, scenarioValue, groupPnl);
    for (const g of activeGroups) markWorst[g] = Math.min(markWorst[g]!, groupPnl[g]!);
  }
  for (const g of activeGroups) markAddOn[Math.floor(g / nAssets)]! += -markWorst[g]!;
  return markAddOn;
}
