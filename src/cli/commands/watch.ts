import type { Command } from 'commander';
import type { Transition } from '../../breaker/levels.ts';
import {
  ConfigError,
  type GuardConfig,
  MEMBER_NAME_PATTERN,
  type NodeConfig,
  parseConfig,
} from '../../config/parseConfig.ts';
import { isPresetName, PRESETS } from '../../core/params.ts';
import type { Signal } from '../../core/signal.ts';
import { toPrintable } from '../../core/toPrintable.ts';
import { toRunSummary } from '../../engine/run.ts';
import { createService } from '../../runtime/createService.ts';
import { createSources } from '../../runtime/createSources.ts';
import { createObservationLogWriter } from '../../sources/replay/createObservationLogWriter.ts';
import type { Source } from '../../sources/source.ts';
import { toStoreDisplay } from '../../store/toStoreTarget.ts';
import { createCliLogger, LOG_LEVEL_HELP } from '../createCliLogger.ts';
import { usageError } from '../errors.ts';
import { holdOpenUntil } from '../holdOpenUntil.ts';
import { type CliHttp, startCliHttp, toHostPort, toToken } from '../httpOptions.ts';
import { toInteger } from '../options.ts';
import { formatLiveEvent, formatSummary, type Output } from '../output.ts';
import { readConfigFile } from '../readConfigFile.ts';
import { openCliStore, STORE_OPTION_HELP, toCliStoreTarget } from '../storeOptions.ts';

type WatchOptions = {
  config?: string;
  preset?: string;
  chain?: string;
  node: string[];
  beacon: string[];
  bitcoin: string[];
  json?: boolean;
  record?: string;
  store?: string;
  tickMs: string;
  http?: string;
  tokenEnv?: string;
  logLevel: string;
};

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * `watch`: live monitoring of real nodes until SIGINT or SIGTERM. Signals and transitions are
 * printed as they happen (`--json`: one object per line with `type`); `--record` writes the
 * observation log, which `replay` turns into the same signals.
 */
export function registerWatch(program: Command, output: Output): void {
  program
    .command('watch')
    .description(
      'Watch real nodes live: print signals and breaker transitions as they happen (Ctrl-C to stop)',
    )
    .option('--config <file>', 'guard config file (YAML): chains, nodes, parameters, breaker rules')
    .option(
      '--preset <name>',
      `quick start without a config: chain preset (${Object.keys(PRESETS).join(', ')})`,
    )
    .option('--chain <name>', 'quick start: chain name (default: the preset name)')
    .option(
      '--node <url>',
      'quick start: an EVM JSON-RPC node, http(s):// or ws(s):// (repeatable)',
      collect,
      [],
    )
    .option(
      '--bitcoin <url>',
      'quick start: a Bitcoin-style JSON-RPC node, credentials in the URL (repeatable)',
      collect,
      [],
    )
    .option('--beacon <url>', 'quick start: an Ethereum Beacon API node (repeatable)', collect, [])
    .option('--json', 'one JSON object per line: signals and transitions, each with "type"')
    .option('--record <file>', 'write every observation to a log that `replay` reads')
    .option('--store <url>', `${STORE_OPTION_HELP} (default memory:, nothing kept)`)
    .option('--tick-ms <n>', 'interval of time ticks, ms', '1000')
    .option('--http <host:port>', 'serve the HTTP API, metrics and dashboard, e.g. 127.0.0.1:8080')
    .option('--token-env <name>', 'environment variable holding the bearer token for override and resume')
    .option('--log-level <level>', LOG_LEVEL_HELP, 'info')
    .addHelpText(
      'after',
      '\nExamples:\n  consensus-guard watch --config guard.yaml --json\n' +
        '  consensus-guard watch --preset devnet --node ws://127.0.0.1:8545 --node http://127.0.0.1:8546\n' +
        '  GUARD_TOKEN=... consensus-guard watch --config guard.yaml --http 127.0.0.1:8080 --token-env GUARD_TOKEN',
    )
    .action(async (options: WatchOptions) => {
      const logger = createCliLogger(options.logLevel, output);
      const config = await toGuardConfig(options);
      const tickIntervalMs = toInteger(options.tickMs, '--tick-ms');
      if (tickIntervalMs < 10) throw usageError('--tick-ms must be at least 10');
      const address = options.http === undefined ? undefined : toHostPort(options.http);
      const token = toToken(options);
      const sources: Source[] = Object.entries(config.nodes).flatMap(([chain, nodes]) =>
        createSources(chain, nodes, logger),
      );
      if (sources.length === 0) throw usageError('no node to watch: give --config, or --node/--bitcoin URLs');
      let recordError: Error | undefined;
      const recorder =
        options.record === undefined
          ? undefined
          : createObservationLogWriter(options.record, {
              onError: (error) => {
                recordError = error;
                output.err(
                  `consensus-guard: ${toPrintable(error.message)}; recording stopped, watching goes on\n`,
                );
              },
            });
      const target = toCliStoreTarget({ store: options.store }, undefined, { kind: 'memory' });
      // In memory, a guard that runs for weeks keeps only the newest events.
      const store = await openCliStore(target, { retainEvents: 10_000 });
      const signals: Signal[] = [];
      const transitions: Transition[] = [];
      let http: CliHttp | undefined;
      const service = createService({
        engine: config.engine,
        sources,
        store,
        tickIntervalMs,
        snapshots: target.kind === 'memory' ? false : {},
        onObservation: (observation) => {
          if (recorder && !recordError) recorder.write(observation);
          http?.metrics.observe(observation);
        },
        logger,
      });
      service.subscribe((event) => {
        if (event.type === 'signal') signals.push(event.signal);
        else transitions.push(event.transition);
        output.out(formatLiveEvent(event, options.json));
      });
      for (const [chain, nodes] of Object.entries(config.nodes)) {
        output.err(
          `watching ${chain}: ${nodes.map((n) => `${n.name} (${n.kind}, ${n.displayUrl})`).join(', ')}\n`,
        );
      }
      if (target.kind !== 'memory') output.err(`store ${toStoreDisplay(target)}\n`);
      try {
        if (address) http = await startCliHttp({ view: service, address, token, output, logger });
        await service.start();
      } catch (error) {
        await http?.close();
        await service.stop();
        await store.close();
        throw error;
      }
      await holdOpenUntil(
        new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        }),
      );
      await http?.close();
      await service.stop();
      await store.close();
      await recorder?.close().catch(() => undefined);
      if (!options.json)
        output.out(`\n${formatSummary(toRunSummary(service.engine(), signals, transitions))}`);
      output.err('stopped\n');
    });
}

async function toGuardConfig(options: WatchOptions): Promise<GuardConfig> {
  const quick =
    options.node.length + options.bitcoin.length + options.beacon.length > 0 || options.preset !== undefined;
  if (options.config !== undefined && quick)
    throw usageError('give either --config, or --preset with node URLs, not both');
  if (options.config !== undefined) return readConfigFile(options.config);
  if (!quick) throw usageError('nothing to watch: give --config FILE, or --preset NAME with --node URL');
  const preset = options.preset ?? 'ethereum';
  if (!isPresetName(preset))
    throw usageError(`unknown preset "${preset}": use one of ${Object.keys(PRESETS).join(', ')}`);
  const chain = options.chain ?? preset;
  const nodes: Array<Omit<NodeConfig, 'displayUrl' | 'weight'> & { weight?: number }> = [
    ...options.node.map((url) => ({ kind: 'evm' as const, url })),
    ...options.bitcoin.map((url) => ({ kind: 'bitcoin' as const, url })),
    ...options.beacon.map((url) => ({ kind: 'beacon' as const, url })),
  ].map((n, i) => ({ ...n, name: toNodeName(n.url, i) }));
  const yaml = JSON.stringify({
    chains: { [chain]: { preset, nodes: nodes.map((n) => ({ name: n.name, kind: n.kind, url: n.url })) } },
  });
  try {
    return parseConfig(yaml, 'command line', process.env);
  } catch (error) {
    if (error instanceof ConfigError) throw usageError(error.message);
    throw error;
  }
}

/** `host:port` of the URL as a node name (`[::1]:8545` gives `1-:8545`); `node-N` when that is not a valid one. */
function toNodeName(url: string, index: number): string {
  try {
    const parsed = new URL(url);
    const name =
      `${parsed.hostname}:${parsed.port || (parsed.protocol.startsWith('https') || parsed.protocol.startsWith('wss') ? '443' : '80')}`
        .replace(/[^A-Za-z0-9._:-]/g, '-')
        .replace(/^[^A-Za-z0-9]+/, '')
        .slice(0, 64);
    if (MEMBER_NAME_PATTERN.test(name)) return name;
  } catch {
    // not a URL: the config check names the problem
  }
  return `node-${index + 1}`;
}
