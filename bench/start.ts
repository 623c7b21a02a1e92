import { median, timeProcess } from './timeProcess.ts';

/**
 * Start of the CLI: wall time of `consensus-guard --version`, `--help` and, for comparison, of a
 * command's help (`replay --help`, which loads TypeScript and the command), against a bare
 * `node -e 0`, as ratios. The runs are interleaved round by round and each figure is the median
 * of its rounds, so that a machine busy with other work slows all of them alike.
 */
export function runStartBench(options: { rounds?: number; log?: (line: string) => void } = {}): {
  versionRatio: number;
  helpRatio: number;
} {
  const log = options.log ?? console.log;
  const rounds = options.rounds ?? 15;
  const runs: Record<string, string[]> = {
    'node -e 0': ['-e', '0'],
    'consensus-guard --version': ['bin/consensus-guard.js', '--version'],
    'consensus-guard --help': ['bin/consensus-guard.js', '--help'],
    'consensus-guard replay --help': ['bin/consensus-guard.js', 'replay', '--help'],
  };
  const times: Record<string, number[]> = {};
  for (let round = 0; round < rounds; round++) {
    for (const [name, args] of Object.entries(runs)) (times[name] ??= []).push(timeProcess(args));
  }
  const bare = median(times['node -e 0']!);
  const medians: Record<string, number> = {};
  for (const name of Object.keys(runs)) {
    medians[name] = median(times[name]!);
    log(
      `start: ${name.padEnd(30)} ${medians[name].toFixed(0).padStart(5)} ms median of ${rounds}, ${(medians[name] / bare).toFixed(2)} x node -e 0`,
    );
  }
  return {
    versionRatio: medians['consensus-guard --version']! / bare,
    helpRatio: medians['consensus-guard --help']! / bare,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) runStartBench();
