import { Command, CommanderError } from 'commander';
import { toCliFailure } from './errors.ts';
import { type Output, processOutput } from './output.ts';
import { readPackageVersion } from './readPackageVersion.ts';
import { COMMANDS, type CommandEntry } from './registry.ts';

/** Width of the help text, whatever the terminal: `bin/help.txt` holds the top-level help at it. */
export const HELP_WIDTH = 80;

/**
 * Builds the `consensus-guard` program. Commands write through `output`. With `argv`, only the
 * command that `argv` names is loaded (every command when it names none: top-level help, an
 * unknown command), so a command pays only for the modules it imports.
 */
export async function createProgram(
  output: Output = processOutput,
  argv: readonly string[] = [],
): Promise<Command> {
  const program = new Command('consensus-guard')
    .description(
      'Protects crypto derivatives from consensus failure: watches a chain through several nodes, ' +
        'detects reorgs, halts, finality stalls and divergence, trips graded circuit breakers, prices the risk.',
    )
    .version(readPackageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: output.out, writeErr: output.err })
    .configureHelp({ helpWidth: HELP_WIDTH })
    .exitOverride();
  const registers = await Promise.all(toCommandEntries(argv).map((entry) => entry.load()));
  for (const register of registers) register(program, output);
  for (const command of program.commands) {
    command.exitOverride();
    command.configureOutput({ writeOut: output.out, writeErr: output.err });
  }
  return program;
}

/** Runs the CLI and returns the exit code: 0 ok, 1 failure, 2 usage error. */
export async function runCli(argv: string[], output: Output = processOutput): Promise<number> {
  try {
    const program = await createProgram(output, argv);
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      return 2;
    }
    const failure = toCliFailure(error);
    output.err(failure.line);
    return failure.exitCode;
  }
}

/** The entries to load for `argv`: the command it names alone, or every command. */
function toCommandEntries(argv: readonly string[]): readonly CommandEntry[] {
  const named = COMMANDS.find((entry) => entry.name === argv[0]);
  return named ? [named] : COMMANDS;
}
