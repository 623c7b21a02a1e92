import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Transition } from '../../breaker/levels.ts';
import type { Signal } from '../../core/signal.ts';
import { toRunSummary } from '../../engine/run.ts';
import type { EngineState } from '../../engine/step.ts';
import { createService, type Service } from '../../runtime/createService.ts';
import { listScenarios, simulate } from '../../sim/simulate.ts';
import { toEngineConfig } from '../../sim/toEngineConfig.ts';
import { createWebhookReceiver } from '../../sinks/webhook/createWebhookReceiver.ts';
import { createWebhookSecret } from '../../sinks/webhook/createWebhookSecret.ts';
import { createWebhookSink } from '../../sinks/webhook/createWebhookSink.ts';
import { createPlaybackSource } from '../../sources/playback/createPlaybackSource.ts';
import type { Store } from '../../store/store.ts';
import { toStoreDisplay } from '../../store/toStoreTarget.ts';
import { createCliLogger, LOG_LEVEL_HELP } from '../createCliLogger.ts';
import { CliError, usageError } from '../errors.ts';
import { type CliHttp, startCliHttp, toHostPort } from '../httpOptions.ts';
import { toPositiveNumber } from '../options.ts';
import {
  formatOffset,
  formatSignal,
  formatSummary,
  formatTransition,
  type Output,
  toEventLine,
} from '../output.ts';
import { openCliStore, STORE_OPTION_HELP, toCliStoreTarget } from '../storeOptions.ts';

type DemoOptions = {
  scenario: string;
  seed: string;
  seconds: string;
  http?: string;
  store?: string;
  dataDir?: string;
  exit?: boolean;
  json?: boolean;
  logLevel: string;
};

const DEFAULT_HTTP = '127.0.0.1:8080';
const STATUS_EVERY_MS = 5000;

/**
 * `demo`: the whole guard on a simulated multi-client network with a scripted incident. The
 * incident plays in accelerated real time through a playback source into the durable service
 * (SQLite in a fresh data directory), whose transitions go through the outbox to a local webhook
 * receiver that verifies their signatures, with the API and the live dashboard on a printed
 * localhost URL and a generated token for the override button. Ends on Ctrl-C, or with `--exit`
 * once the incident is played and every webhook delivered.
 */
export function registerDemo(program: Command, output: Output): void {
  program
    .command('demo')
    .description(
      'Run the whole guard on a simulated multi-client incident: store, webhooks, API and live dashboard (Ctrl-C to stop)',
    )
    .option('--scenario <name>', 'scenario to play (see `consensus-guard scenarios`)', 'client-split')
    .option('--seed <n>', 'seed of the simulation', '1')
    .option('--seconds <n>', 'real seconds the whole incident takes', '60')
    .option(
      '--http <host:port>',
      `address of the dashboard and API (default ${DEFAULT_HTTP}, or a free port)`,
    )
    .option(
      '--store <url>',
      `${STORE_OPTION_HELP} (default: SQLite in a temporary directory, removed at exit)`,
    )
    .option('--data-dir <dir>', 'keep the SQLite store in this directory (the same as --store DIR)')
    .option('--exit', 'stop once the incident is played and every webhook delivered')
    .option('--json', 'one JSON object per line: signals and transitions, each with "type"')
    .option('--log-level <level>', LOG_LEVEL_HELP, 'info')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  consensus-guard demo                                  # open the printed URL in a browser\n' +
        '  consensus-guard demo --scenario full-halt --seconds 30\n' +
        '  consensus-guard demo --data-dir ./demo-data           # Ctrl-C, run again: it resumes\n' +
        '  consensus-guard demo --store postgres://postgres@127.0.0.1:5432/guard --exit',
    )
    .action(async (options: DemoOptions) => {
      const logger = createCliLogger(options.logLevel, output);
      const known = listScenarios().map((s) => s.name);
      if (!known.includes(options.scenario)) {
        throw usageError(`unknown scenario "${options.scenario}": use one of ${known.join(', ')}`);
      }
      if (!/^\d+$/.test(options.seed))
        throw usageError(`--seed must be a non-negative integer, got "${options.seed}"`);
      const seconds = toPositiveNumber(options.seconds, '--seconds');
      const address = toHostPort(options.http ?? DEFAULT_HTTP);
      const { scenario, observations } = simulate(options.scenario, { seed: Number(options.seed) });
      const simStartMs = observations[0]?.observedAtMs ?? 0;
      const spanMs = Math.max(1, (observations.at(-1)?.observedAtMs ?? simStartMs) - simStartMs);
      const speed = spanMs / (seconds * 1000);
      const info = (line: string) => output.err(`${line}\n`);

      const temporary = options.dataDir === undefined && options.store === undefined;
      const target = temporary
        ? { kind: 'sqlite' as const, dataDir: await mkdtemp(join(tmpdir(), 'consensus-guard-demo-')) }
        : toCliStoreTarget(options, undefined, { kind: 'memory' });
      const resources = createResources();
      resources.add(async () => {
        if (temporary && target.kind === 'sqlite') await rm(target.dataDir, { recursive: true, force: true });
      });
      try {
        const store: Store = await openCliStore(target);
        resources.add(() => store.close());

        const secret = createWebhookSecret();
        const token = randomBytes(18).toString('base64url');
        const receiver = createWebhookReceiver({
          secret,
          onAccepted: (body) => {
            const t = (body as { transition: Transition }).transition;
            if (!options.json) {
              output.out(
                `${formatOffset(t.atMs, simStartMs)}  webhook   ${t.breaker} ${t.from} -> ${t.to} received, signature verified\n`,
              );
            }
          },
        });
        receiver.listen(0, '127.0.0.1');
        await once(receiver, 'listening');
        resources.add(
          () =>
            new Promise<void>((resolve) => {
              receiver.close(() => resolve());
              receiver.closeAllConnections();
            }),
        );
        const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;

        let finished: () => void = () => undefined;
        const played = new Promise<void>((resolve) => {
          finished = resolve;
        });
        let service: Service | undefined;
        const source = createPlaybackSource({
          name: 'simulation',
          observations,
          speed,
          from: () => service?.engine().observations ?? 0,
          onFinished: () => finished(),
        });
        let http: CliHttp | undefined;
        const signals: Signal[] = [];
        const transitions: Transition[] = [];
        service = createService({
          engine: toEngineConfig(scenario),
          sources: [source],
          sinks: [
            createWebhookSink({
              name: 'demo-receiver',
              url: receiverUrl,
              secret,
              logger: logger.child({ component: 'sink', sink: 'demo-receiver' }),
            }),
          ],
          store,
          clock: source.clock,
          tickIntervalMs: 0,
          retry: { baseMs: 100, maxMs: 2000 },
          onObservation: (observation) => http?.metrics.observe(observation),
          logger,
        });
        const running = service;
        resources.add(() => running.stop());
        running.subscribe((event) => {
          if (event.type === 'signal') signals.push(event.signal);
          else transitions.push(event.transition);
          if (options.json) output.out(toEventLine(event));
          else if (event.type === 'signal') output.out(formatSignal(event.signal, simStartMs));
          else output.out(formatTransition(event.transition, simStartMs));
        });

        try {
          http = await startCliHttp({ view: running, address, token, output, announce: false, logger });
        } catch (error) {
          if (options.http !== undefined || !(error instanceof CliError)) throw error;
          http = await startCliHttp({
            view: running,
            address: { ...address, port: 0 },
            token,
            output,
            announce: false,
            logger,
          });
        }
        const server = http;
        resources.add(() => server.close());

        info(
          `consensus-guard demo: scenario ${scenario.name}, ${observations.length} observations over ${formatOffset(simStartMs + spanMs, simStartMs)} of chain time, played ${speed.toFixed(0)}x in ${seconds} s`,
        );
        info(scenario.description);
        info('');
        info(`dashboard  ${server.server.url}/`);
        info(`token      ${token}   (for the dashboard's override button)`);
        const kind =
          target.kind === 'sqlite' ? 'SQLite' : target.kind === 'postgres' ? 'PostgreSQL' : 'memory';
        info(
          `store      ${toStoreDisplay(target)} (${kind}${temporary ? '; removed at exit, keep it with --data-dir or --store' : target.kind === 'memory' ? '; gone at exit' : '; run again to resume'})`,
        );
        info(`webhooks   every transition goes through the outbox to ${receiverUrl}, which verifies it`);
        info(`${options.exit ? 'stops when the incident is played' : 'Ctrl-C to stop'}\n`);

        let interrupted = false;
        const stopRequested = new Promise<void>((resolve) => {
          const onSignal = () => {
            interrupted = true;
            resolve();
          };
          process.once('SIGINT', onSignal);
          process.once('SIGTERM', onSignal);
          resources.add(async () => {
            process.off('SIGINT', onSignal);
            process.off('SIGTERM', onSignal);
          });
        });

        await running.start();
        const { replayedEvents, snapshotSeq } = running.stats();
        if (replayedEvents + snapshotSeq > 0) {
          const from =
            snapshotSeq > 0
              ? `${snapshotSeq + replayedEvents} events (snapshot at seq ${snapshotSeq}, then ${replayedEvents} replayed)`
              : `${replayedEvents} events replayed`;
          info(`resumed from the store: ${from}, breakers ${levelsOf(running.engine())}\n`);
        }
        const status = setInterval(() => {
          if (!options.json)
            output.out(`${statusLine(running.engine(), source.clock.nowMs(), simStartMs)}\n`);
        }, STATUS_EVERY_MS);
        resources.add(async () => clearInterval(status));

        await Promise.race([played, stopRequested]);
        if (!interrupted) {
          clearInterval(status);
          if (options.exit) {
            await Promise.race([running.drained(), stopRequested]);
          } else {
            info(
              `\nthe incident is played to its end; the dashboard stays up at ${server.server.url}/ until Ctrl-C`,
            );
            await stopRequested;
          }
        }
        await resources.closeAll();
        if (!options.json) {
          output.out(
            `\n${interrupted ? 'stopped. ' : ''}${formatSummary(toRunSummary(running.engine(), signals, transitions))}`,
          );
        }
      } finally {
        await resources.closeAll();
      }
    });
}

/** Things to close, in reverse order of opening, once. */
function createResources() {
  const closers: Array<() => Promise<void>> = [];
  return {
    add(close: () => Promise<void>) {
      closers.push(close);
    },
    async closeAll() {
      while (closers.length > 0) {
        await closers.pop()!().catch(() => undefined);
      }
    },
  };
}

function levelsOf(state: EngineState): string {
  return [...state.breakers.values()].map((b) => `${b.name} ${b.level}`).join(', ') || 'none';
}

function statusLine(state: EngineState, atMs: number, startMs: number): string {
  const parts: string[] = [];
  for (const chain of state.chains.values()) {
    const heads = [...chain.nodes.values()].map((n) => `${n.name} ${n.head?.number ?? '-'}`).join(', ');
    const breaker = state.breakersOfChain.get(chain.name)?.[0]?.level ?? 'normal';
    parts.push(`${chain.name}: head ${chain.canonical?.number ?? '-'} [${heads}] breaker ${breaker}`);
  }
  return `${formatOffset(atMs, startMs)}  status    ${parts.join(' | ')}`;
}
