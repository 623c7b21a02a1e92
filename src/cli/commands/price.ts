import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { LEVELS, type Level } from '../../breaker/levels.ts';
import { HazardError } from '../../risk/hazard/hazardError.ts';
import { type HazardPerYearReturnType, hazardPerYear } from '../../risk/hazard/hazardPerYear.ts';
import { parsePriceCsv } from '../../risk/optionRows/parsePriceCsv.ts';
import { priceRow } from '../../risk/optionRows/priceRow.ts';
import { priceRows } from '../../risk/optionRows/priceRows.ts';
import {
  DEFAULT_TREE_STEPS,
  type PriceResult,
  type PriceRow,
  type RowError,
} from '../../risk/optionRows/priceRowTypes.ts';
import { toChainHazardRow } from '../../risk/optionRows/toChainHazardRow.ts';
import { toColumnTerms } from '../../risk/optionRows/toColumnTerms.ts';
import { toPriceRow } from '../../risk/optionRows/toPriceRow.ts';
import { PricingError } from '../../risk/pricing/errors.ts';
import { CliError, usageError } from '../errors.ts';
import { type Output, processOutput } from '../output.ts';

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
    if (!(error instanceof PricingError)) throw error;
    throw usageError(error.message.replace(/^(\w+) /, (_, name: string) => `--${flagName(name)} `));
  }
}

function flagName(key: string): string {
  return key === 'T' ? 'T' : key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The rows of a CSV file; a file that cannot be read, is not CSV or has a wrong header exits 1. */
function readCsvRows(file: string): Array<PriceRow | RowError> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CliError(`cannot read ${file} (${reason}): give a readable CSV file`, {
      cause: error,
      code: 'io',
    });
  }
  try {
    return parsePriceCsv(text);
  } catch (error) {
    if (!(error instanceof PricingError)) throw error;
    throw new CliError(`${file}: ${error.message}`, { cause: error, code: error.code });
  }
}

/** The CLI speaks of flags: `volAnnual` in a pricing error is `--vol`. */
function toFlagTerms(message: string): string {
  return toColumnTerms(message, (column) => `--${flagName(column)}`);
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
    .option('--steps <n>', `tree steps for crr and American jtd (default ${DEFAULT_TREE_STEPS})`)
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
        rows = readCsvRows(flags.csv).map((row) => (chainHazard ? toChainHazardRow(row, chainHazard) : row));
        results = priceRows(rows);
      } else {
        const flagRow = rowFromFlags(flags);
        const row = chainHazard ? toChainHazardRow(flagRow, chainHazard) : flagRow;
        rows = [row];
        try {
          results = [priceRow(row)];
        } catch (error) {
          if (error instanceof PricingError) throw usageError(toFlagTerms(error.message));
          throw error;
        }
      }
      output.out(flags.json ? `${JSON.stringify(results, null, 2)}\n` : formatPriceTable(rows, results));
    });
}
