import {
  type BreakerState,
  createBreakerState,
  type LevelRequest,
  reduceBreaker,
} from '../breaker/breaker.ts';
import { type Level, levelRank, type Transition } from '../breaker/levels.ts';
import {
  type BreakerRule,
  DEFAULT_RECOVERY,
  DEFAULT_RULES,
  type RecoveryPolicy,
  toRequestedLevel,
} from '../breaker/rules.ts';
import {
  addBlock as addToTree,
  type Block,
  type ChainState,
  type Checkpoint,
  chooseCanonical,
  compareCheckpoints,
  createChainState,
  getOrCreateNode,
  isAncestorOrSelf,
  isCanonicalBacked,
  isHealthy,
  isOnCanonicalBranch,
  measureQuorum,
  type NodeView,
  prune,
  setCanonical,
  toQuorumFinalized,
} from '../core/chainView.ts';
import type {
  BlockObservation,
  CheckpointObservation,
  ErrorObservation,
  Observation,
} from '../core/observation.ts';
import { type ChainParams, toChainParams } from '../core/params.ts';
import type { IntegrityCheck, Signal } from '../core/signal.ts';
import { detectDivergence, detectFinalizedConflict } from '../detectors/divergence.ts';
import { detectFinality } from '../detectors/finality.ts';
import { describeConflict, detectForeignChain, detectIntegrity } from '../detectors/integrity.ts';
import { detectLag } from '../detectors/lag.ts';
import { detectPropagation, detectRpcLatency } from '../detectors/latency.ts';
import { detectLiveness } from '../detectors/liveness.ts';
import { detectMonitorPartition } from '../detectors/monitorPartition.ts';
import { detectQuorum } from '../detectors/quorum.ts';
import { detectReorg } from '../detectors/reorg.ts';
import type { EngineConfig } from './config.ts';
import { isPlausibleHeight } from './isPlausibleHeight.ts';

/**
 * The engine: `step(state, observation) -> { state, signals, transitions }`. It composes the
 * chain view, the detectors and the breakers. It reads no clock, network or disk: time arrives
 * on the observations. For speed the state is updated in place and returned; treat the state
 * passed in as consumed. The same observations in the same order give the same output.
 */
export type EngineState = {
  config: EngineConfig;
  chains: Map<string, ChainState>;
  breakers: Map<string, BreakerState>;
  /** Breakers protecting each chain. */
  breakersOfChain: Map<string, BreakerState[]>;
  rules: readonly BreakerRule[];
  recovery: RecoveryPolicy;
  /** The highest level an uncorroborated signal asks for. */
  uncorroboratedLevel: Level;
  /** Per configured chain, the nodes it watches, when the config lists them. */
  nodesOfChain: Map<string, ReadonlySet<string>>;
  /** Observations taken, and those ignored (unknown chain without a default preset). */
  observations: number;
  ignored: number;
};

export type StepResult = { state: EngineState; signals: Signal[]; transitions: Transition[] };

/** Creates the initial state. Throws on an unknown preset (a broken config). */
export function createEngineState(config: EngineConfig): EngineState {
  if (config.defaultPreset !== undefined) toChainParams(config.defaultPreset);
  const state: EngineState = {
    config,
    chains: new Map(),
    breakers: new Map(),
    breakersOfChain: new Map(),
    rules: config.breaker?.rules ?? DEFAULT_RULES,
    recovery: { ...DEFAULT_RECOVERY, ...config.breaker?.recovery },
    uncorroboratedLevel: config.breaker?.uncorroboratedLevel ?? 'caution',
    nodesOfChain: new Map(),
    observations: 0,
    ignored: 0,
  };
  for (const definition of config.breaker?.breakers ?? []) {
    const breaker = createBreakerState(definition.name, [...definition.chains]);
    state.breakers.set(definition.name, breaker);
    for (const chain of definition.chains) {
      const list = state.breakersOfChain.get(chain) ?? [];
      list.push(breaker);
      state.breakersOfChain.set(chain, list);
    }
  }
  for (const [name, chain] of Object.entries(config.chains)) {
    toChainParams(chain.preset, chain.params);
    ensureBreaker(state, name);
    if (chain.nodes !== undefined) state.nodesOfChain.set(name, new Set(chain.nodes));
  }
  return state;
}

const NO_SIGNALS: Signal[] = [];
const NO_BACKERS = { nodes: 0, locations: 0 };
const NO_TRANSITIONS: Transition[] = [];

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

function ensureBreaker(state: EngineState, chain: string): void {
  if (state.breakersOfChain.has(chain)) return;
  const breaker = state.breakers.get(chain) ?? createBreakerState(chain, [chain]);
  state.breakers.set(chain, breaker);
  state.breakersOfChain.set(chain, [breaker]);
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

/** Returns true when the canonical head changed (a breaker evaluation that counts). */
function onBlock(chain: ChainState, node: NodeView, obs: BlockObservation, signals: Signal[]): boolean {
  const nowMs = chain.nowMs;
  // A height beyond reach is refused against a backed canonical head; against one node's head it
  // is kept out of the tree (memory stays bounded) and the quorum decides.
  const plausible = isPlausibleHeight(chain, obs.number);
  if (!plausible && isCanonicalBacked(chain)) {
    recordFailure(chain, node, `integrity: implausible height ${obs.number}`);
    signals.push(
      detectIntegrity(
        chain,
        node,
        'implausible_height',
        'implausible_height',
        `served height ${obs.number}, beyond what the chain can have reached from the canonical head ${chain.canonical?.number}`,
        { hash: obs.hash, number: obs.number },
      ),
    );
    return false;
  }
  const candidate: Block = {
    hash: obs.hash,
    parentHash: obs.parentHash,
    number: obs.number,
    timestamp: obs.timestamp,
    firstSeenMs: nowMs,
    firstSeenBy: node.name,
  };
  if (obs.chainwork !== undefined) candidate.chainwork = obs.chainwork;
  const added = addToTree(chain, candidate, plausible);
  if (added.conflict) {
    chain.counts.errors += 1;
    signals.push(
      detectIntegrity(
        chain,
        node,
        'conflicting_header',
        'conflicting_header',
        describeConflict(added.conflict, obs),
        {
          hash: obs.hash,
          number: obs.number,
        },
      ),
    );
    return false;
  }
  node.lastOkMs = nowMs;
  if (node.failingSinceMs !== undefined) {
    // Answering again: the node may count in the quorum at once.
    node.failingSinceMs = undefined;
    chain.quorumRecheckAtMs = chain.nowMs;
  }
  if (obs.latencyMs !== undefined) {
    const latency = detectRpcLatency(chain, node, obs.latencyMs);
    if (latency) signals.push(latency);
  }
  if (obs.type === 'block') {
    chain.counts.blocks += 1;
    return false;
  }
  chain.counts.heads += 1;
  const block = added.block;
  const previous = node.head;
  if (previous && previous.hash === block.hash) return false;
  if (
    node.integrityFailedAtMs !== undefined &&
    nowMs - node.integrityFailedAtMs >= chain.params.lag.graceMs
  ) {
    node.integrityFailedAtMs = undefined;
  }
  if (previous) {
    const extends_ = isAncestorOrSelf(chain, previous, block);
    if (extends_ === false || (extends_ === undefined && block.number <= previous.number)) {
      signals.push(detectReorg(chain, 'node', previous, block, nowMs, node));
    }
  }
  node.head = block;
  node.headChangedAtMs = nowMs;
  const propagation = detectPropagation(chain, node, block);
  if (propagation) signals.push(propagation);
  return updateCanonical(chain, signals, node, previous);
}

function updateCanonical(chain: ChainState, signals: Signal[], moved?: NodeView, previous?: Block): boolean {
  const old = chain.canonical;
  const next = fastCanonical(chain, moved, previous) ?? chooseCanonical(chain);
  if (!next || next === old) {
    measureQuorum(chain);
    pushIf(signals, detectQuorum(chain));
    detectNodes(chain, signals);
    return false;
  }
  let reorganized = false;
  if (!old) {
    chain.canonicalAdvancedAtMs = chain.nowMs;
  } else if (isAncestorOrSelf(chain, old, next) !== false) {
    if (next.number > old.number) chain.canonicalAdvancedAtMs = chain.nowMs;
  } else if (isAncestorOrSelf(chain, next, old) !== true) {
    // Neither an extension nor a step back along the same line: the canonical chain reorganized.
    reorganized = true;
    chain.canonicalAdvancedAtMs = chain.nowMs;
  }
  const wasBacked = chain.lineBacked;
  setCanonical(chain, next);
  measureQuorum(chain);
  if (old && reorganized) {
    signals.push(
      detectReorg(chain, 'chain', old, next, chain.nowMs, undefined, wasBacked ? undefined : NO_BACKERS),
    );
    chain.lineBacked = false;
  }
  chain.lineBacked ||= isCanonicalBacked(chain);
  pushIf(signals, detectQuorum(chain));
  detectNodes(chain, signals);
  prune(chain);
  return true;
}

/** Per node, against the canonical branch: a foreign chain, else a divergence. */
function detectNodes(chain: ChainState, signals: Signal[]): void {
  for (const node of chain.nodes.values()) {
    const foreign = detectForeignChain(chain, node);
    if (foreign) {
      signals.push(foreign);
      node.foreign = true;
      node.divergedSinceMs = undefined;
      chain.conditions.delete(node.keys.divergence);
      continue;
    }
    if (node.foreign) {
      if (!node.head || !isOnCanonicalBranch(chain, node.head)) continue;
      node.foreign = false;
    }
    pushIf(signals, detectDivergence(chain, node));
  }
}

/**
 * The common cases decided without a full choice: a healthy node moving from the canonical head
 * to its child extends the canonical line; a node catching up to the canonical head leaves it.
 */
function fastCanonical(chain: ChainState, moved?: NodeView, previous?: Block): Block | undefined {
  const old = chain.canonical;
  const head = moved?.head;
  if (!old || !head || !moved || !isHealthy(chain, moved)) return undefined;
  if (head === old) return old;
  if (previous === old && head.parentHash === old.hash) return head;
  return undefined;
}

function onCheckpoint(
  chain: ChainState,
  node: NodeView,
  obs: CheckpointObservation,
  signals: Signal[],
): void {
  chain.counts.checkpoints += 1;
  node.lastOkMs = chain.nowMs;
  if (node.failingSinceMs !== undefined) {
    // Answering again: the node may count in the quorum at once.
    node.failingSinceMs = undefined;
    chain.quorumRecheckAtMs = chain.nowMs;
  }
  const checkpoint: Checkpoint = { kind: obs.kind, hash: obs.hash, observedAtMs: chain.nowMs };
  if (obs.number !== undefined) checkpoint.number = obs.number;
  if (obs.epoch !== undefined) checkpoint.epoch = obs.epoch;
  const previous = node.checkpoints[obs.kind];
  node.checkpoints[obs.kind] = checkpoint;
  if (obs.kind !== 'finalized') return;
  if (!previous || previous.hash !== checkpoint.hash) pushIf(signals, detectFinalizedConflict(chain, node));
  advanceFinalized(chain);
}

/** Moves the chain's finalized checkpoint up to the quorum's; it never moves back. */
function advanceFinalized(chain: ChainState): void {
  const current = chain.finalized;
  const quorum = toQuorumFinalized(chain);
  if (!quorum || (current && compareCheckpoints(quorum, current) <= 0)) return;
  if (current) chain.finalizedAdvancedAtMs = chain.nowMs;
  chain.finalized = quorum;
}

function onError(chain: ChainState, node: NodeView, obs: ErrorObservation, signals: Signal[]): void {
  recordFailure(chain, node, `${obs.code}: ${obs.message}`);
  const check = SOURCE_CHECKS[obs.code];
  if (check !== undefined) signals.push(detectIntegrity(chain, node, obs.code, check, obs.message));
}

/**
 * Counts a failed answer of a node: its run of failures starts now unless one is under way, and
 * the quorum is measured again when the node's grace period ends.
 */
function recordFailure(chain: ChainState, node: NodeView, lastError: string): void {
  chain.counts.errors += 1;
  if (node.failingSinceMs === undefined) {
    node.failingSinceMs = chain.nowMs;
    const unhealthyAtMs = chain.nowMs + chain.params.lag.graceMs;
    if (unhealthyAtMs < chain.quorumRecheckAtMs) chain.quorumRecheckAtMs = unhealthyAtMs;
  }
  node.lastError = lastError;
}

/** Error codes of sources that verified something and found it false, and the check each names. */
const SOURCE_CHECKS: Readonly<Record<string, IntegrityCheck>> = Object.freeze({
  integrity: 'header_hash',
  pow: 'pow',
  state_proof: 'state_proof',
  light_client: 'light_client',
});

function detectOverTime(chain: ChainState, signals: Signal[]): void {
  // Nodes fall out of the quorum with time (unreachable, stale): measure it again when one may.
  if (chain.nowMs >= chain.quorumRecheckAtMs) measureQuorum(chain);
  chain.lineBacked ||= isCanonicalBacked(chain);
  pushIf(signals, detectQuorum(chain));
  detectMonitorPartition(chain, signals);
  pushIf(signals, detectLiveness(chain));
  pushIf(signals, detectFinality(chain));
  for (const node of chain.nodes.values()) {
    pushIf(signals, detectLag(chain, node));
    if (node.divergedSinceMs !== undefined) pushIf(signals, detectDivergence(chain, node));
  }
}

function evaluateBreakers(
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
    if (breaker.level === 'normal' && !hasDemands(state, breaker)) continue;
    const request = toLevelRequest(state, breaker, chain.nowMs);
    const transition = reduceBreaker(breaker, request, chain.nowMs, state.recovery, counts);
    if (transition) {
      if (transitions === NO_TRANSITIONS) transitions = [];
      transitions.push(transition);
    }
  }
  return transitions;
}

function hasDemands(state: EngineState, breaker: BreakerState): boolean {
  if (breaker.external) return true;
  for (const name of breaker.chains) {
    const chain = state.chains.get(name);
    if (chain && (chain.conditions.size > 0 || chain.holds.length > 0)) return true;
  }
  return false;
}

/**
 * The highest level asked for: by the rules over the breaker's chains' conditions and holds, and
 * by the breaker's external conditions.
 */
export function toLevelRequest(state: EngineState, breaker: BreakerState, nowMs: number): LevelRequest {
  const best: LevelRequest = { level: 'normal', reason: 'no active condition', causes: [] };
  let bestRank = 0;
  // Each ask raises the request, or adds its cause at the same level; the reason text is built only
  // for a new highest level (this runs on every tick while a breaker has demands).
  const ask = (level: Level, cause: string, signal: Signal | undefined, reason: string | undefined): void => {
    const rank = levelRank(level);
    if (rank === 0) return;
    if (rank > bestRank) {
      best.level = level;
      best.reason = signal ? `${signal.kind} ${signal.severity}: ${signal.message}` : (reason ?? '');
      best.causes = [cause];
      bestRank = rank;
    } else if (rank === bestRank && !best.causes.includes(cause)) {
      best.causes.push(cause);
    }
  };
  if (breaker.external) {
    for (const condition of breaker.external.values())
      ask(condition.level, condition.cause, undefined, condition.reason);
  }
  for (const name of breaker.chains) {
    const chain = state.chains.get(name);
    if (!chain) continue;
    for (const signal of chain.conditions.values())
      ask(toCappedLevel(state, signal), signal.kind, signal, undefined);
    if (chain.holds.length > 0) {
      if (chain.holds.some((hold) => hold.untilMs <= nowMs))
        chain.holds = chain.holds.filter((hold) => hold.untilMs > nowMs);
      for (const hold of chain.holds)
        ask(toCappedLevel(state, hold.signal), hold.signal.kind, hold.signal, undefined);
    }
  }
  return best;
}

/**
 * The level a signal asks for: none when it is the guard's own partition (seen from too few
 * locations), no higher than the uncorroborated level when it is uncorroborated.
 */
export function toCappedLevel(state: EngineState, signal: Signal): Level {
  if (signal.monitorPartition) return 'normal';
  const level = toRequestedLevel(state.rules, signal).level;
  return signal.uncorroborated && levelRank(level) > levelRank(state.uncorroboratedLevel)
    ? state.uncorroboratedLevel
    : level;
}

function pushIf(signals: Signal[], signal: Signal | undefined): void {
  if (signal) signals.push(signal);
}
