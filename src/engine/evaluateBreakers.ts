import { type BreakerState, reduceBreaker } from '../breaker/breaker.ts';
import type { Transition } from '../breaker/levels.ts';
import { toRequestedLevel } from '../breaker/rules.ts';
import type { ChainState } from '../core/chainView.ts';
import type { Signal } from '../core/signal.ts';
import type { EngineState } from './createEngineState.ts';
import { toLevelRequest } from './toLevelRequest.ts';

/** The empty list of transitions, shared: never written to. */
export const NO_TRANSITIONS: Transition[] = [];

export function evaluateBreakers(
  state: EngineState,
  chain: ChainState,
  signals: Signal[],
  counts: boolean,
): Transition[] {
  for (const signal of signals) {
    if (signal.kind !== 'reorg' && signal.kind !== 'integrity' && signal.kind !== 'latency') continue;
    const { level, holdMs } = toRequestedLevel(state.rules, signal);
    if (level !== 'normal') chain.holds.push({ signal, untilMs: signal.atMs + holdMs });
  }
  const breakers = state.breakersOfChain.get(chain.name);
  if (!breakers) return NO_TRANSITIONS;
  let transitions: Transition[] = NO_TRANSITIONS;
  for (const breaker of breakers) {
    if (breaker.level === 'normal' && !hasDemands(state, breaker, chain)) continue;
    const request = toLevelRequest(state, breaker, chain.nowMs);
    const transition = reduceBreaker(breaker, request, chain.nowMs, state.recovery, counts);
    if (transition) {
      if (transitions === NO_TRANSITIONS) transitions = [];
      transitions.push(transition);
    }
  }
  return transitions;
}

/** Whether any of the breaker's chains has a condition or hold, or the breaker an external one. */
function hasDemands(state: EngineState, breaker: BreakerState, evaluated: ChainState): boolean {
  if (breaker.external) return true;
  for (const name of breaker.chains) {
    // The chain being evaluated is at hand: no lookup for it (on every tick).
    const chain = name === evaluated.name ? evaluated : state.chains.get(name);
    if (chain && (chain.conditions.size > 0 || chain.holds.length > 0)) return true;
  }
  return false;
}
