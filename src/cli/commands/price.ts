import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { LEVELS, type Level } from '../../breaker/levels.ts';
import { HazardError } from '../../risk/hazard/hazardError.ts';
import { type HazardPerYearReturnType, hazardPerYear } from '../../risk/hazard/hazardPerYear.ts';
import { bsmGreeks, bsmPrice } from '../../risk/pricing/bsm.ts';
import { crrPrice } from '../../risk/pricing/crr.ts';
import type { HazardCurve } from '../../risk/pricing/cumulativeHazard.ts';
import { PricingError } from '../../risk/pricing/errors.ts';
import { jumpToDefaultGreeks, jumpToDefaultTree } from '../../risk/pricing/jumpToDefault.ts';
import { mertonGreeks } from '../../risk/pricing/merton.ts';
import type { OptionInput } from '../../risk/pricing/types.ts';
import { CliError, usageError } from '../errors.ts';
import { type Output, processOutput } from '../output.ts';

export type PriceModel = 'bsm' | 'crr' | 'merton' | 'jtd';

/** One option to price: the columns of the CSV format (docs/pricing.md). */
export type PriceRow = {
  type: 'call' | 'put';
  exercise: 'european' | 'american';
  model: PriceModel;
  spot: number;
  strike: number;
  /** Years to expiry, Actual/365 fixed. */
  T: number;
  r: number;
  q: number;
  vol: number;
  steps?: number;
  hazard?: number;
  recovery?: number;
  jumpIntensity?: number;
  jumpMeanLog?: number;
  jumpVol?: number;
  /** From `--chain`: the hazard decays toward `hazard` from this curve's initial value. */
  hazardCurve?: HazardCurve;
  /** From `--chain` with a failure under way: `spot` is already the post-failure mark. */
  postEvent?: boolean;
};

/** A row that could not be read, kept in place so the output keeps the input order. */
export type RowError = { error: string };

/** A priced option: the price and the Greeks that its model defines. */
export type PriceResult = {
  price: number;
  delta?: number;
  gamma?: number;
  vega?: number;
  theta?: number;
  rho?: number;
  dividendRho?: number;
  hazardSensitivity?: number;
  /**
   * Jump-to-default P&L of one long option: its value if the failure happened now (the underlying
   * at `recoveryFraction` times the spot, no further failure) minus its price.
   */
  jumpToDefault: JumpToDefaultPnl;
};

/** The value change of an option if the failure happened now (docs/pricing.md, "Jump to default P&L"). */
export type JumpToDefaultPnl = { recoveryFraction: number; valueAfter: number; pnl: number };

/** Steps of the binomial trees when a row gives none. */
export const DEFAULT_STEPS = 1000;

const REQUIRED = ['type', 'exercise', 'model', 'spot', 'strike', 'T', 'r', 'q', 'vol'] as const;
const OPTIONAL = ['steps', 'hazard', 'recovery', 'jumpIntensity', 'jumpMeanLog', 'jumpVol'] as const;
const COLUMNS: readonly string[] = [...REQUIRED, ...OPTIONAL];
const MODELS: readonly string[] = ['bsm', 'crr', 'merton', 'jtd'];

function need(row: PriceRow, key: 'hazard' | 'jumpIntensity' | 'jumpMeanLog' | 'jumpVol'): number {
  const value = row[key];
  if (value === undefined) throw new PricingError('invalid_input', `model ${row.model} needs ${key}`);
  return value;
}

/**
 * Prices one row with its model. `bsm` and `merton` price European options only; `crr` and an
 * American `jtd` use a tree of `steps` steps (default 1000).
 *
 * @throws PricingError for inputs that the model refuses.
 */
export function priceRow(row: PriceRow): PriceResult {
  const greeks = priceModel(row);
  return { ...greeks, jumpToDefault: jumpToDefaultPnl(row, greeks.price) };
}

/**
 * The option's value right after a failure: the underlying at R S (R = the row's recovery, 0 when
 * absent) and no further failure: Black-Scholes-Merton for a European option, the CRR tree for an
 * American one; at R = 0 a call is worthless and a put worth K e^{-rT} (European) or K (American).
 * A row already in the post-event state has nothing left to lose: its P&L is 0.
 */
export function jumpToDefaultPnl(row: PriceRow, price: number): JumpToDefaultPnl {
  const recoveryFraction = row.postEvent ? 1 : (row.recovery ?? 0);
  const option: OptionInput = {
    type: row.type,
    spot: row.spot * recoveryFraction,
    strike: row.strike,
    timeYears: row.T,
    rate: row.r,
    yieldRate: row.q,
    volAnnual: row.vol,
  };
  let valueAfter: number;
  if (recoveryFraction === 0) {
    valueAfter =
      row.type === 'call'
        ? 0
        : row.exercise === 'american'
          ? row.strike
          : row.strike * Math.exp(-row.r * row.T);
  } else if (row.exercise === 'american') {
    valueAfter = crrPrice({ ...option, exercise: 'american', steps: row.steps ?? DEFAULT_STEPS }).price;
  } else {
    valueAfter = bsmPrice(option);
  }
  return { recoveryFraction, valueAfter, pnl: valueAfter - price };
}

function priceModel(row: PriceRow): Omit<PriceResult, 'jumpToDefault'> {
  const option: OptionInput = {
    type: row.type,
    spot: row.spot,
    strike: row.strike,
    timeYears: row.T,
    rate: row.r,
    yieldRate: row.q,
    volAnnual: row.vol,
  };
  const steps = row.steps ?? DEFAULT_STEPS;
  const american = row.exercise === 'american';
  if (american && (row.model === 'bsm' || row.model === 'merton')) {
    throw new PricingError(
      'invalid_input',
      `model ${row.model} prices European options only: use crr or jtd`,
    );
  }
  switch (row.model) {
    case 'bsm':
      return bsmGreeks(option);
    case 'crr':
      return crrPrice({ ...option, exercise: row.exercise, steps });
    case 'merton':
      return mertonGreeks({
        ...option,
        jumpIntensity: need(row, 'jumpIntensity'),
        jumpMeanLog: need(row, 'jumpMeanLog'),
        jumpVol: need(row, 'jumpVol'),
      });
    case 'jtd': {
      const jtd = {
        ...option,
        hazardPerYear: need(row, 'hazard'),
        recoveryFraction: row.recovery ?? 0,
        ...(row.hazardCurve ? { hazardCurve: row.hazardCurve } : {}),
      };
      return american ? jumpToDefaultTree({ ...jtd, exercise: 'american', steps }) : jumpToDefaultGreeks(jtd);
    }
  }
}

const LIBRARY_TO_COLUMN: Record<string, string> = {
  timeYears: 'T',
  rate: 'r',
  yieldRate: 'q',
  volAnnual: 'vol',
  hazardPerYear: 'hazard',
  recoveryFraction: 'recovery',
};

/** Speaks of the CSV columns (or, with `asFlags`, the flags) instead of the library's names. */
function inUserTerms(message: string, asFlags: boolean): string {
  return message.replace(
    /\b(timeYears|rate|yieldRate|volAnnual|hazardPerYear|recoveryFraction|jumpIntensity|jumpMeanLog|jumpVol|spot|strike|steps)\b/g,
    (name: string) => {
      const column = LIBRARY_TO_COLUMN[name] ?? name;
      return asFlags ? `--${flagName(column)}` : column;
    },
  );
}

/** Prices every row in order; a row that fails (or could not be read) becomes `{ error }`. */
export function priceRows(rows: ReadonlyArray<PriceRow | RowError>): Array<PriceResult | RowError> {
  return rows.map((row) => {
    if ('error' in row) return row;
    try {
      return priceRow(row);
    } catch (error) {
      if (error instanceof PricingError) return { error: inUserTerms(error.message, false) };
      throw error;
    }
  });
}

function toNumber(column: string, text: string): number {
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) throw new Error(`${column} must be a number, got "${text}"`);
  return value;
}

/**
 * Builds a row from named text cells (CSV cells or command-line flags); empty cells are absent.
 *
 * @throws Error naming the first bad cell.
 */
export function toPriceRow(cells: Record<string, string | undefined>): PriceRow {
  const text = (key: string): string | undefined => {
    const value = cells[key]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const required = (key: string): string => {
    const value = text(key);
    if (value === undefined) throw new Error(`${key} is missing`);
    return value;
  };
  const type = required('type').toLowerCase();
  if (type !== 'call' && type !== 'put') throw new Error(`type must be call or put, got "${type}"`);
  const exercise = required('exercise').toLowerCase();
  if (exercise !== 'european' && exercise !== 'american') {
    throw new Error(`exercise must be european or american, got "${exercise}"`);
  }
  const model = required('model').toLowerCase();
  if (!MODELS.includes(model)) throw new Error(`model must be one of ${MODELS.join(', ')}, got "${model}"`);
  const row: PriceRow = {
    type,
    exercise,
    model: model as PriceModel,
    spot: toNumber('spot', required('spot')),
    strike: toNumber('strike', required('strike')),
    T: toNumber('T', required('T')),
    r: toNumber('r', required('r')),
    q: toNumber('q', required('q')),
    vol: toNumber('vol', required('vol')),
  };
  for (const key of OPTIONAL) {
    const value = text(key);
    if (value !== undefined) row[key] = toNumber(key, value);
  }
  return row;
}

function splitCsvLine(line: string): string[] {
  return line.split(',').map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'));
}

/**
 * Reads a chain of options from CSV text: a header row naming the columns (any order; `type`,
 * `exercise`, `model`, `spot`, `strike`, `T`, `r`, `q`, `vol` required; `steps`, `hazard`,
 * `recovery`, `jumpIntensity`, `jumpMeanLog`, `jumpVol` where the model needs them), then one
 * option per line. Blank lines are skipped. A row that cannot be read becomes `{ error }`.
 *
 * @throws CliError (exit 1) when the header lacks a required column or names an unknown one.
 */
export function parsePriceCsv(text: string): Array<PriceRow | RowError> {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const headerLine = lines.shift();
  if (headerLine === undefined) throw new CliError('the CSV file is empty: it needs a header row');
  const header = splitCsvLine(headerLine);
  const unknown = header.filter((name) => !COLUMNS.includes(name));
  if (unknown.length > 0) {
    throw new CliError(`unknown CSV column ${unknown.join(', ')}: the columns are ${COLUMNS.join(', ')}`);
  }
  const missing = REQUIRED.filter((name) => !header.includes(name));
  if (missing.length > 0) throw new CliError(`the CSV header lacks the column ${missing.join(', ')}`);
  return lines.map((line, index) => {
    const cells = splitCsvLine(line);
    if (cells.length !== header.length) {
      return { error: `line ${index + 2}: ${cells.length} cells, the header has ${header.length}` };
    }
    const named: Record<string, string> = {};
    header.forEach((name, i) => {
      named[name] = cells[i] ?? '';
    });
    try {
      return toPriceRow(named);
    } catch (error) {
      return { error: `line ${index + 2}: ${(error as Error).message}` };
    }
  });
}

const GREEK_COLUMNS = [
  'price',
  'delta',
  'gamma',
  'vega',
  'theta',
  'rho',
  'dividendRho',
  'hazardSensitivity',
] as const;

/** The human table's last column: the jump-to-default P&L of one long option. */
const JUMP_COLUMN = 'jumpPnl';

function formatNumber(value: number | undefined): string {
  if (value === undefined) return '-';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  return magnitude >= 1e-4 && magnitude < 1e9
    ? value.toPrecision(8).replace(/\.?0+$/, '')
    : value.toExponential(6);
}

/** The human table: one line per option, '-' where the model defines no such Greek. */
export function formatPriceTable(
  rows: ReadonlyArray<PriceRow | RowError>,
  results: ReadonlyArray<PriceResult | RowError>,
): string {
  const header = ['#', 'option', ...GREEK_COLUMNS, JUMP_COLUMN];
  const body: string[][] = [];
  const errors: string[] = [];
  results.forEach((result, i) => {
    const row = rows[i];
    const option =
      row && !('error' in row)
        ? `${row.model} ${row.exercise} ${row.type} K=${formatNumber(row.strike)}`
        : '?';
    if ('error' in result) {
      errors.push(`#${i + 1}: error: ${result.error}`);
      body.push([String(i + 1), option, 'error', ...GREEK_COLUMNS.slice(1).map(() => ''), '']);
      return;
    }
    body.push([
      String(i + 1),
      option,
      ...GREEK_COLUMNS.map((key) => formatNumber(result[key])),
      formatNumber(result.jumpToDefault.pnl),
    ]);
  });
  const widths = header.map((name, c) =>
    Math.max(name.length, ...body.map((line) => (line[c] ?? '').length)),
  );
  const render = (cells: string[]) =>
    cells
      .map((cell, c) => (c < 2 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  const lines = [render(header), ...body.map(render), ...errors];
  lines.push(
    `${JUMP_COLUMN}: value change of one long option if the chain failed now (recovery ${[...new Set(results.flatMap((r) => ('error' in r ? [] : [r.jumpToDefault.recoveryFraction])))].map((r) => formatNumber(r)).join(', ')})`,
  );
  return `${lines.join('\n')}\n`;
}

type PriceFlags = {
  type?: string;
  exercise: string;
  model: string;
  spot?: string;
  strike?: string;
  T?: string;
  days?: string;
  r: string;
  q: string;
  vol?: string;
  steps?: string;
  hazard?: string;
  recovery?: string;
  jumpIntensity?: string;
  jumpMeanLog?: string;
  jumpVol?: string;
  csv?: string;
  chain?: string;
  level?: string;
  json?: boolean;
};

/**
 * The hazard of `--chain` at breaker `--level` (src/risk/hazard, docs/hazard.md): the chain's base
 * rate from the incident table times the live multiplier of that level, decaying back toward the base
 * with the level's half-life, and the recovery of the chain's calibrated class mix.
 */
function hazardFromChain(chain: string, level: string): HazardPerYearReturnType {
  if (!(LEVELS as readonly string[]).includes(level)) {
    throw usageError(`--level must be one of ${LEVELS.join(', ')}, got "${level}"`);
  }
  try {
    return hazardPerYear({ chain, live: { level: level as Level } });
  } catch (error) {
    if (error instanceof HazardError) throw usageError(`--chain: ${error.message}`);
    throw error;
  }
}

/**
 * Gives a row the chain's risk: a `jtd` row without a hazard takes the chain's hazard curve; every row
 * without a recovery takes the class mix's; with the failure under way (`halt` and above) the spot is
 * marked down to the recovery and priced with no further failure (the post-event state).
 */
function withChainHazard<R extends PriceRow | RowError>(
  row: R,
  chain: HazardPerYearReturnType | undefined,
): R {
  if (chain === undefined || 'error' in row) return row;
  const recovery = row.recovery ?? chain.recoveryFraction;
  if (chain.state === 'post_event') {
    return {
      ...row,
      spot: row.spot * recovery,
      recovery,
      postEvent: true,
      ...(row.model === 'jtd' ? { hazard: 0 } : {}),
    };
  }
  if (row.model !== 'jtd' || row.hazard !== undefined) return { ...row, recovery };
  return {
    ...row,
    hazard: chain.curve.longRunPerYear,
    hazardCurve: { initialPerYear: chain.curve.initialPerYear, halfLifeYears: chain.curve.halfLifeYears },
    recovery,
  };
}

const SINGLE_OPTION_FLAGS = ['type', 'spot', 'strike', 'T', 'days', 'vol'] as const;

function rowFromFlags(flags: PriceFlags): PriceRow {
  if (flags.T !== undefined && flags.days !== undefined) throw usageError('give --T or --days, not both');
  let T = flags.T;
  if (flags.days !== undefined) {
    const days = Number(flags.days);
    if (flags.days.trim() === '' || !Number.isFinite(days)) {
      throw usageError(`--days must be a number, got "${flags.days}"`);
    }
    T = String(days / 365);
  }
  for (const [name, value] of [
    ['--type', flags.type],
    ['--spot', flags.spot],
    ['--strike', flags.strike],
    ['--T or --days', T],
    ['--vol', flags.vol],
  ] as const) {
    if (value === undefined) throw usageError(`${name} is required (or give --csv FILE)`);
  }
  try {
    return toPriceRow({
      type: flags.type,
      exercise: flags.exercise,
      model: flags.model,
      spot: flags.spot,
      strike: flags.strike,
      T,
      r: flags.r,
      q: flags.q,
      vol: flags.vol,
      steps: flags.steps,
      hazard: flags.hazard,
      recovery: flags.recovery,
      jumpIntensity: flags.jumpIntensity,
      jumpMeanLog: flags.jumpMeanLog,
      jumpVol: flags.jumpVol,
    });
  } catch (error) {
    throw usageError(
      (error as Error).message.replace(/^(\w+) /, (_, name: string) => `--${flagName(name)} `),
    );
  }
}

function flagName(key: string): string {
  return key === 'T' ? 'T' : key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function readCsv(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CliError(`cannot read ${file} (${reason}): give a readable CSV file`, {
      cause: error,
      code: 'io',
    });
  }
}

/**
 * `consensus-guard price`: prices one option from flags, or a chain with `--csv FILE`, and prints
 * a table or, with `--json`, an array in input order (docs/pricing.md).
 */
export function registerPrice(program: Command, output: Output = processOutput): void {
  program
    .command('price')
    .description('Price options with consensus-failure jump risk (BSM, CRR tree, Merton, jump to default)')
    .option('--type <type>', 'call or put')
    .option('--exercise <style>', 'european or american', 'european')
    .option('--model <model>', 'bsm, crr, merton or jtd', 'bsm')
    .option('--spot <price>', 'price of the underlying')
    .option('--strike <price>', 'strike price')
    .option('--T <years>', 'time to expiry in years (Actual/365 fixed)')
    .option('--days <days>', 'time to expiry in calendar days (T = days / 365)')
    .option('--r <rate>', 'risk-free rate, continuously compounded, per year', '0')
    .option('--q <yield>', 'yield of the underlying (staking, funding), continuous, per year', '0')
    .option('--vol <vol>', 'volatility per year, 0.6 = 60%')
    .option('--steps <n>', `tree steps for crr and American jtd (default ${DEFAULT_STEPS})`)
    .option('--hazard <perYear>', 'consensus-failure hazard rate per year (jtd)')
    .option(
      '--recovery <fraction>',
      "fraction of the price left after a failure (jtd and the jump P&L; default 0, or the chain's class mix with --chain)",
    )
    .option('--jump-intensity <perYear>', 'expected jumps per year (merton)')
    .option('--jump-mean-log <mean>', 'mean of the log jump ratio (merton)')
    .option('--jump-vol <vol>', 'standard deviation of the log jump ratio (merton)')
    .option('--chain <name>', 'jtd without --hazard: take the hazard of this chain (incident history)')
    .option('--level <level>', `with --chain: the chain's breaker level now (${LEVELS.join(', ')})`, 'normal')
    .option('--csv <file>', 'price every option of a CSV file (header row; see docs/pricing.md)')
    .option('--json', 'print a JSON array in input order')
    .action((flags: PriceFlags) => {
      if (flags.chain !== undefined && flags.hazard !== undefined) {
        throw usageError('give --hazard or --chain, not both');
      }
      const chainHazard =
        flags.chain === undefined ? undefined : hazardFromChain(flags.chain, flags.level ?? 'normal');
      let rows: Array<PriceRow | RowError>;
      let results: Array<PriceResult | RowError>;
      if (flags.csv !== undefined) {
        const given = SINGLE_OPTION_FLAGS.filter((name) => flags[name] !== undefined);
        if (given.length > 0) {
          throw usageError(`--csv prices a file: drop --${given.join(', --')}`);
        }
        rows = parsePriceCsv(readCsv(flags.csv)).map((row) => withChainHazard(row, chainHazard));
        results = priceRows(rows);
      } else {
        const row = withChainHazard(rowFromFlags(flags), chainHazard);
        rows = [row];
        try {
          results = [priceRow(row)];
        } catch (error) {
          if (error instanceof PricingError) throw usageError(inUserTerms(error.message, true));
          throw error;
        }
      }
      output.out(flags.json ? `${JSON.stringify(results, null, 2)}\n` : formatPriceTable(rows, results));
    });
}
