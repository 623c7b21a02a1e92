import type { ContagionGraph } from '../contagion/contagionGraph.ts';
import { assertInRange, RiskError } from '../contagion/riskError.ts';
import { bsmGreeksBatch } from '../pricing/batch.ts';
import type { MarginBook, MarginLinearColumns, MarginOptionColumns } from './marginBook.ts';
import type { Portfolio } from './portfolio.ts';
import type { MarginMarkets } from './toMarginMarkets.ts';

function fail(field: string, message: string, value?: unknown): never {
  throw new RiskError('invalid_input', message, { field, value });
}

/**
 * The portfolio's positions in columns (options apart from perpetuals and spot), priced at the
 * base and grouped by (account, asset).
 *
 * @throws {RiskError} `invalid_input` for a malformed account or position, `unknown_reference`
 *   for a position on an asset without market data or a settlement chain outside the graph.
 */
export function toMarginBook(
  portfolio: Portfolio,
  markets: MarginMarkets,
  graph: ContagionGraph,
  rate: number,
): MarginBook {
  const nodeNames = [...graph.order];
  const nodeIndex = new Map(nodeNames.map((name, i) => [name, i]));
  const lookupAsset = (name: string, field: string): number => {
    const index = markets.index.get(name);
    if (index === undefined) {
      throw new RiskError('unknown_reference', `no market data for asset "${name}"`, { field, value: name });
    }
    return index;
  };
  const lookupNode = (name: string | undefined, field: string): number => {
    if (name === undefined) return -1;
    const index = nodeIndex.get(name);
    if (index === undefined) {
      throw new RiskError('unknown_reference', `settlement chain "${name}" is not in the contagion graph`, {
        field,
        value: name,
      });
    }
    return index;
  };

  const { options, linear } = createColumns(portfolio, rate);
  const seenIds = new Set<string>();
  let o = 0;
  let l = 0;
  for (const [a, account] of portfolio.accounts.entries()) {
    if (typeof account.id !== 'string' || account.id === '')
      fail(`accounts.${a}.id`, 'account id must be a non-empty string');
    if (seenIds.has(account.id))
      fail(`accounts.${a}.id`, `account "${account.id}" appears twice`, account.id);
    seenIds.add(account.id);
    for (const [p, position] of account.positions.entries()) {
      const field = `accounts.${a}.positions.${p}`;
      assertInRange(position.quantity, `${field}.quantity`, -Number.MAX_VALUE, Number.MAX_VALUE);
      if (position.kind === 'option') {
        const asset = lookupAsset(position.underlying, `${field}.underlying`);
        const vol = position.volAnnual ?? portfolio.markets[position.underlying]?.volAnnual;
        if (vol === undefined)
          fail(
            `${field}.volAnnual`,
            `no volatility for ${position.underlying}: give volAnnual on the position or its market`,
          );
        assertInRange(vol, `${field}.volAnnual`, Number.MIN_VALUE, 10);
        assertInRange(position.strike, `${field}.strike`, Number.MIN_VALUE, Number.MAX_VALUE);
        assertInRange(position.timeYears, `${field}.timeYears`, Number.MIN_VALUE, 100);
        if (position.type !== 'call' && position.type !== 'put')
          fail(`${field}.type`, 'type must be call or put', position.type);
        options.account[o] = a;
        options.asset[o] = asset;
        options.quantity[o] = position.quantity;
        options.settlement[o] = lookupNode(position.settlementChain, `${field}.settlementChain`);
        options.input.isCall[o] = position.type === 'call' ? 1 : 0;
        options.input.strike[o] = position.strike;
        options.input.timeYears[o] = position.timeYears;
        options.baseSpot[o] = markets.price[asset]!;
        options.baseVol[o] = vol;
        o += 1;
      } else if (position.kind === 'perp' || position.kind === 'spot') {
        const name = position.kind === 'perp' ? position.underlying : position.asset;
        const asset = lookupAsset(name, `${field}.${position.kind === 'perp' ? 'underlying' : 'asset'}`);
        linear.account[l] = a;
        linear.asset[l] = asset;
        linear.notional[l] = position.quantity * markets.price[asset]!;
        linear.settlement[l] =
          position.kind === 'perp' ? lookupNode(position.settlementChain, `${field}.settlementChain`) : -1;
        linear.isSpot[l] = position.kind === 'spot' ? 1 : 0;
        l += 1;
      } else {
        fail(`${field}.kind`, 'kind must be option, perp or spot', (position as { kind: unknown }).kind);
      }
    }
  }

  options.input.spot.set(options.baseSpot);
  options.input.volAnnual.set(options.baseVol);
  const base = bsmGreeksBatch(options.input);
  const nAccounts = portfolio.accounts.length;
  return {
    nAccounts,
    nAssets: markets.names.length,
    markets,
    nodeNames,
    options,
    linear,
    base,
    ...toGroups(nAccounts, markets.names.length, options, linear),
  };
}

/** Empty columns sized for the portfolio's options and its perpetuals and spot. */
function createColumns(
  portfolio: Portfolio,
  rate: number,
): { options: MarginOptionColumns; linear: MarginLinearColumns } {
  let nOptions = 0;
  let nLinear = 0;
  for (const account of portfolio.accounts) {
    for (const position of account.positions) {
      if (position.kind === 'option') nOptions += 1;
      else nLinear += 1;
    }
  }
  const options: MarginOptionColumns = {
    n: nOptions,
    account: new Int32Array(nOptions),
    asset: new Int32Array(nOptions),
    quantity: new Float64Array(nOptions),
    settlement: new Int32Array(nOptions),
    input: {
      isCall: new Uint8Array(nOptions),
      spot: new Float64Array(nOptions),
      strike: new Float64Array(nOptions),
      timeYears: new Float64Array(nOptions),
      rate: new Float64Array(nOptions).fill(rate),
      yieldRate: new Float64Array(nOptions),
      volAnnual: new Float64Array(nOptions),
    },
    baseSpot: new Float64Array(nOptions),
    baseVol: new Float64Array(nOptions),
  };
  const linear: MarginLinearColumns = {
    n: nLinear,
    account: new Int32Array(nLinear),
    asset: new Int32Array(nLinear),
    notional: new Float64Array(nLinear),
    settlement: new Int32Array(nLinear),
    isSpot: new Uint8Array(nLinear),
  };
  return { options, linear };
}

/** The (account, asset) group of each position and the linear notional of each group. */
function toGroups(
  nAccounts: number,
  nAssets: number,
  options: MarginOptionColumns,
  linear: MarginLinearColumns,
): Pick<MarginBook, 'groupNotional' | 'optionGroup' | 'activeGroups'> {
  const nGroups = nAccounts * nAssets;
  const groupNotional = new Float64Array(nGroups);
  for (let i = 0; i < linear.n; i++)
    groupNotional[linear.account[i]! * nAssets + linear.asset[i]!]! += linear.notional[i]!;
  const optionGroup = new Int32Array(options.n);
  const groupUsed = new Uint8Array(nGroups);
  for (let i = 0; i < options.n; i++) {
    const g = options.account[i]! * nAssets + options.asset[i]!;
    optionGroup[i] = g;
    groupUsed[g] = 1;
  }
  for (let g = 0; g < nGroups; g++) if (groupNotional[g] !== 0) groupUsed[g] = 1;
  const activeGroups: number[] = [];
  for (let g = 0; g < nGroups; g++) if (groupUsed[g]) activeGroups.push(g);
  return { groupNotional, optionGroup, activeGroups };
}
