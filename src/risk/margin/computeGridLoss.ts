import { addOptionGroupPnl } from './addOptionGroupPnl.ts';
import type { MarginBook } from './marginBook.ts';
import type { MarginPolicy, TenorVolShock } from './marginPolicy.ts';

export type GridLoss = {
  /** Per account: Σ over underlyings of the worst grid loss of its positions on that underlying. */
  gridLoss: Float64Array;
  /** The grid scenario with the largest loss of the whole portfolio at once. */
  worst: { priceMove: number; volShift: number; lossUsd: number };
  scenarioCount: number;
};

/** [price move, volatility shift (tenor mode: -1 down, 0, +1 up), fraction of the loss counted] */
type GridScenario = [number, number, number];

/**
 * The scenario grid: every non-stable price moves by `priceMove` and every volatility by
 * `volShift` (or, with a tenor shock, to its shocked level), options repriced in batches; then the
 * extended moves, whose loss counts at `extendedFraction`. Per (account, asset) group, the worst
 * P&L over the scenarios.
 */
export function computeGridLoss(book: MarginBook, policy: MarginPolicy): GridLoss {
  const { options, activeGroups, nAssets } = book;
  const { stable } = book.markets;
  const nGroups = book.nAccounts * nAssets;
  const groupPnl = new Float64Array(nGroups);
  const worstPnl = new Float64Array(nGroups);
  const scenarioValue = new Float64Array(options.n);
  let worst = { priceMove: 0, volShift: 0, lossUsd: Number.NEGATIVE_INFINITY };
  const { spot, volAnnual } = options.input;
  const tenor = policy.tenorVolShock;
  const { volUp, volDown } = toTenorVols(book, tenor);
  const scenarios = toGridScenarios(policy);
  for (const [move, shift, fraction] of scenarios) {
    for (let i = 0; i < options.n; i++) {
      spot[i] = stable[options.asset[i]!] ? options.baseSpot[i]! : options.baseSpot[i]! * (1 + move);
      const vol = tenor
        ? shift > 0
          ? volUp[i]!
          : shift < 0
            ? volDown[i]!
            : options.baseVol[i]!
        : options.baseVol[i]! + shift;
      volAnnual[i] = Math.max(vol, policy.volFloor);
    }
    for (const g of activeGroups) groupPnl[g] = stable[g % nAssets] ? 0 : book.groupNotional[g]! * move;
    addOptionGroupPnl(book, scenarioValue, groupPnl);
    let total = 0;
    for (const g of activeGroups) {
      const pnl = fraction * groupPnl[g]!;
      if (pnl < worstPnl[g]!) worstPnl[g] = pnl;
      total += pnl;
    }
    if (-total > worst.lossUsd) worst = { priceMove: move, volShift: shift, lossUsd: -total };
  }
  const gridLoss = new Float64Array(book.nAccounts);
  for (const g of activeGroups) gridLoss[Math.floor(g / nAssets)]! += -worstPnl[g]!;
  return { gridLoss, worst, scenarioCount: scenarios.length };
}

function toGridScenarios(policy: MarginPolicy): GridScenario[] {
  const tenor = policy.tenorVolShock;
  const volAxis = tenor ? [-1, 0, 1] : policy.grid.volShifts;
  const scenarios: GridScenario[] = [];
  for (const move of policy.grid.priceMoves) for (const shift of volAxis) scenarios.push([move, shift, 1]);
  const extendedShift = tenor ? 1 : Math.max(...policy.grid.volShifts);
  for (const move of policy.extendedMoves) scenarios.push([move, extendedShift, policy.extendedFraction]);
  return scenarios;
}

/** Volatility of each option after a tenor-scaled shock, up and down (Deribit-like policy). */
function toTenorVols(
  book: MarginBook,
  tenor: TenorVolShock | undefined,
): { volUp: Float64Array; volDown: Float64Array } {
  const { options } = book;
  const volUp = new Float64Array(tenor ? options.n : 0);
  const volDown = new Float64Array(tenor ? options.n : 0);
  if (tenor) {
    for (let i = 0; i < options.n; i++) {
      const days = options.input.timeYears[i]! * 365;
      const scale = (30 / days) ** (days < 30 ? tenor.shortTermPower : tenor.longTermPower);
      const vol = options.baseVol[i]!;
      volUp[i] = Math.max(vol * (1 + tenor.up * scale), tenor.minVolUp);
      volDown[i] = vol * (1 - tenor.down * scale);
    }
  }
  return { volUp, volDown };
}
