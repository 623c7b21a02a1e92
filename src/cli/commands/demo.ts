import type { Command } from 'commander';
import type { Transition } from '../../breaker/levels.ts';
import type { Signal } from '../../core/signal.ts';
import { toRunSummary } from '../../engine/run.ts';
import { createEngineState, step } from '../../engine/step.ts';
import { listScenarios, simulate } from '../../sim/simulate.ts';
import { toEngineConfig } from '../../sim/toEngineConfig.ts';
import { usageError } from '../errors.ts';
import { toInteger, toPositiveNumber } from '../options.ts';
import { formatOffset, formatSignal, formatSummary, formatTransition, type Output } from '../output.ts';

type DemoOptions = { scenario: string; seed: string; seconds: string };

/**
 * `demo`: plays a simulated incident in accelerated real time and prints the timeline as it
 * happens, with a status line every two seconds. Ends at the end of the scenario or on Ctrl-C.
 */
export function registerDemo(program: Command, output: Output): void {
  program
    .command('demo')
    .description('Watch a simulated multi-client incident live, in accelerated time (Ctrl-C to stop)')
    .option('--scenario <name>', 'scenario to play', 'client-split')
    .option('--seed <n>', 'seed of the simulation', '1')
    .option('--seconds <n>', 'real seconds the whole scenario takes', '20')
    .action(async (options: DemoOptions) => {
      const known = listScenarios().map((s) => s.name);
      if (!known.includes(options.scenario)) {
        throw usageError(`unknown scenario "${options.scenario}": use one of ${known.join(', ')}`);
      }
      const seed = toInteger(options.seed, '--seed');
      const seconds = toPositiveNumber(options.seconds, '--seconds');
      const { scenario, observations } = simulate(options.scenario, { seed });
      const state = createEngineState(toEngineConfig(scenario));
      const startMs = observations[0]?.observedAtMs ?? 0;
      const spanMs = Math.max(1, (observations.at(-1)?.observedAtMs ?? startMs) - startMs);
      const speed = spanMs / (seconds * 1000);
      output.out(
        `consensus-guard demo: scenario ${scenario.name}, ${observations.length} observations over ${formatOffset(startMs + spanMs, startMs)} of chain time, played ${speed.toFixed(0)}x\n${scenario.description}\n\n`,
      );
      let interrupted = false;
      const onSignal = () => {
        interrupted = true;
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const signals: Signal[] = [];
      const transitions: Transition[] = [];
      const realStart = Date.now();
      let nextStatus = realStart + 2000;
      try {
        for (const observation of observations) {
          if (interrupted) break;
          const dueReal = realStart + (observation.observedAtMs - startMs) / speed;
          const waitMs = dueReal - Date.now();
          if (waitMs > 5) await new Promise((resolve) => setTimeout(resolve, waitMs));
          const out = step(state, observation);
          for (const s of out.signals) {
            signals.push(s);
            output.out(formatSignal(s, startMs));
          }
          for (const t of out.transitions) {
            transitions.push(t);
            output.out(formatTransition(t, startMs));
          }
          if (Date.now() >= nextStatus) {
            nextStatus += 2000;
            output.out(`${statusLine(state, observation.observedAtMs, startMs)}\n`);
          }
        }
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      output.out(
        `\n${interrupted ? 'stopped. ' : ''}${formatSummary(toRunSummary(state, signals, transitions))}`,
      );
    });
}

function statusLine(state: ReturnType<typeof createEngineState>, atMs: number, startMs: number): string {
  const parts: string[] = [];
  for (const chain of state.chains.values()) {
    const heads = [...chain.nodes.values()].map((n) => `${n.name} ${n.head?.number ?? '-'}`).join(', ');
    const breaker = state.breakersOfChain.get(chain.name)?.[0]?.level ?? 'normal';
    parts.push(`${chain.name}: head ${chain.canonical?.number ?? '-'} [${heads}] breaker ${breaker}`);
  }
  return `${formatOffset(atMs, startMs)}  status    ${parts.join(' | ')}`;
}
