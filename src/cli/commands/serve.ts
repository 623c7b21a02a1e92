import { hostname } from 'node:os';
import type { Command } from 'commander';
import type { ClusterOptions, Service } from '../../runtime/createService.ts';
import {
  type CreateServiceFromConfigReturnType,
  createServiceFromConfig,
} from '../../runtime/createServiceFromConfig.ts';
import { StoreError } from '../../store/storeError.ts';
import { createCliLogger, LOG_LEVEL_HELP } from '../createCliLogger.ts';
import { CliError, toStoreCliError, usageError } from '../errors.ts';
import { holdOpenUntil } from '../holdOpenUntil.ts';
import { type CliHttp, startCliHttp, toHostPort, toToken } from '../httpOptions.ts';
import { toInteger } from '../options.ts';
import { formatLiveEvent, type Output } from '../output.ts';
import { readConfigFile } from '../readConfigFile.ts';
import { STORE_OPTION_HELP, toCliStoreTarget } from '../storeOptions.ts';

type ServeOptions = {
  config?: string;
  store?: string;
  dataDir?: string;
  json?: boolean;
  tickMs: string;
  http?: string;
  tokenEnv?: string;
  instance?: string;
  role: string;
  location?: string;
  leaseMs: string;
  spoolDir?: string;
  logLevel: string;
};

/** What `serve` runs, for layers that attach to it (the HTTP API). */
export type ServeHooks = {
  /** Called with the started service, before the command waits for SIGINT or SIGTERM. */
  onStarted?: (service: Service) => void | Promise<void>;
};

/**
 * `serve`: the durable guard. Like `watch`, it prints signals and breaker transitions as they
 * happen; in addition every observation, signal and transition is stored in the data directory,
 * every transition goes to the configured sinks through the outbox, and a restart on the same data
 * directory resumes where it stopped (docs/service.md).
 */
export function registerServe(program: Command, output: Output, hooks: ServeHooks = {}): void {
  program
    .command('serve')
    .description(
      'Run the durable guard: live watching, stored history, webhooks through an outbox (Ctrl-C to stop)',
    )
    .option('--config <file>', 'guard config file (YAML): chains, nodes, breaker rules, sinks, store')
    .option('--store <url>', `${STORE_OPTION_HELP} (default: the config's store:, then ./.data)`)
    .option('--data-dir <dir>', 'SQLite in this data directory (the same as --store DIR)')
    .option('--json', 'one JSON object per line: signals and transitions, each with "type"')
    .option('--tick-ms <n>', 'interval of time ticks, ms', '1000')
    .option('--http <host:port>', 'serve the HTTP API, metrics and dashboard, e.g. 127.0.0.1:8080')
    .option('--token-env <name>', 'environment variable holding the bearer token for override and resume')
    .option(
      '--instance <name>',
      'this member of a cluster on a PostgreSQL store (default: host name and pid)',
    )
    .option(
      '--role <role>',
      'replica (leads or follows) or watcher (only observes; PostgreSQL only)',
      'replica',
    )
    .option('--location <name>', 'where this member observes from (a network, a provider)')
    .option('--lease-ms <n>', 'lease time of the leader, ms (PostgreSQL cluster)', '5000')
    .option('--spool-dir <dir>', "a watcher's spool of observations not stored yet", './.watcher-spool')
    .option('--log-level <level>', LOG_LEVEL_HELP, 'info')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  consensus-guard serve --config guard.yaml --data-dir /var/lib/consensus-guard\n' +
        '  PGPASSWORD=... consensus-guard serve --config guard.yaml --store postgres://guard@db.internal:5432/guard\n' +
        '  GUARD_TOKEN=... consensus-guard serve --config guard.yaml --http 127.0.0.1:8080 --token-env GUARD_TOKEN',
    )
    .action(async (options: ServeOptions) => {
      if (options.config === undefined) throw usageError('serve needs --config FILE');
      const logger = createCliLogger(options.logLevel, output);
      const tickIntervalMs = toInteger(options.tickMs, '--tick-ms');
      if (tickIntervalMs < 10) throw usageError('--tick-ms must be at least 10');
      const address = options.http === undefined ? undefined : toHostPort(options.http);
      const token = toToken(options);
      const config = await readConfigFile(options.config);
      const target = toCliStoreTarget(options, config.store, { kind: 'sqlite', dataDir: './.data' });
      if (options.role !== 'replica' && options.role !== 'watcher')
        throw usageError('--role must be replica or watcher');
      if (options.role === 'watcher' && target.kind !== 'postgres')
        throw usageError('--role watcher needs a PostgreSQL store (--store postgres://…)');
      const leaseMs = toInteger(options.leaseMs, '--lease-ms');
      if (leaseMs < 200) throw usageError('--lease-ms must be at least 200');
      const cluster: ClusterOptions = {
        instance: options.instance ?? `${hostname()}-${process.pid}`,
        role: options.role,
        leaseMs,
      };
      if (options.location !== undefined) cluster.location = options.location;
      if (options.spoolDir !== undefined) cluster.spoolDir = options.spoolDir;
      let running: CreateServiceFromConfigReturnType;
      let http: CliHttp | undefined;
      try {
        const parameters: Parameters<typeof createServiceFromConfig>[0] = {
          config,
          store: target,
          tickIntervalMs,
          cluster,
          logger,
          onObservation: (observation) => http?.metrics.observe(observation),
          onStoreWrite: (durationMs) => http?.metrics.observeStoreWrite(durationMs),
        };
        running = await createServiceFromConfig(parameters);
      } catch (error) {
        if (error instanceof StoreError) throw toStoreCliError(error);
        throw error;
      }
      const { service } = running;
      service.subscribe((event) => output.out(formatLiveEvent(event, options.json)));
      const stopRequested = new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      try {
        await service.start();
      } catch (error) {
        await running.close();
        throw new CliError(`cannot start: ${(error as Error).message}`, { cause: error });
      }
      const { replayedEvents, replayMs, snapshotSeq } = service.stats();
      const levels = [...service.engine().breakers.values()].map((b) => `${b.name} ${b.level}`).join(', ');
      output.err(
        `store ${running.display}: ${snapshotSeq > 0 ? `restored the snapshot at seq ${snapshotSeq}, ` : ''}replayed ${replayedEvents} events in ${Math.round(replayMs)} ms\n`,
      );
      for (const [chain, nodes] of Object.entries(config.nodes)) {
        output.err(
          `watching ${chain}: ${nodes.map((n) => `${n.name} (${n.kind}, ${n.displayUrl})`).join(', ')}\n`,
        );
      }
      const sinks = config.sinks.map((s) =>
        s.kind === 'onchain'
          ? `${s.name} (onchain, ${s.displayUrl}, ${s.guardAddress.slice(0, 5)}…)`
          : `${s.name} (${s.shape}, ${s.displayUrl})`,
      );
      output.err(`sinks: ${sinks.join(', ') || 'none'}\n`);
      output.err(`serving; breakers: ${levels || 'none yet'}\n`);
      if (target.kind === 'postgres') {
        const position = service.clusterPosition();
        output.err(
          `cluster: instance ${cluster.instance}, ${cluster.role === 'watcher' ? 'watcher' : `replica (now ${position.role})`}${cluster.location === undefined ? '' : ` at ${cluster.location}`}, lease ${leaseMs} ms\n`,
        );
      }
      if (address) {
        try {
          http = await startCliHttp({
            view: service,
            address,
            token,
            output,
            stateProofs: running.stateProofs,
            logger,
          });
        } catch (error) {
          await running.close();
          throw error;
        }
      }
      await hooks.onStarted?.(service);
      await holdOpenUntil(stopRequested);
      await http?.close();
      await running.close();
      output.err('stopped\n');
    });
}
