import type { ContagionGraph } from '../contagion/contagionGraph.ts';
import type { Holding } from '../contagion/exposure.ts';
import type { MarginBook } from './marginBook.ts';

/** Delta-equivalent value per asset of the graph, USD (spot, perpetual notional, option delta × spot). */
export function toDeltaHoldings(book: MarginBook, graph: ContagionGraph): Holding[] {
  const { options, linear } = book;
  const holdingByAsset = new Float64Array(book.nAssets);
  for (let i = 0; i < linear.n; i++) holdingByAsset[linear.asset[i]!]! += linear.notional[i]!;
  for (let i = 0; i < options.n; i++)
    holdingByAsset[options.asset[i]!]! += options.quantity[i]! * book.base.delta[i]! * options.baseSpot[i]!;
  return book.markets.names
    .map((asset, i) => ({ asset, valueUsd: holdingByAsset[i]! }))
    .filter((h) => h.valueUsd !== 0 && graph.nodes.has(h.asset));
}
