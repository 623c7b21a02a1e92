import type { Command } from 'commander';
import { toJson } from '../../core/json.ts';
import { PRESETS } from '../../core/params.ts';
import { toPrintable } from '../../core/toPrintable.ts';
import { ReportError } from '../../report/reportError.ts';
import { writeReport } from '../../report/writeReport.ts';
import { ReplayError } from '../../sources/replay/replayError.ts';
import { CliError, usageError } from '../errors.ts';
import type { Output } from '../output.ts';
import { toReplayConfig } from '../toReplayConfig.ts';

type ReportOptions = { preset?: string; config?: string; out?: string; title?: string; json?: boolean };

const MAX_REPORTED_LINES = 20;
/** Logs above this size report their progress on stderr, every tenth of the file. */
const PROGRESS_MIN_BYTES = 4 << 20;

export function registerReport(program: Command, output: Output): void {
  program
    .command('report')
    .description(
      'Replay a recorded observation log and write one self-contained HTML report with charts (heads, block intervals, reorgs, lag, breaker levels) and the incidents',
    )
    .argument('<file>', 'observation log, one JSON observation per line (docs/formats.md)')
    .option('--out <file>', 'where to write the HTML report (required)')
    .option('--preset <name>', `chain preset for every chain in the log: ${Object.keys(PRESETS).join(', ')}`)
    .option(
      '--config <file>',
      'guard config file (chains, parameters, breaker rules); nodes are not contacted',
    )
    .option('--title <text>', 'page title (default: the log file name)')
    .option('--json', 'print a JSON summary of what was written instead of one line')
    .addHelpText(
      'after',
      '\nThe report opens without a network: uPlot, the data and the page are all inside the file.\n' +
        'Malformed lines are reported on stderr with their line number and skipped.\n' +
        'Example: consensus-guard report run.jsonl --preset bitcoin --out report.html',
    )
    .action(async (file: string, options: ReportOptions) => {
      if (options.out === undefined) throw usageError('give --out FILE: where to write the report');
      const config = await toReplayConfig(options);
      let malformed = 0;
      let nextTenth = 1;
      try {
        const written = await writeReport({
          file,
          out: options.out,
          config,
          ...(options.title === undefined ? {} : { title: options.title }),
          onLineError: (error) => {
            malformed += 1;
            if (malformed <= MAX_REPORTED_LINES)
              output.err(`${toPrintable(`${file}:${error.line}: ${error.message}`)} (line skipped)\n`);
          },
          onProgress: ({ observations, fraction, sizeBytes }) => {
            if (sizeBytes < PROGRESS_MIN_BYTES || fraction < nextTenth / 10) return;
            while (nextTenth / 10 <= fraction) nextTenth += 1;
            output.err(
              `report: ${Math.round(fraction * 100)}% read, ${observations.toLocaleString('en-US')} observations\n`,
            );
          },
        });
        if (malformed > MAX_REPORTED_LINES)
          output.err(`${malformed - MAX_REPORTED_LINES} more malformed lines skipped\n`);
        const { data } = written;
        const summary = {
          out: written.out,
          bytes: written.bytes,
          source: data.source,
          observations: data.observations,
          malformedLines: data.malformedLines,
          fromMs: data.fromMs,
          toMs: data.toMs,
          chains: data.chains.map((c) => ({
            chain: c.chain,
            preset: c.preset,
            nodes: c.heads.map((s) => s.name),
            reorgs: c.reorgs.reduce((n, s) => n + s.t.length, 0),
            signals: c.signals.length,
          })),
          signalsByKind: data.signalsByKind,
          transitions: data.transitions,
          breakers: data.breakers,
          charts: ['heads', 'intervals', 'reorgs', 'lag', 'breaker'],
          thinned: data.thinned,
        };
        if (options.json) output.out(`${toJson(summary, 2)}\n`);
        else
          output.out(
            toPrintable(
              `wrote ${written.out} (${(written.bytes / 1024).toFixed(0)} KiB): ${data.observations} observations, ` +
                `${data.chains.length} chains, ${data.transitions} transitions`,
            ) + `${malformed ? `, ${malformed} malformed lines skipped` : ''}\n`,
          );
      } catch (error) {
        if (error instanceof ReplayError) {
          throw new CliError(`${error.message}: check the path`, { code: error.code, cause: error });
        }
        if (error instanceof ReportError)
          throw new CliError(error.message, { code: error.code, cause: error });
        throw error;
      }
    });
}
