import type { Transition } from '../breaker/levels.ts';
import type { ChainState } from '../core/chainView.ts';
import { createChainState, getOrCreateNode } from '../core/chainView.ts';
import type { Observation } from '../core/observation.ts';
import { type ChainParams, toChainParams } from '../core/params.ts';
import type { Signal } from '../core/signal.ts';
import { type EngineState, ensureBreaker } from './createEngineState.ts';
import { detectOverTime } from './detectOverTime.ts';
import { evaluateBreakers, NO_TRANSITIONS } from './evaluateBreakers.ts';
import { onBlock } from './onBlock.ts';
import { onCheckpoint } from './onCheckpoint.ts';
import { onError } from './onError.ts';

export { createEngineState, type EngineState } from './createEngineState.ts';

export type StepResult = { state: EngineState; signals: Signal[]; transitions: Transition[] };

const NO_SIGNALS: Signal[] = [];

/**
 * The engine: `step(state, observation) -> { state, signals, transitions }`. It composes the
 * chain view, the detectors and the breakers. It reads no clock, network or disk: time arrives
 * on the observations. For speed the state is updated in place and returned; treat the state
 * passed in as consumed. The same observations in the same order give the same output.
 */
export function step(state: EngineState, observation: Observation): StepResult {
  state.observations += 1;
  if (observation.type === 'tick') {
    // Most ticks raise nothing: gather into shared scratch arrays and copy only what was raised.
    const signals = scratchSignals;
    const transitions = scratchTransitions;
    if (signals.length !== 0) signals.length = 0;
    if (transitions.length !== 0) transitions.length = 0;
    if (observation.chain !== undefined) {
      const chain = state.chains.get(observation.chain);
      if (chain) tickChain(state, chain, observation.observedAtMs, signals, transitions);
    } else {
      for (const chain of state.chains.values())
        tickChain(state, chain, observation.observedAtMs, signals, transitions);
    }
    return {
      state,
      signals: signals.length === 0 ? NO_SIGNALS : signals.slice(),
      transitions: transitions.length === 0 ? NO_TRANSITIONS : transitions.slice(),
    };
  }
  const chain = getChain(state, observation.chain, observation.observedAtMs);
  if (!chain || state.nodesOfChain.get(chain.name)?.has(observation.node) === false) {
    state.ignored += 1;
    return { state, signals: NO_SIGNALS, transitions: NO_TRANSITIONS };
  }
  if (observation.observedAtMs > chain.nowMs) chain.nowMs = observation.observedAtMs;
  const node = getOrCreateNode(chain, observation.node, chain.nowMs, observation.location);
  if (observation.client !== undefined && node.client !== observation.client)
    node.client = observation.client;
  const signals = scratchSignals;
  if (signals.length !== 0) signals.length = 0;
  let evaluation = false;
  switch (observation.type) {
    case 'head':
    case 'block':
      evaluation = onBlock(chain, node, observation, signals);
      break;
    case 'checkpoint':
      onCheckpoint(chain, node, observation, signals);
      break;
    case 'error':
      onError(chain, node, observation, signals);
      break;
  }
  detectOverTime(chain, signals);
  const raised = signals.length === 0 ? NO_SIGNALS : signals.slice();
  const transitions = evaluateBreakers(state, chain, raised, evaluation);
  return { state, signals: raised, transitions };
}

/** Scratch arrays of one step (`step` is synchronous and never re-entered). */
const scratchSignals: Signal[] = [];
const scratchTransitions: Transition[] = [];

function getChain(state: EngineState, name: string, nowMs: number): ChainState | undefined {
  const existing = state.chains.get(name);
  if (existing) return existing;
  const configured = state.config.chains[name];
  let params: ChainParams;
  if (configured) params = toChainParams(configured.preset, configured.params);
  else if (state.config.defaultPreset !== undefined) params = toChainParams(state.config.defaultPreset);
  else return undefined;
  const chain = createChainState(name, params, nowMs);
  chain.configuredNodes = state.nodesOfChain.get(name)?.size ?? 0;
  state.chains.set(name, chain);
  ensureBreaker(state, name);
  return chain;
}

function tickChain(
  state: EngineState,
  chain: ChainState,
  atMs: number,
  signals: Signal[],
  transitions: Transition[],
): void {
  if (atMs > chain.nowMs) chain.nowMs = atMs;
  chain.counts.ticks += 1;
  const from = signals.length;
  detectOverTime(chain, signals);
  const raised = signals.length === from ? NO_SIGNALS : signals.slice(from);
  for (const t of evaluateBreakers(state, chain, raised, true)) transitions.push(t);
}
