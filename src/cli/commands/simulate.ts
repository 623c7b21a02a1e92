import type { Command } from 'commander';
import { runObservations } from '../../engine/run.ts';
import { listScenarios, simulate } from '../../sim/simulate.ts';
import { toEngineConfig } from '../../sim/toEngineConfig.ts';
import { ReplayError } from '../../sources/replay/replayError.ts';
import { writeObservationLog } from '../../sources/replay/writeObservationLog.ts';
import { CliError, usageError } from '../errors.ts';
import { toInteger } from '../options.ts';
import { formatSummary, formatTimeline, type Output, toRunDocument } from '../output.ts';

type SimulateOptions = { scenario?: string; seed: string; json?: boolean; record?: string };

export function registerSimulate(program: Command, output: Output): void {
  program
    .command('simulate')
    .description('Run a simulated incident (see `consensus-guard scenarios`) through the engine')
    .requiredOption(
      '--scenario <name>',
      'scenario name, e.g. reorg-7, finality-loss-9, client-split, full-halt, quiet',
    )
    .option('--seed <n>', 'seed of the simulation: same seed, same output', '1')
    .option('--json', 'print one JSON document { signals, transitions, summary }')
    .option('--record <file>', 'also write the observations as a log that `replay` reads (docs/formats.md)')
    .addHelpText('after', '\nExample: consensus-guard simulate --scenario reorg-7 --seed 7 --json')
    .action(async (options: SimulateOptions) => {
      const name = options.scenario ?? '';
      const known = listScenarios().map((s) => s.name);
      if (!known.includes(name))
        throw usageError(`unknown scenario "${name}": use one of ${known.join(', ')}`);
      const seed = toInteger(options.seed, '--seed');
      const { scenario, observations } = simulate(name, { seed });
      const result = runObservations(toEngineConfig(scenario), observations);
      if (options.record !== undefined) {
        try {
          await writeObservationLog(options.record, observations);
        } catch (error) {
          if (error instanceof ReplayError)
            throw new CliError(error.message, { code: error.code, cause: error });
          throw error;
        }
      }
      if (options.json) {
        output.out(toRunDocument(result.signals, result.transitions, result.summary));
        return;
      }
      const startMs = observations[0]?.observedAtMs ?? 0;
      output.out(`scenario ${scenario.name} (seed ${seed}): ${scenario.description}\n\n`);
      output.out(formatTimeline(result.signals, result.transitions, startMs));
      output.out(`\n${formatSummary(result.summary)}`);
    });
}
