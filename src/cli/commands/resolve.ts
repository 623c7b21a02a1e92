import type { Command } from 'commander';
import { toJson } from '../../core/json.ts';
import { toPrintable } from '../../core/toPrintable.ts';
import { applyEvent } from '../../engine/applyEvent.ts';
import { createEngineState, type EngineState, step } from '../../engine/step.ts';
import { type ForkResolution, toForkResolution } from '../../engine/toForkResolution.ts';
import { readObservationLogBatches } from '../../sources/replay/readObservationLogBatches.ts';
import { ReplayError } from '../../sources/replay/replayError.ts';
import { openSqliteStore } from '../../store/sqlite/openSqliteStore.ts';
import { CliError, usageError } from '../errors.ts';
import type { Output } from '../output.ts';
import { readConfigFile } from '../readConfigFile.ts';

type ResolveOptions = { config: string; log?: string; store?: string; chain?: string; json?: boolean };

export function registerResolve(program: Command, output: Output): void {
  program
    .command('resolve')
    .description('Recommend which branch to follow when nodes diverge, and what to undo (docs/signals.md)')
    .requiredOption('--config <file>', 'guard config file (chains, parameters)')
    .option('--log <file>', 'recorded observation log to replay (watch --record)')
    .option('--store <dir>', 'data directory of a service store (serve --data-dir) to replay')
    .option('--chain <name>', 'one chain (default: every chain)')
    .option('--json', 'print { resolutions: [...] } as JSON')
    .addHelpText(
      'after',
      '\nExample: consensus-guard resolve --config guard.yaml --store /var/lib/consensus-guard --chain ethereum',
    )
    .action(async (options: ResolveOptions) => {
      if ((options.log === undefined) === (options.store === undefined))
        throw usageError('give either --log FILE or --store DIR');
      const config = await readConfigFile(options.config);
      const state = createEngineState(config.engine);
      if (options.log !== undefined) await replayLog(state, options.log);
      else await replayStore(state, options.store!);
      const names = options.chain !== undefined ? [options.chain] : [...state.chains.keys()];
      if (options.chain !== undefined && !state.chains.has(options.chain))
        throw new CliError(
          `no observation of chain "${toPrintable(options.chain)}": check --chain against the config`,
        );
      const resolutions = names.map((name) => toForkResolution(state, name));
      if (options.json) output.out(`${toJson({ resolutions })}\n`);
      else for (const r of resolutions) output.out(formatResolution(r));
    });
}

async function replayLog(state: EngineState, file: string): Promise<void> {
  try {
    for await (const batch of readObservationLogBatches(file, { onError: () => {} }))
      for (const observation of batch) step(state, observation);
  } catch (error) {
    if (error instanceof ReplayError)
      throw new CliError(`${error.message}: check the path`, { code: error.code, cause: error });
    throw error;
  }
}

async function replayStore(state: EngineState, dataDir: string): Promise<void> {
  const store = await openSqliteStore({ dataDir });
  try {
    for await (const batch of store.readEvents()) for (const event of batch) applyEvent(state, event);
  } finally {
    await store.close();
  }
}

function formatResolution(r: ForkResolution): string {
  const lines = [`${r.chain}: ${r.status} (${r.basis})`, `  why: ${r.reason}`];
  if (r.winner)
    lines.push(
      `  follow: ${r.winner.head.hash.slice(0, 10)} at ${r.winner.head.number} (${r.winner.nodes.join(', ')})`,
    );
  if (r.drain.length > 0) lines.push(`  drain: ${r.drain.join(', ')}`);
  if (r.rollbackHeight !== undefined) lines.push(`  roll back from height ${r.rollbackHeight}`);
  if (r.executions.length > 0)
    lines.push(`  executions to invalidate or re-include: ${r.executions.map((e) => e.id).join(', ')}`);
  lines.push(`  resume: ${r.resume}`);
  return `${lines.map((line) => toPrintable(line)).join('\n')}\n`;
}
