import { Command, CommanderError } from 'commander';
import { toPrintable } from '../core/toPrintable.ts';
import { registerReplay } from './commands/replay.ts';
import { registerScenarios } from './commands/scenarios.ts';
import { registerSimulate } from './commands/simulate.ts';
import { CliError } from './errors.ts';
import { type Output, processOutput } from './output.ts';
import { registerExtraCommands } from './registry.ts';

/** Builds the `consensus-guard` program. Commands write through `output`. */
export function createProgram(output: Output = processOutput): Command {
  const program = new Command('consensus-guard')
    .description(
      'Protects crypto derivatives from consensus failure: watches a chain through several nodes, ' +
        'detects reorgs, halts, finality stalls and divergence, trips graded circuit breakers, prices the risk.',
    )
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: output.out, writeErr: output.err })
    .exitOverride();
  registerSimulate(program, output);
  registerReplay(program, output);
  registerScenarios(program, output);
  registerExtraCommands(program, output);
  for (const command of program.commands) {
    command.exitOverride();
    command.configureOutput({ writeOut: output.out, writeErr: output.err });
  }
  return program;
}

/** Runs the CLI and returns the exit code: 0 ok, 1 failure, 2 usage error. */
export async function runCli(argv: string[], output: Output = processOutput): Promise<number> {
  const program = createProgram(output);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      return 2;
    }
    if (error instanceof CliError) {
      output.err(`consensus-guard: ${toPrintable(error.message)}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    output.err(`consensus-guard: unexpected error: ${toPrintable(message)}\n`);
    return 1;
  }
}
