import type { Command } from 'commander';
import { toJson } from '../../core/json.ts';
import { listScenarios } from '../../sim/simulate.ts';
import type { Output } from '../output.ts';

export function registerScenarios(program: Command, output: Output): void {
  program
    .command('scenarios')
    .description('List the simulated incidents, each with the real incident whose shape it reproduces')
    .option('--json', 'print a JSON array')
    .action((options: { json?: boolean }) => {
      const scenarios = listScenarios().map((s) => ({
        name: s.name,
        chain: s.chain,
        preset: s.preset,
        incident: s.incident,
        description: s.description,
      }));
      if (options.json) {
        output.out(`${toJson(scenarios, 2)}\n`);
        return;
      }
      const width = Math.max(...scenarios.map((s) => s.name.length));
      for (const s of scenarios) {
        output.out(
          `${s.name.padEnd(width)}  ${s.preset.padEnd(8)}  ${s.description}\n${''.padEnd(width)}  ${''.padEnd(8)}  incident: ${s.incident ?? '-'}\n`,
        );
      }
    });
}
