import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BsmBatchInput, bsmGreeksBatch, bsmPriceBatch } from '../src/risk/pricing/batch.ts';
import { bsmGreeks, bsmPrice } from '../src/risk/pricing/bsm.ts';
import { crrPrice } from '../src/risk/pricing/crr.ts';
import { impliedVol } from '../src/risk/pricing/impliedVol.ts';
import { jumpToDefaultGreeks, jumpToDefaultTree } from '../src/risk/pricing/jumpToDefault.ts';
import { mertonGreeks, mertonPrice } from '../src/risk/pricing/merton.ts';

/**
 * Pricing benchmark: cost per option of each model, in microseconds, best of several rounds, and
 * QuantLib's C++ engines on the same options when scripts/quantlib/build/qlhelper exists or can
 * be built (see scripts/quantlib/README.md). The market: S around 100, K = 100, T = 182/365,
 * r = 5%, q = 0, vol = 20%; Merton jumps lambda = 1, mean log -0.1, jump vol 0.15.
 */
export type PricingBenchOptions = {
  log?: (line: string) => void;
  /** Run QuantLib's side when available (default true). */
  quantlib?: boolean;
  /** Rounds per figure; the best round counts (default 5). */
  rounds?: number;
};

export type PricingBenchFigure = {
  name: string;
  microsPerOption: number;
  quantlibMicros?: number;
  target?: string;
};

const T = 182 / 365;
const MARKET = { spot: 100, strike: 100, timeYears: T, rate: 0.05, yieldRate: 0, volAnnual: 0.2 };
const JUMPS = { jumpIntensity: 1, jumpMeanLog: -0.1, jumpVol: 0.15 };

let sink = 0;

/** 32 prebuilt inputs, spot 90 to 121, so that a figure measures pricing, not object building. */
function inputs<X>(make: (spot: number) => X): X[] {
  return Array.from({ length: 32 }, (_, k) => make(90 + k));
}

/** Best microseconds per call of `body(i)` over `rounds` rounds of `calls` calls, after a warm-up. */
function measure(calls: number, rounds: number, body: (i: number) => number): number {
  for (let i = 0; i < Math.min(calls, 2000); i++) sink += body(i);
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) sink += body(i);
    best = Math.min(best, ((performance.now() - t0) * 1000) / calls);
  }
  return best;
}

/** A chain as a venue lists it: 16 expiries, 4096 strikes each, calls and puts. */
function chain(): BsmBatchInput {
  const n = 1 << 16;
  const input: BsmBatchInput = {
    isCall: new Uint8Array(n),
    spot: new Float64Array(n).fill(100),
    strike: new Float64Array(n),
    timeYears: new Float64Array(n),
    rate: new Float64Array(n).fill(0.05),
    yieldRate: new Float64Array(n).fill(0),
    volAnnual: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    input.isCall[i] = i & 1;
    input.strike[i] = 50 + (i % 4096) / 40;
    input.timeYears[i] = (7 + 14 * Math.floor(i / 4096)) / 365;
    input.volAnnual[i] = 0.2 + 0.05 * (i % 9);
  }
  return input;
}

function quantlibHelper(log: (line: string) => void): string | undefined {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const binary = `${root}scripts/quantlib/build/qlhelper`;
  if (existsSync(binary)) return binary;
  if (!existsSync('/usr/include/ql/quantlib.hpp')) return undefined;
  log('building scripts/quantlib/build/qlhelper against libquantlib0-dev (about 20 s, once)');
  try {
    execFileSync('mkdir', ['-p', `${root}scripts/quantlib/build`]);
    execFileSync('g++', [
      '-O2',
      '-std=c++17',
      '-o',
      binary,
      `${root}scripts/quantlib/qlhelper.cpp`,
      '-lQuantLib',
    ]);
    return binary;
  } catch (error) {
    log(`QuantLib helper did not build: ${(error as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

function quantlibFigures(log: (line: string) => void): Record<string, number> | undefined {
  const binary = quantlibHelper(log);
  if (!binary) return undefined;
  try {
    return JSON.parse(execFileSync(binary, ['bench'], { encoding: 'utf8' })) as Record<string, number>;
  } catch (error) {
    log(`QuantLib helper failed: ${(error as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

function pythonQuantlib(): string | undefined {
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      return execFileSync(python, ['-c', 'import QuantLib; print(QuantLib.__version__)'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {}
  }
  return undefined;
}

function formatMicros(us: number | undefined): string {
  if (us === undefined) return '-';
  if (us >= 1000) return `${(us / 1000).toFixed(2)} ms`;
  if (us >= 1) return `${us.toFixed(2)} us`;
  return `${us.toFixed(4)} us`;
}

export function runPricingBench(options: PricingBenchOptions = {}): PricingBenchFigure[] {
  const log = options.log ?? console.log;
  const rounds = options.rounds ?? 5;
  const input = chain();
  const n = input.isCall.length;
  const prices = new Float64Array(n);
  const greeks = bsmGreeksBatch(input);
  const batchPasses = 8;

  const figures: PricingBenchFigure[] = [];
  const ql = options.quantlib === false ? undefined : quantlibFigures(log);

  const batchPrice = measure(batchPasses, rounds, () => bsmPriceBatch(input, prices)[0] as number) / n;
  figures.push({
    name: 'BSM price, batch of 65536',
    microsPerOption: batchPrice,
    target: '< 0.05 us, <= QuantLib',
  });
  if (ql?.bsmPrice !== undefined) figures.at(-1)!.quantlibMicros = ql.bsmPrice;

  const batchGreeks =
    measure(batchPasses, rounds, () => bsmGreeksBatch(input, greeks).price[0] as number) / n;
  figures.push({ name: 'BSM price + 6 Greeks, batch', microsPerOption: batchGreeks });
  if (ql?.bsmGreeks !== undefined) figures.at(-1)!.quantlibMicros = ql.bsmGreeks;

  const calls = inputs((spot) => ({ ...MARKET, type: 'call' as const, spot }));
  const scalarPrice = measure(200_000, rounds, (i) => bsmPrice(calls[i & 31]!));
  figures.push({ name: 'BSM price, one call', microsPerOption: scalarPrice });

  const scalarGreeks = measure(200_000, rounds, (i) => bsmGreeks(calls[i & 31]!).vega);
  figures.push({ name: 'BSM price + 6 Greeks, one call', microsPerOption: scalarGreeks });
  if (ql?.bsmEngineGreeks !== undefined) figures.at(-1)!.quantlibMicros = ql.bsmEngineGreeks;

  const americanPuts = inputs((spot) => ({
    ...MARKET,
    type: 'put' as const,
    spot,
    exercise: 'american' as const,
    steps: 1000,
  }));
  const crr = measure(100, rounds, (i) => crrPrice(americanPuts[i & 31]!).price);
  figures.push({
    name: 'CRR American put, 1000 steps',
    microsPerOption: crr,
    target: 'faster than QuantLib',
  });
  if (ql?.crrAmerican1000 !== undefined) figures.at(-1)!.quantlibMicros = ql.crrAmerican1000;

  const mertonCalls = inputs((spot) => ({ ...MARKET, ...JUMPS, type: 'call' as const, spot }));
  const merton = measure(20_000, rounds, (i) => mertonPrice(mertonCalls[i & 31]!));
  figures.push({ name: 'Merton price, converged series', microsPerOption: merton, target: '< 16 us' });
  if (ql?.mertonTight !== undefined) figures.at(-1)!.quantlibMicros = ql.mertonTight;
  if (ql?.mertonDefaultAccuracy !== undefined) {
    figures.push({
      name: 'QuantLib Merton at its default accuracy (1e-4)',
      microsPerOption: Number.NaN,
      quantlibMicros: ql.mertonDefaultAccuracy,
    });
  }

  const mertonAll = measure(20_000, rounds, (i) => mertonGreeks(mertonCalls[i & 31]!).theta);
  figures.push({ name: 'Merton price + 6 Greeks', microsPerOption: mertonAll });

  const ivInputs = Array.from({ length: 64 }, (_, k) => {
    const option = { ...MARKET, type: 'call' as const, strike: 80 + k };
    return { ...option, price: bsmPrice(option) };
  });
  const iv = measure(50_000, rounds, (i) => impliedVol(ivInputs[i & 63]!));
  figures.push({ name: 'implied vol (call, strikes 80-143)', microsPerOption: iv, target: '<= QuantLib' });
  if (ql?.impliedVol !== undefined) figures.at(-1)!.quantlibMicros = ql.impliedVol;

  const jtdPuts = inputs((spot) => ({ ...MARKET, type: 'put' as const, spot, hazardPerYear: 0.2 }));
  const jtd = measure(100_000, rounds, (i) => jumpToDefaultGreeks(jtdPuts[i & 31]!).price);
  figures.push({ name: 'jump to default, European, all Greeks', microsPerOption: jtd });

  const jtdRecoveryPuts = inputs((spot) => ({
    ...MARKET,
    type: 'put' as const,
    spot,
    hazardPerYear: 0.2,
    recoveryFraction: 0.3,
  }));
  const jtdRecovery = measure(20_000, rounds, (i) => jumpToDefaultGreeks(jtdRecoveryPuts[i & 31]!).price);
  figures.push({ name: 'jump to default, recovery 0.3, all Greeks', microsPerOption: jtdRecovery });

  const jtdTrees = inputs((spot) => ({
    ...MARKET,
    type: 'put' as const,
    spot,
    hazardPerYear: 0.2,
    recoveryFraction: 0.3,
    exercise: 'american' as const,
    steps: 1000,
  }));
  const jtdTree = measure(30, Math.min(rounds, 3), (i) => jumpToDefaultTree(jtdTrees[i & 31]!).price);
  figures.push({
    name: 'jump to default, American, 1000 steps (one rollback)',
    microsPerOption: jtdTree,
  });

  const width = Math.max(...figures.map((f) => f.name.length));
  log(
    `${'per option'.padEnd(width)}  ${'consensus-guard'.padStart(15)}  ${'QuantLib C++'.padStart(12)}  ${'ratio'.padStart(6)}  target`,
  );
  for (const f of figures) {
    const ours = Number.isNaN(f.microsPerOption) ? '' : formatMicros(f.microsPerOption);
    // Ours over QuantLib's in the same run: at or below 1 is as fast or faster.
    const ratio =
      f.quantlibMicros !== undefined && !Number.isNaN(f.microsPerOption)
        ? (f.microsPerOption / f.quantlibMicros).toFixed(2)
        : '';
    log(
      `${f.name.padEnd(width)}  ${ours.padStart(15)}  ${formatMicros(f.quantlibMicros).padStart(12)}  ${ratio.padStart(6)}  ${f.target ?? ''}`,
    );
  }
  if (ql) {
    log('QuantLib 1.29 C++ (scripts/quantlib/qlhelper.cpp, g++ -O2): blackFormula, BlackCalculator,');
    log('AnalyticEuropeanEngine, BinomialVanillaEngine<CoxRossRubinstein>, JumpDiffusionEngine(1e-17),');
    log('blackFormulaImpliedStdDev.');
  } else {
    log('QuantLib: not available (see scripts/quantlib/README.md); our figures only.');
  }
  const python = options.quantlib === false ? undefined : pythonQuantlib();
  if (python) log(`QuantLib Python bindings ${python} present.`);
  if (sink === 42) log('');
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runPricingBench();
}
