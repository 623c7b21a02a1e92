import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { toRedactedUrl } from '../../config/toRedactedUrl.ts';
import { CodedError } from '../../core/codedError.ts';
import { toJson } from '../../core/json.ts';
import { parseRiskStatus } from '../../risk/contagion/parseRiskStatus.ts';
import { RiskError } from '../../risk/contagion/riskError.ts';
import type { RiskStatus } from '../../risk/contagion/toSourceHazards.ts';
import { type AssessVenueRiskReturnType, assessVenueRisk } from '../../risk/margin/assessVenueRisk.ts';
import { parsePortfolioFile } from '../../risk/margin/parsePortfolioFile.ts';
import { toAssessVenueRiskParameters } from '../../risk/margin/toAssessVenueRiskParameters.ts';
import { CliError, usageError } from '../errors.ts';
import { type Output, processOutput } from '../output.ts';

type RiskFlags = { portfolio: string; status?: string; service?: string; json?: boolean; accounts?: string };

/** Where `--status live` finds the service when `--service` is not given. */
export const DEFAULT_SERVICE_URL = 'http://127.0.0.1:8080';

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as { code?: string }).code ?? (error as Error).message;
    throw new CliError(`cannot read ${what} ${file} (${reason}): give a readable file`, {
      cause: error,
      code: 'io',
    });
  }
}

function readStructured(file: string, what: string): unknown {
  const text = readText(file, what);
  try {
    return parseYaml(text);
  } catch (error) {
    throw new CliError(`${file} is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`, {
      cause: error,
      code: 'invalid_file',
    });
  }
}

const usd = (value: number): string =>
  value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const pct = (value: number, digits = 2): string => `${(value * 100).toFixed(digits)}%`;

/** The human report of `risk`: totals, accounts, exposures per chain, the worst scenario, cover. */
export function formatRiskReport(result: AssessVenueRiskReturnType, maxAccounts: number): string {
  const { margin, cover } = result;
  const lines: string[] = [];
  lines.push('Margin');
  lines.push(
    `  accounts ${margin.accounts.length}, positions ${margin.positionCount}, scenarios ${margin.scenarioCount}`,
  );
  lines.push(`  equity              ${usd(margin.totals.equityUsd)} USD`);
  lines.push(`  initial margin      ${usd(margin.totals.initialMarginUsd)} USD`);
  lines.push(`    grid loss         ${usd(margin.totals.gridLossUsd)} USD`);
  if (margin.marks.length > 0) lines.push(`    mark add-on       ${usd(margin.totals.markAddOnUsd)} USD`);
  lines.push(`    consensus add-on  ${usd(margin.totals.consensusAddOnUsd)} USD`);
  lines.push(`  maintenance margin  ${usd(margin.totals.maintenanceMarginUsd)} USD`);
  lines.push(
    `  liquidations        ${margin.liquidations.length}${margin.pausedLiquidations.length > 0 ? ` (${margin.pausedLiquidations.length} paused by the breaker)` : ''}`,
  );
  lines.push('');
  lines.push('  account              equity          IM              MM              state');
  for (const account of margin.accounts.slice(0, maxAccounts)) {
    const state = account.liquidate
      ? account.liquidationPaused
        ? `LIQUIDATE (paused: ${account.pausedBy.join(', ')})`
        : 'LIQUIDATE'
      : 'ok';
    lines.push(
      `  ${account.id.padEnd(20).slice(0, 20)} ${usd(account.equityUsd).padStart(15)} ${usd(account.initialMarginUsd).padStart(15)} ${usd(account.maintenanceMarginUsd).padStart(15)} ${state}`,
    );
  }
  if (margin.accounts.length > maxAccounts)
    lines.push(`  ... ${margin.accounts.length - maxAccounts} more (--accounts N, or --json)`);
  lines.push('');
  lines.push('Exposure per chain (delta-equivalent)');
  lines.push(
    '  source               kind        exposed USD        loss given failure USD  hazard/yr  level',
  );
  const hazards = new Map(margin.hazards.map((h) => [h.source, h]));
  for (const e of margin.exposures) {
    const h = hazards.get(e.source);
    lines.push(
      `  ${e.source.padEnd(20)} ${e.kind.padEnd(11)} ${usd(e.exposedUsd).padStart(18)} ${usd(e.lossGivenFailureUsd).padStart(23)}  ${(h?.hazardPerYear ?? 0).toFixed(4).padStart(9)}  ${h?.level ?? 'normal'}`,
    );
  }
  lines.push('');
  const worst = margin.worstScenario;
  lines.push(
    worst.kind === 'grid'
      ? `Worst scenario: price ${worst.priceMove >= 0 ? '+' : ''}${pct(worst.priceMove, 0)}, vol ${worst.volShift >= 0 ? '+' : ''}${worst.volShift}: loss ${usd(worst.lossUsd)} USD`
      : `Worst scenario: ${worst.source} fails: loss ${usd(worst.lossUsd)} USD, held at weight ${worst.weight.toFixed(3)}: ${usd(worst.weightedLossUsd)} USD`,
  );
  for (const mark of margin.marks) {
    lines.push(
      `Unobservable ${mark.asset}: marked ${usd(mark.priceUsd)} USD by ${mark.method}${mark.method === 'last_good_band' ? ` (band ${usd(mark.lowUsd)} to ${usd(mark.highUsd)})` : ''}`,
    );
  }
  lines.push('');
  lines.push('Jump to default: book P&L if the source failed now');
  for (const j of result.jumpToDefault.bySource) {
    lines.push(`  ${j.source.padEnd(20)} ${usd(j.pnlUsd).padStart(18)} USD`);
  }
  lines.push('');
  const mc = cover.monteCarlo;
  lines.push(
    `Consensus-failure cover (${(cover.horizonYears * 365).toFixed(0)} days, insured ${usd(cover.insuredUsd)} USD)`,
  );
  lines.push(
    `  expected loss       ${usd(cover.expectedLossUsd)} USD (Monte Carlo ${usd(mc.meanLossUsd)} ± ${usd(mc.standardErrorUsd)})`,
  );
  lines.push(`  VaR / TVaR          ${usd(mc.valueAtRiskUsd)} / ${usd(mc.tailValueAtRiskUsd)} USD`);
  lines.push(`  risk load           ${usd(cover.riskLoadUsd)} USD`);
  lines.push(`  premium             ${usd(cover.premiumUsd)} USD (${pct(cover.premiumRate, 3)} of insured)`);
  lines.push(
    `  ruin probability    ${pct(mc.ruinProbability, 3)} ± ${pct(mc.ruinStandardError, 3)} with capital ${usd(cover.capitalUsd)} USD (${mc.paths} paths, seed ${mc.seed})`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * The live status: `GET {serviceUrl}/api/chains` of a running `consensus-guard watch --http`
 * (docs/http.md), each chain's breaker level and active conditions.
 */
export async function fetchLiveStatus(serviceUrl: string, timeoutMs = 5_000): Promise<RiskStatus> {
  let url: URL;
  try {
    url = new URL('/api/chains', serviceUrl);
  } catch {
    throw usageError(
      `--service must be a URL such as ${DEFAULT_SERVICE_URL}, got "${toRedactedUrl(serviceUrl)}"`,
    );
  }
  // fetch refuses such a URL with an error that prints it whole.
  if (url.username || url.password) {
    throw usageError(
      `--service takes a URL without user name or password, got "${toRedactedUrl(serviceUrl)}"`,
    );
  }
  const where = toRedactedUrl(url.href, { originOnly: true });
  let body: unknown;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok)
      throw new CodedError({ code: 'http_status', shortMessage: `HTTP status ${response.status}` });
    body = await response.json();
  } catch (error) {
    throw new CliError(
      `--status live: cannot read ${where}/api/chains (${(error as Error).message}): start the service with \`consensus-guard watch --http HOST:PORT\` and pass --service http://HOST:PORT, or pass --status FILE`,
      { cause: error, code: 'service_unreachable' },
    );
  }
  try {
    return parseRiskStatus(body);
  } catch (error) {
    if (error instanceof RiskError) {
      throw new CliError(
        `--status live: ${where}/api/chains answered an unexpected document: ${error.message}`,
        {
          cause: error,
          code: error.code,
        },
      );
    }
    throw error;
  }
}

/** Loads the status of `--status`: `live` from the service, else a file (docs/risk.md, "Status file"). */
export async function loadRiskStatus(
  flag: string | undefined,
  serviceUrl?: string,
): Promise<RiskStatus | undefined> {
  if (flag === undefined) {
    if (serviceUrl !== undefined) throw usageError('--service goes with --status live');
    return undefined;
  }
  if (flag === 'live') return fetchLiveStatus(serviceUrl ?? DEFAULT_SERVICE_URL);
  if (serviceUrl !== undefined) throw usageError('--service goes with --status live, not with a status file');
  try {
    return parseRiskStatus(readStructured(flag, 'status file'));
  } catch (error) {
    if (error instanceof RiskError)
      throw new CliError(`${flag}: ${error.message}`, { cause: error, code: error.code });
    throw error;
  }
}

export function registerRisk(program: Command, output: Output = processOutput): void {
  program
    .command('risk')
    .description(
      'margin, exposure per chain, worst scenario and consensus-failure cover price of a portfolio',
    )
    .requiredOption('--portfolio <file>', 'portfolio file, YAML or JSON (docs/risk.md)')
    .option(
      '--status <live|file>',
      'chain status: breaker level and active signals per chain, from a JSON/YAML file or `live` from a running service',
    )
    .option('--service <url>', `with --status live: the service's HTTP API (default ${DEFAULT_SERVICE_URL})`)
    .option('--accounts <n>', 'accounts listed in the text report', '20')
    .option('--json', 'print one JSON document { margin, cover }')
    .addHelpText(
      'after',
      '\nExamples:\n  consensus-guard risk --portfolio examples/portfolio.yaml --status status.json\n  consensus-guard risk --portfolio examples/portfolio.yaml --status live --service http://127.0.0.1:8080',
    )
    .action(async (flags: RiskFlags) => {
      const maxAccounts = Number(flags.accounts ?? '20');
      if (!Number.isInteger(maxAccounts) || maxAccounts < 0)
        throw usageError(`--accounts must be a whole number, got "${flags.accounts}"`);
      const status = await loadRiskStatus(flags.status, flags.service);
      let result: AssessVenueRiskReturnType;
      try {
        const file = parsePortfolioFile(readStructured(flags.portfolio, 'portfolio'));
        const parameters = toAssessVenueRiskParameters(file, status);
        result = assessVenueRisk(parameters);
      } catch (error) {
        if (error instanceof RiskError)
          throw new CliError(`${flags.portfolio}: ${error.message}`, { cause: error, code: error.code });
        throw error;
      }
      output.out(flags.json ? `${toJson(result, 2)}\n` : formatRiskReport(result, maxAccounts));
    });
}
