import type { Command } from 'commander';
import type { Transition } from '../../breaker/levels.ts';
import { PRESETS } from '../../core/params.ts';
import type { Signal } from '../../core/signal.ts';
import { toPrintable } from '../../core/toPrintable.ts';
import { toRunSummary } from '../../engine/run.ts';
import { createEngineState, step } from '../../engine/step.ts';
import type { ObservationLineError } from '../../sources/replay/parseObservation.ts';
import { readObservationLogBatches } from '../../sources/replay/readObservationLogBatches.ts';
import { ReplayError } from '../../sources/replay/replayError.ts';
import { CliError } from '../errors.ts';
import { formatSignal, formatSummary, formatTransition, type Output, toRunDocument } from '../output.ts';
import { toReplayConfig } from '../toReplayConfig.ts';

type ReplayOptions = { preset?: string; config?: string; json?: boolean };

const MAX_REPORTED_LINES = 20;

export function registerReplay(program: Command, output: Output): void {
  program
    .command('replay')
    .description('Replay a recorded observation log (JSON Lines, docs/formats.md) through the engine')
    .argument('<file>', 'observation log, one JSON observation per line')
    .option('--preset <name>', `chain preset for every chain in the log: ${Object.keys(PRESETS).join(', ')}`)
    .option(
      '--config <file>',
      'guard config file (chains, parameters, breaker rules); nodes are not contacted',
    )
    .option('--json', 'print one JSON document { signals, transitions, summary }')
    .addHelpText(
      'after',
      '\nMalformed lines are reported on stderr with their line number and skipped.\n' +
        'Example: consensus-guard replay run.jsonl --preset ethereum --json',
    )
    .action(async (file: string, options: ReplayOptions) => {
      const config = await toReplayConfig(options);
      const state = createEngineState(config);
      const signals: Signal[] = [];
      const transitions: Transition[] = [];
      let malformed = 0;
      const onError = (error: ObservationLineError) => {
        malformed += 1;
        if (malformed <= MAX_REPORTED_LINES)
          output.err(`${toPrintable(`${file}:${error.line}: ${error.message}`)} (line skipped)\n`);
      };
      let startMs: number | undefined;
      try {
        for await (const batch of readObservationLogBatches(file, { onError })) {
          // The timeline lines of a batch go out in one write.
          let lines = '';
          for (let i = 0; i < batch.length; i++) {
            const observation = batch[i]!;
            startMs ??= observation.observedAtMs;
            const out = step(state, observation);
            for (const s of out.signals) {
              signals.push(s);
              if (!options.json) lines += formatSignal(s, startMs);
            }
            for (const t of out.transitions) {
              transitions.push(t);
              if (!options.json) lines += formatTransition(t, startMs);
            }
          }
          if (lines.length > 0) output.out(lines);
        }
      } catch (error) {
        if (error instanceof ReplayError) {
          throw new CliError(`${error.message}: check the path`, { code: error.code, cause: error });
        }
        throw error;
      }
      if (malformed > MAX_REPORTED_LINES)
        output.err(`${malformed - MAX_REPORTED_LINES} more malformed lines skipped\n`);
      const summary = { ...toRunSummary(state, signals, transitions), malformedLines: malformed };
      if (options.json) output.out(toRunDocument(signals, transitions, summary));
      else
        output.out(`\n${formatSummary(summary)}${malformed ? `${malformed} malformed lines skipped\n` : ''}`);
    });
}
