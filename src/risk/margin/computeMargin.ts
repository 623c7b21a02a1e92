import { levelRank } from '../../breaker/levels.ts';
import type { ContagionGraph } from '../contagion/contagionGraph.ts';
import { defaultContagionGraph } from '../contagion/defaultContagionGraph.ts';
import { type ChainExposure, exposure, type Holding } from '../contagion/exposure.ts';
import { assertInRange, RiskError } from '../contagion/riskError.ts';
import { toFailureLosses } from '../contagion/toFailureLosses.ts';
import {
  type RiskStatus,
  type SourceHazard,
  toExpectedFailures,
  toSourceHazards,
} from '../contagion/toSourceHazards.ts';
import { type FallbackMark, toFallbackMark } from '../oracle/toFallbackMark.ts';
import { type BsmBatchInput, bsmGreeksBatch, bsmPriceBatch } from '../pricing/batch.ts';
import { type MarginPolicy, type MarginPolicyOverrides, toMarginPolicy } from './marginPolicy.ts';
import type { Portfolio } from './portfolio.ts';

export type ComputeMarginParameters = {
  portfolio: Portfolio;
  /** Live state per chain (breaker level, signals): raises the hazard and may pause liquidations. */
  status?: RiskStatus;
  /** Default: {@link defaultContagionGraph}. */
  graph?: ContagionGraph;
  policy?: MarginPolicyOverrides;
};

/** A consensus-failure scenario: one source fails and the loss propagates through the graph. */
export type FailureScenario = {
  source: string;
  hazardPerYear: number;
  /**
   * `1 - exp(-Lambda(horizon))`, Lambda the integral of the decaying hazard over the horizon; 1 when
   * the failure is under way (`post_event`).
   */
  probability: number;
  /** `min(1, probability / tailProbability)`: how much of the loss the margin holds. */
  weight: number;
  /**
   * Jump-to-default P&L of the whole book if this source failed now: every asset at its recovery
   * level, volatility raised by `failureVolShift`, gains on frozen settlement chains capped at 0.
   */
  jumpToDefaultPnlUsd: number;
};

export type WorstScenario =
  | { kind: 'grid'; priceMove: number; volShift: number; lossUsd: number }
  | { kind: 'failure'; source: string; weight: number; lossUsd: number; weightedLossUsd: number };

export type AccountMargin = {
  id: string;
  /** Collateral after haircuts and the concentration charge, plus the options' mark value. */
  equityUsd: number;
  collateralUsd: number;
  haircutUsd: number;
  concentrationChargeUsd: number;
  optionValueUsd: number;
  /** Σ over underlyings of the worst grid loss of the account's positions on that underlying. */
  gridLossUsd: number;
  /** Worse end of the fallback band of unobservable assets (docs/risk.md, "Marks when unobservable"). */
  markAddOnUsd: number;
  /** Σ over failure sources of weight × max(0, loss). */
  consensusAddOnUsd: number;
  /** The failure with the largest weighted loss, when there is one. */
  worstFailure?: { source: string; lossUsd: number; weight: number };
  /** The account's P&L if each source that reaches it failed now (see {@link FailureScenario}). */
  jumpToDefault: Array<{ source: string; pnlUsd: number }>;
  initialMarginUsd: number;
  maintenanceMarginUsd: number;
  /** `equityUsd - initialMarginUsd`. */
  excessUsd: number;
  /** Equity below maintenance margin. */
  liquidate: boolean;
  /** A source the account depends on is at or above `pauseLiquidationsAtLevel`. */
  liquidationPaused: boolean;
  /** Sources at or above that level, when paused. */
  pausedBy: string[];
};

export type ComputeMarginReturnType = {
  accounts: AccountMargin[];
  totals: {
    equityUsd: number;
    initialMarginUsd: number;
    maintenanceMarginUsd: number;
    gridLossUsd: number;
    markAddOnUsd: number;
    consensusAddOnUsd: number;
  };
  /** The mark of every asset whose oracle is unobservable, and which fallback gave it. */
  marks: Array<{ asset: string } & FallbackMark>;
  /** Ids of accounts whose equity is below maintenance margin. */
  liquidations: string[];
  /** Of those, the ones whose liquidation the breaker pauses. */
  pausedLiquidations: string[];
  /** Value exposed to each failure source, from delta-equivalent notionals. */
  exposures: ChainExposure[];
  /** Delta-equivalent value per asset of the graph, USD (spot, perpetual notional, option delta × spot). */
  holdings: Holding[];
  /** The portfolio's worst scenario: every account in it at once. */
  worstScenario: WorstScenario;
  failureScenarios: FailureScenario[];
  hazards: SourceHazard[];
  scenarioCount: number;
  positionCount: number;
  policy: MarginPolicy;
};

/** Smallest spot in a failure scenario: a loss of 100% leaves a price the pricer accepts. */
const MIN_SPOT_FRACTION = 1e-9;

type Columns = {
  n: number;
  account: Int32Array;
  asset: Int32Array;
  quantity: Float64Array;
  /** Graph node index of the settlement chain, -1 when none. */
  settlement: Int32Array;
  input: BsmBatchInput;
  baseSpot: Float64Array;
  baseVol: Float64Array;
};

function fail(field: string, message: string, value?: unknown): never {
  throw new RiskError('invalid_input', message, { field, value });
}

/**
 * Portfolio margin (docs/risk.md, "Margin"). For each account:
 *
 *   gridLoss   = Σ over underlyings u of max(0, -min over grid scenarios k of PnL_u(k))
 *   addOn      = Σ over failure sources s of min(1, p_s / tail) × max(0, -PnL(s))
 *   IM         = gridLoss + markAddOn + addOn,   MM = maintenanceRatio × IM
 *   equity     = Σ spot value × (1 - haircut) - concentration charge + Σ option mark value
 *   liquidate  = equity < MM
 *
 * A grid scenario moves every non-stable price by `priceMove` and every volatility by
 * `volShift`; options are repriced with Black-Scholes-Merton in batches. A failure scenario moves
 * each asset to `price × (1 - loss)` with the graph's loss fraction, adds `failureVolShift` to the
 * volatility of every asset the failure reaches, and caps at zero the gain of every position whose
 * settlement chain the failure reaches (settlement frozen). `p_s = 1 - exp(-Lambda_s)`, Lambda_s the
 * expected failures within the horizon of the decaying hazard from the status (1 when under way).
 *
 * @throws {RiskError} `invalid_input` for a malformed portfolio or policy, `unknown_reference` for
 *   a position on an asset without market data.
 */
export function computeMargin(parameters: ComputeMarginParameters): ComputeMarginReturnType {
  const policy = toMarginPolicy(parameters.policy);
  const graph = parameters.graph ?? defaultContagionGraph();
  const { portfolio } = parameters;
  const rate = portfolio.rate ?? 0;
  assertInRange(rate, 'portfolio.rate', -1, 1);
  assertInRange(policy.horizonDays, 'policy.horizonDays', 0, 36_500);
  assertInRange(policy.tailProbability, 'policy.tailProbability', Number.MIN_VALUE, 1);
  assertInRange(policy.maintenanceRatio, 'policy.maintenanceRatio', 0, 1);
  assertInRange(policy.volFloor, 'policy.volFloor', Number.MIN_VALUE, 10);
  for (const [i, move] of policy.grid.priceMoves.entries()) {
    assertInRange(move, `policy.grid.priceMoves.${i}`, -0.999999, 100);
  }
  for (const [i, shift] of policy.grid.volShifts.entries()) {
    assertInRange(shift, `policy.grid.volShifts.${i}`, -10, 10);
  }
  for (const [i, move] of policy.extendedMoves.entries()) {
    assertInRange(move, `policy.extendedMoves.${i}`, -0.999999, 100);
  }
  assertInRange(policy.extendedFraction, 'policy.extendedFraction', 0, 1);
  assertInRange(policy.failureVolShift, 'policy.failureVolShift', 0, 10);
  if (policy.tenorVolShock) {
    const t = policy.tenorVolShock;
    assertInRange(t.up, 'policy.tenorVolShock.up', 0, 100);
    assertInRange(t.down, 'policy.tenorVolShock.down', 0, 1);
    assertInRange(t.shortTermPower, 'policy.tenorVolShock.shortTermPower', 0, 5);
    assertInRange(t.longTermPower, 'policy.tenorVolShock.longTermPower', 0, 5);
    assertInRange(t.minVolUp, 'policy.tenorVolShock.minVolUp', 0, 10);
  }

  const hazards = toSourceHazards(graph, parameters.status);
  const sourceLosses = graph.sources.map((source) =>
    toFailureLosses(graph, source, hazards.get(source)?.nativeSeverity),
  );
  const assetNames = Object.keys(portfolio.markets).sort();
  const assetIndex = new Map(assetNames.map((name, i) => [name, i]));
  const nAssets = assetNames.length;
  const price = new Float64Array(nAssets);
  const stable = new Uint8Array(nAssets);
  const bandLow = new Float64Array(nAssets).fill(1);
  const bandHigh = new Float64Array(nAssets).fill(1);
  const marks: ComputeMarginReturnType['marks'] = [];
  for (const [i, name] of assetNames.entries()) {
    const market = portfolio.markets[name]!;
    assertInRange(market.priceUsd, `markets.${name}.priceUsd`, Number.MIN_VALUE, Number.MAX_VALUE);
    if (market.volAnnual !== undefined) assertInRange(market.volAnnual, `markets.${name}.volAnnual`, 0, 10);
    if (market.haircut !== undefined) assertInRange(market.haircut, `markets.${name}.haircut`, 0, 1);
    price[i] = market.priceUsd;
    stable[i] = market.stable ? 1 : 0;
    if (market.unobservable) {
      // Recovery-adjusted: the asset's worst loss over the sources it depends on has happened.
      let worstLoss = 0;
      for (const losses of sourceLosses) worstLoss = Math.max(worstLoss, losses.get(name) ?? 0);
      const mark = toFallbackMark({
        lastGoodPriceUsd: market.priceUsd,
        ageDays: market.unobservable.ageDays,
        method: market.unobservable.fallback ?? 'last_good_band',
        ...(market.volAnnual !== undefined ? { volAnnual: market.volAnnual } : {}),
        recoveryFraction: 1 - worstLoss,
      });
      marks.push({ asset: name, ...mark });
      price[i] = mark.priceUsd;
      bandLow[i] = mark.lowUsd / mark.priceUsd;
      bandHigh[i] = mark.highUsd / mark.priceUsd;
    }
  }
  const lookupAsset = (name: string, field: string): number => {
    const index = assetIndex.get(name);
    if (index === undefined) {
      throw new RiskError('unknown_reference', `no market data for asset "${name}"`, { field, value: name });
    }
    return index;
  };
  const nodeNames = [...graph.order];
  const nodeIndex = new Map(nodeNames.map((name, i) => [name, i]));
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

  const nAccounts = portfolio.accounts.length;
  let nOptions = 0;
  let nLinear = 0;
  for (const account of portfolio.accounts) {
    for (const position of account.positions) {
      if (position.kind === 'option') nOptions += 1;
      else nLinear += 1;
    }
  }
  const options: Columns = {
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
  const linAccount = new Int32Array(nLinear);
  const linAsset = new Int32Array(nLinear);
  const linNotional = new Float64Array(nLinear);
  const linSettlement = new Int32Array(nLinear);
  const linIsSpot = new Uint8Array(nLinear);
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
        options.baseSpot[o] = price[asset]!;
        options.baseVol[o] = vol;
        o += 1;
      } else if (position.kind === 'perp' || position.kind === 'spot') {
        const name = position.kind === 'perp' ? position.underlying : position.asset;
        const asset = lookupAsset(name, `${field}.${position.kind === 'perp' ? 'underlying' : 'asset'}`);
        linAccount[l] = a;
        linAsset[l] = asset;
        linNotional[l] = position.quantity * price[asset]!;
        linSettlement[l] =
          position.kind === 'perp' ? lookupNode(position.settlementChain, `${field}.settlementChain`) : -1;
        linIsSpot[l] = position.kind === 'spot' ? 1 : 0;
        l += 1;
      } else {
        fail(`${field}.kind`, 'kind must be option, perp or spot', (position as { kind: unknown }).kind);
      }
    }
  }

  // Base values and deltas.
  options.input.spot.set(options.baseSpot);
  options.input.volAnnual.set(options.baseVol);
  const base = bsmGreeksBatch(options.input);
  const baseValue = base.price;

  // Grid: per (account, asset) group, the worst P&L over the scenarios.
  const nGroups = nAccounts * nAssets;
  const groupPnl = new Float64Array(nGroups);
  const worst = new Float64Array(nGroups);
  const linGroupNotional = new Float64Array(nGroups);
  for (let i = 0; i < nLinear; i++)
    linGroupNotional[linAccount[i]! * nAssets + linAsset[i]!]! += linNotional[i]!;
  const optionGroup = new Int32Array(nOptions);
  const groupUsed = new Uint8Array(nGroups);
  for (let i = 0; i < nOptions; i++) {
    const g = options.account[i]! * nAssets + options.asset[i]!;
    optionGroup[i] = g;
    groupUsed[g] = 1;
  }
  for (let g = 0; g < nGroups; g++) if (linGroupNotional[g] !== 0) groupUsed[g] = 1;
  const activeGroups: number[] = [];
  for (let g = 0; g < nGroups; g++) if (groupUsed[g]) activeGroups.push(g);
  const scenarioValue = new Float64Array(nOptions);
  let worstGrid = { priceMove: 0, volShift: 0, lossUsd: Number.NEGATIVE_INFINITY };
  const { spot, volAnnual } = options.input;
  // Volatility of each option after a tenor-scaled shock, up and down (Deribit-like policy).
  const tenor = policy.tenorVolShock;
  const volUp = new Float64Array(tenor ? nOptions : 0);
  const volDown = new Float64Array(tenor ? nOptions : 0);
  if (tenor) {
    for (let i = 0; i < nOptions; i++) {
      const days = options.input.timeYears[i]! * 365;
      const scale = (30 / days) ** (days < 30 ? tenor.shortTermPower : tenor.longTermPower);
      const vol = options.baseVol[i]!;
      volUp[i] = Math.max(vol * (1 + tenor.up * scale), tenor.minVolUp);
      volDown[i] = vol * (1 - tenor.down * scale);
    }
  }
  // [price move, volatility shift (tenor mode: -1 down, 0, +1 up), fraction of the loss counted]
  const volAxis = tenor ? [-1, 0, 1] : policy.grid.volShifts;
  const scenarios: Array<[number, number, number]> = [];
  for (const move of policy.grid.priceMoves) for (const shift of volAxis) scenarios.push([move, shift, 1]);
  const extendedShift = tenor ? 1 : Math.max(...policy.grid.volShifts);
  for (const move of policy.extendedMoves) scenarios.push([move, extendedShift, policy.extendedFraction]);
  for (const [move, shift, fraction] of scenarios) {
    for (let i = 0; i < nOptions; i++) {
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
    bsmPriceBatch(options.input, scenarioValue);
    for (const g of activeGroups) groupPnl[g] = stable[g % nAssets] ? 0 : linGroupNotional[g]! * move;
    for (let i = 0; i < nOptions; i++) {
      groupPnl[optionGroup[i]!]! += options.quantity[i]! * (scenarioValue[i]! - baseValue[i]!);
    }
    let total = 0;
    for (const g of activeGroups) {
      const pnl = fraction * groupPnl[g]!;
      if (pnl < worst[g]!) worst[g] = pnl;
      total += pnl;
    }
    if (-total > worstGrid.lossUsd) worstGrid = { priceMove: move, volShift: shift, lossUsd: -total };
  }
  const gridLoss = new Float64Array(nAccounts);
  for (const g of activeGroups) gridLoss[Math.floor(g / nAssets)]! += -worst[g]!;

  // Marks of unobservable assets: the worse end of their band, per (account, asset).
  const markAddOn = new Float64Array(nAccounts);
  if (marks.some((m) => m.lowUsd !== m.highUsd)) {
    const markWorst = new Float64Array(nGroups);
    for (const band of [bandLow, bandHigh]) {
      for (let i = 0; i < nOptions; i++) {
        spot[i] = options.baseSpot[i]! * band[options.asset[i]!]!;
        volAnnual[i] = options.baseVol[i]!;
      }
      bsmPriceBatch(options.input, scenarioValue);
      for (const g of activeGroups) groupPnl[g] = linGroupNotional[g]! * (band[g % nAssets]! - 1);
      for (let i = 0; i < nOptions; i++) {
        groupPnl[optionGroup[i]!]! += options.quantity[i]! * (scenarioValue[i]! - baseValue[i]!);
      }
      for (const g of activeGroups) markWorst[g] = Math.min(markWorst[g]!, groupPnl[g]!);
    }
    for (const g of activeGroups) markAddOn[Math.floor(g / nAssets)]! += -markWorst[g]!;
  }

  // Consensus-failure scenarios.
  const horizonYears = policy.horizonDays / 365;
  const failureScenarios: FailureScenario[] = [];
  const addOn = new Float64Array(nAccounts);
  const addOnWorst = new Float64Array(nAccounts);
  const accountJumps: Array<Array<{ source: string; pnlUsd: number }>> = Array.from(
    { length: nAccounts },
    () => [],
  );
  const addOnSource = new Int32Array(nAccounts).fill(-1);
  const addOnLoss = new Float64Array(nAccounts);
  const accountLoss = new Float64Array(nAccounts);
  const assetLoss = new Float64Array(nAssets);
  const nodeLoss = new Float64Array(nodeNames.length);
  let worstFailure: Extract<WorstScenario, { kind: 'failure' }> | undefined;
  if (policy.failureScenarios) {
    for (const [s, source] of graph.sources.entries()) {
      const hazard = hazards.get(source)!;
      const losses = sourceLosses[s]!;
      let touches = false;
      for (const [i, name] of assetNames.entries()) {
        assetLoss[i] = losses.get(name) ?? 0;
        if (assetLoss[i]! > 0) touches = true;
      }
      if (!touches) continue;
      for (const [i, name] of nodeNames.entries()) nodeLoss[i] = losses.get(name) ?? 0;
      const probability =
        hazard.state === 'post_event' ? 1 : -Math.expm1(-toExpectedFailures(hazard, horizonYears));
      const weight = Math.min(1, probability / policy.tailProbability);
      const scenario: FailureScenario = {
        source,
        hazardPerYear: hazard.hazardPerYear,
        probability,
        weight,
        jumpToDefaultPnlUsd: 0,
      };
      failureScenarios.push(scenario);
      for (let i = 0; i < nOptions; i++) {
        const loss = assetLoss[options.asset[i]!]!;
        spot[i] = options.baseSpot[i]! * Math.max(1 - loss, MIN_SPOT_FRACTION);
        volAnnual[i] = loss > 0 ? options.baseVol[i]! + policy.failureVolShift : options.baseVol[i]!;
      }
      bsmPriceBatch(options.input, scenarioValue);
      accountLoss.fill(0);
      for (let i = 0; i < nOptions; i++) {
        let pnl = options.quantity[i]! * (scenarioValue[i]! - baseValue[i]!);
        const settle = options.settlement[i]!;
        if (pnl > 0 && settle >= 0 && nodeLoss[settle]! > 0) pnl = 0;
        accountLoss[options.account[i]!]! -= pnl;
      }
      for (let i = 0; i < nLinear; i++) {
        let pnl = -linNotional[i]! * assetLoss[linAsset[i]!]!;
        const settle = linSettlement[i]!;
        if (pnl > 0 && settle >= 0 && nodeLoss[settle]! > 0) pnl = 0;
        accountLoss[linAccount[i]!]! -= pnl;
      }
      let total = 0;
      let weightedTotal = 0;
      for (let a = 0; a < nAccounts; a++) {
        const loss = accountLoss[a]!;
        if (loss !== 0) accountJumps[a]!.push({ source, pnlUsd: -loss });
        total += loss;
        const weighted = loss > 0 ? weight * loss : 0;
        weightedTotal += weighted;
        // Sources fail independently: their weighted losses add (docs/risk.md, "Margin").
        addOn[a]! += weighted;
        if (weighted > addOnWorst[a]!) {
          addOnWorst[a] = weighted;
          addOnSource[a] = s;
          addOnLoss[a] = loss;
        }
      }
      scenario.jumpToDefaultPnlUsd = -total;
      if (worstFailure === undefined || weightedTotal > worstFailure.weightedLossUsd) {
        worstFailure = { kind: 'failure', source, weight, lossUsd: total, weightedLossUsd: weightedTotal };
      }
    }
  }

  // Collateral: haircuts from the graph, concentration per source.
  const haircut = new Float64Array(nAssets);
  for (const [i, name] of assetNames.entries()) {
    const given = portfolio.markets[name]!.haircut;
    if (given !== undefined) {
      haircut[i] = given;
      continue;
    }
    let keep = 1;
    for (const [s, source] of graph.sources.entries()) {
      const loss = sourceLosses[s]!.get(name) ?? 0;
      if (loss > 0) keep *= 1 - (policy.sourceHaircuts[source] ?? policy.defaultSourceHaircut) * loss;
    }
    haircut[i] = 1 - keep;
  }
  const collateral = new Float64Array(nAccounts);
  const haircutUsd = new Float64Array(nAccounts);
  const spotByGroup = new Float64Array(nGroups);
  for (let i = 0; i < nLinear; i++) {
    if (!linIsSpot[i]) continue;
    const value = linNotional[i]!;
    const a = linAccount[i]!;
    collateral[a]! += value;
    if (value > 0) haircutUsd[a]! += value * haircut[linAsset[i]!]!;
    spotByGroup[a * nAssets + linAsset[i]!]! += value;
  }
  const concentration = new Float64Array(nAccounts);
  for (let a = 0; a < nAccounts; a++) {
    let positive = 0;
    for (let i = 0; i < nAssets; i++) positive += Math.max(0, spotByGroup[a * nAssets + i]!);
    if (positive <= 0) continue;
    for (let s = 0; s < graph.sources.length; s++) {
      const losses = sourceLosses[s]!;
      let atRisk = 0;
      for (const [i, name] of assetNames.entries()) {
        const value = spotByGroup[a * nAssets + i]!;
        if (value > 0) atRisk += value * (losses.get(name) ?? 0);
      }
      const limit = policy.concentrationLimits[graph.sources[s]!] ?? policy.concentrationLimit;
      const excess = atRisk - limit * positive;
      if (excess > 0) {
        const charge = policy.concentrationHaircut * excess;
        if (charge > concentration[a]!) concentration[a] = charge;
      }
    }
  }
  const optionValue = new Float64Array(nAccounts);
  for (let i = 0; i < nOptions; i++)
    optionValue[options.account[i]!]! += options.quantity[i]! * baseValue[i]!;

  // Dependencies of each account, for the liquidation pause.
  const pausing = graph.sources.filter(
    (source) =>
      levelRank(hazards.get(source)?.level ?? 'normal') >= levelRank(policy.pauseLiquidationsAtLevel),
  );
  const pausingIndex = pausing.map((source) => graph.sources.indexOf(source));

  const accounts: AccountMargin[] = [];
  const totals = {
    equityUsd: 0,
    initialMarginUsd: 0,
    maintenanceMarginUsd: 0,
    gridLossUsd: 0,
    markAddOnUsd: 0,
    consensusAddOnUsd: 0,
  };
  const liquidations: string[] = [];
  const pausedLiquidations: string[] = [];
  const accountAssets = new Map<number, Set<string>>();
  if (pausing.length > 0) {
    for (let i = 0; i < nOptions; i++)
      addName(accountAssets, options.account[i]!, assetNames[options.asset[i]!]!);
    for (let i = 0; i < nLinear; i++) addName(accountAssets, linAccount[i]!, assetNames[linAsset[i]!]!);
    for (let i = 0; i < nOptions; i++)
      if (options.settlement[i]! >= 0)
        addName(accountAssets, options.account[i]!, nodeNames[options.settlement[i]!]!);
    for (let i = 0; i < nLinear; i++)
      if (linSettlement[i]! >= 0) addName(accountAssets, linAccount[i]!, nodeNames[linSettlement[i]!]!);
  }
  for (const [a, account] of portfolio.accounts.entries()) {
    const equityUsd = collateral[a]! - haircutUsd[a]! - concentration[a]! + optionValue[a]!;
    const initialMarginUsd = gridLoss[a]! + markAddOn[a]! + addOn[a]!;
    const maintenanceMarginUsd = policy.maintenanceRatio * initialMarginUsd;
    const liquidate = equityUsd < maintenanceMarginUsd;
    const pausedBy: string[] = [];
    const names = accountAssets.get(a);
    if (names) {
      for (const [k, source] of pausing.entries()) {
        const losses = sourceLosses[pausingIndex[k]!]!;
        for (const name of names) {
          if ((losses.get(name) ?? 0) > 0) {
            pausedBy.push(source);
            break;
          }
        }
      }
    }
    const result: AccountMargin = {
      id: account.id,
      equityUsd,
      collateralUsd: collateral[a]!,
      haircutUsd: haircutUsd[a]!,
      concentrationChargeUsd: concentration[a]!,
      optionValueUsd: optionValue[a]!,
      gridLossUsd: gridLoss[a]!,
      markAddOnUsd: markAddOn[a]!,
      consensusAddOnUsd: addOn[a]!,
      initialMarginUsd,
      maintenanceMarginUsd,
      excessUsd: equityUsd - initialMarginUsd,
      liquidate,
      liquidationPaused: pausedBy.length > 0,
      pausedBy,
      jumpToDefault: accountJumps[a]!,
    };
    if (addOnSource[a]! >= 0) {
      const s = addOnSource[a]!;
      result.worstFailure = {
        source: graph.sources[s]!,
        lossUsd: addOnLoss[a]!,
        weight: addOnWorst[a]! / addOnLoss[a]!,
      };
    }
    accounts.push(result);
    totals.equityUsd += equityUsd;
    totals.initialMarginUsd += initialMarginUsd;
    totals.maintenanceMarginUsd += maintenanceMarginUsd;
    totals.gridLossUsd += gridLoss[a]!;
    totals.markAddOnUsd += markAddOn[a]!;
    totals.consensusAddOnUsd += addOn[a]!;
    if (liquidate) {
      liquidations.push(account.id);
      if (pausedBy.length > 0) pausedLiquidations.push(account.id);
    }
  }

  // Delta-equivalent holdings for the exposure report.
  const holdingByAsset = new Float64Array(nAssets);
  for (let i = 0; i < nLinear; i++) holdingByAsset[linAsset[i]!]! += linNotional[i]!;
  for (let i = 0; i < nOptions; i++)
    holdingByAsset[options.asset[i]!]! += options.quantity[i]! * base.delta[i]! * options.baseSpot[i]!;
  const holdings = assetNames
    .map((asset, i) => ({ asset, valueUsd: holdingByAsset[i]! }))
    .filter((h) => h.valueUsd !== 0 && graph.nodes.has(h.asset));

  const gridWorst: WorstScenario = { kind: 'grid', ...worstGrid, lossUsd: Math.max(0, worstGrid.lossUsd) };
  const worstScenario: WorstScenario =
    worstFailure && worstFailure.weightedLossUsd > gridWorst.lossUsd ? worstFailure : gridWorst;
  return {
    accounts,
    totals,
    liquidations,
    pausedLiquidations,
    exposures: exposure(graph, holdings),
    holdings,
    worstScenario,
    failureScenarios,
    marks,
    hazards: [...hazards.values()],
    scenarioCount: scenarios.length + failureScenarios.length,
    positionCount: nOptions + nLinear,
    policy,
  };
}

function addName(map: Map<number, Set<string>>, account: number, name: string): void {
  let set = map.get(account);
  if (!set) {
    set = new Set();
    map.set(account, set);
  }
  set.add(name);
}
