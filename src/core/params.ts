/**
 * Chain parameters: the block-time model and every detector's thresholds, with presets for
 * chain kinds. Every field can be overridden (see {@link toChainParams}).
 */

import { CodedError } from './codedError.ts';

/**
 * How blocks arrive.
 * - `slots`: proof of stake with fixed slots; a slot may be missed.
 * - `exponential`: proof of work; gaps between blocks are exponential with the given mean.
 */
export type BlockTimeModel =
  | { kind: 'slots'; slotMs: number; slotsPerEpoch: number }
  | { kind: 'exponential'; meanBlockMs: number };

/**
 * Proof of work of a Bitcoin-style chain, checked by its sources on every header they serve.
 * When a chain has it, the canonical head is the counted head with the most verified chainwork
 * (node weight only breaks ties, or decides among heads whose chainwork is not verified).
 */
export type ProofOfWork = {
  /** `sha256d`: double SHA-256 (Bitcoin); `scrypt`: scrypt N=1024, r=1, p=1 (Litecoin). */
  algorithm: 'sha256d' | 'scrypt';
  /**
   * `fixed`: every header carries `powLimitBits` (regtest); `interval`: `bits` equals the parent's
   * except at heights that are multiples of `retargetInterval`, where the target moves by at most
   * a factor of 4 (Bitcoin and Litecoin mainnet).
   */
  retarget: 'fixed' | 'interval';
  /** Blocks between retargets (2016 on Bitcoin and Litecoin). */
  retargetInterval: number;
  /** Compact `bits` of the easiest target the chain allows (regtest `0x207fffff`). */
  powLimitBits: number;
};

export type ChainParams = {
  /** The preset these parameters started from. */
  preset: string;
  /** Present on Bitcoin-style chains whose proof of work is verified; see {@link ProofOfWork}. */
  pow?: ProofOfWork;
  blockTime: BlockTimeModel;
  reorg: {
    /** Depth at or above which a chain-level reorg is a `warning` (shallower ones are `info`). */
    warningDepth: number;
    /** Depth at or above which a chain-level reorg is `critical`. */
    criticalDepth: number;
  };
  liveness: {
    /** Slot chains: consecutive missed slots tolerated before a `warning`. */
    maxMissedSlots: number;
    /** Slot chains: slots without a head before `critical` (a chain halt). */
    criticalMissedSlots: number;
    /** Exponential chains: false-alarm probability of the `warning` threshold, P(gap > t). */
    warningFalseAlarm: number;
    /** Exponential chains: false-alarm probability of the `critical` threshold. */
    criticalFalseAlarm: number;
  };
  finality: {
    /** Whether the chain finalizes at all. Without finality the finality detector stays quiet. */
    enabled: boolean;
    /** Epochs without finality before a `warning` (slot chains; 2 is normal on Ethereum). */
    warningEpochs: number;
    /** Epochs without finality before `critical`. */
    criticalEpochs: number;
    /** Milliseconds without the finalized checkpoint advancing before a `warning` (any chain). */
    warningAgeMs: number;
    /** Milliseconds without the finalized checkpoint advancing before `critical`. */
    criticalAgeMs: number;
  };
  divergence: {
    /** Blocks a node may be on another branch (either side of the fork) before a signal. */
    toleranceBlocks: number;
    /** Milliseconds a node may be on another branch before a signal. */
    toleranceMs: number;
    /**
     * Milliseconds a node must stay on another branch before the block tolerance counts: during a
     * reorg the nodes switch one after another, and the first to switch is briefly alone.
     */
    settleMs: number;
    /** Branch length past the fork at which the divergence becomes `critical`. */
    criticalBlocks: number;
  };
  lag: {
    /** Blocks behind the canonical head tolerated. */
    maxBlocks: number;
    /** Milliseconds a node may stay behind (or fail every request) before a signal. */
    graceMs: number;
  };
  latency: {
    /** RPC round trip above which a request is an outlier, in milliseconds. */
    rpcThresholdMs: number;
    /** Delay between the first node seeing a block and this node seeing it, in milliseconds. */
    propagationThresholdMs: number;
  };
  /** Blocks kept below the canonical head when no finality prunes them (memory bound). */
  pruneDepth: number;
  quorum: {
    /**
     * Share of the healthy nodes' weight that the canonical branch, and the finalized checkpoint,
     * must hold: strictly more than this (0.5, a majority). Without it the chain has no quorum.
     */
    fraction: number;
    /**
     * Nodes that must back a claim (a chain reorg, a halt, a finality stall, a divergence, a
     * finalized conflict) before it moves a breaker above the uncorroborated level (`caution`).
     * A chain watched through fewer nodes needs all of them.
     */
    minNodes: number;
    /** Milliseconds without a quorum before the `quorum` signal (a one-block race is no loss). */
    toleranceMs: number;
    /**
     * Watcher locations that must see a chain-level failure before it moves a breaker, on a chain
     * watched from several places; 0 means a majority of the locations seen. A failure seen from
     * fewer is the guard's own trouble: `monitor_partition`, an alert that moves no breaker.
     */
    minLocations: number;
  };
  /**
   * A head more than this many blocks above what the canonical head could have reached since it
   * was seen (one block per slot, or per tenth of the mean proof-of-work interval) is refused as
   * implausible: an `integrity` signal for that node, and the block stays out of the tree.
   */
  maxAheadBlocks: number;
  /** Weight of each node in the canonical head choice; nodes not listed weigh 1. */
  weights: Record<string, number>;
};

export type ChainParamsOverrides = {
  preset?: string;
  pow?: ProofOfWork;
  blockTime?: BlockTimeModel;
  reorg?: Partial<ChainParams['reorg']>;
  liveness?: Partial<ChainParams['liveness']>;
  finality?: Partial<ChainParams['finality']>;
  divergence?: Partial<ChainParams['divergence']>;
  lag?: Partial<ChainParams['lag']>;
  latency?: Partial<ChainParams['latency']>;
  pruneDepth?: number;
  quorum?: Partial<ChainParams['quorum']>;
  maxAheadBlocks?: number;
  weights?: Record<string, number>;
};

const ethereum: ChainParams = {
  preset: 'ethereum',
  blockTime: { kind: 'slots', slotMs: 12_000, slotsPerEpoch: 32 },
  reorg: { warningDepth: 2, criticalDepth: 5 },
  liveness: { maxMissedSlots: 3, criticalMissedSlots: 32, warningFalseAlarm: 1e-6, criticalFalseAlarm: 1e-9 },
  finality: {
    enabled: true,
    warningEpochs: 3,
    criticalEpochs: 6,
    warningAgeMs: 3 * 32 * 12_000,
    criticalAgeMs: 6 * 32 * 12_000,
  },
  divergence: { toleranceBlocks: 2, toleranceMs: 36_000, settleMs: 4_000, criticalBlocks: 4 },
  lag: { maxBlocks: 3, graceMs: 36_000 },
  latency: { rpcThresholdMs: 2_000, propagationThresholdMs: 4_000 },
  pruneDepth: 256,
  quorum: { fraction: 0.5, minNodes: 2, toleranceMs: 36_000, minLocations: 0 },
  maxAheadBlocks: 1_000,
  weights: {},
};

const bitcoin: ChainParams = {
  preset: 'bitcoin',
  blockTime: { kind: 'exponential', meanBlockMs: 600_000 },
  reorg: { warningDepth: 2, criticalDepth: 6 },
  liveness: { maxMissedSlots: 0, criticalMissedSlots: 0, warningFalseAlarm: 1e-6, criticalFalseAlarm: 1e-9 },
  finality: { enabled: false, warningEpochs: 0, criticalEpochs: 0, warningAgeMs: 0, criticalAgeMs: 0 },
  divergence: { toleranceBlocks: 2, toleranceMs: 1_200_000, settleMs: 60_000, criticalBlocks: 6 },
  lag: { maxBlocks: 1, graceMs: 1_200_000 },
  latency: { rpcThresholdMs: 5_000, propagationThresholdMs: 60_000 },
  pruneDepth: 288,
  quorum: { fraction: 0.5, minNodes: 2, toleranceMs: 1_200_000, minLocations: 0 },
  maxAheadBlocks: 1_000,
  weights: {},
};

const devnet: ChainParams = {
  preset: 'devnet',
  blockTime: { kind: 'slots', slotMs: 1_000, slotsPerEpoch: 4 },
  reorg: { warningDepth: 2, criticalDepth: 5 },
  liveness: { maxMissedSlots: 3, criticalMissedSlots: 8, warningFalseAlarm: 1e-6, criticalFalseAlarm: 1e-9 },
  finality: {
    enabled: true,
    warningEpochs: 4,
    criticalEpochs: 8,
    warningAgeMs: 30_000,
    criticalAgeMs: 60_000,
  },
  divergence: { toleranceBlocks: 2, toleranceMs: 3_000, settleMs: 500, criticalBlocks: 4 },
  lag: { maxBlocks: 3, graceMs: 3_000 },
  latency: { rpcThresholdMs: 1_000, propagationThresholdMs: 2_000 },
  pruneDepth: 256,
  quorum: { fraction: 0.5, minNodes: 2, toleranceMs: 3_000, minLocations: 0 },
  maxAheadBlocks: 1_000,
  weights: {},
};

/** Built-in presets. `devnet` is a local EVM devnet mining about one block a second (Anvil, Hardhat). */
export const PRESETS: Readonly<Record<string, ChainParams>> = Object.freeze({ ethereum, bitcoin, devnet });

export function isPresetName(name: string): boolean {
  return Object.hasOwn(PRESETS, name);
}

/**
 * Builds parameters from a preset and overrides. Throws a {@link CodedError} with code
 * `unknown_preset` on an unknown preset.
 */
export function toChainParams(presetName: string, overrides: ChainParamsOverrides = {}): ChainParams {
  const base = PRESETS[presetName];
  if (!base) {
    throw new CodedError({
      code: 'unknown_preset',
      shortMessage: `unknown preset "${presetName}": use one of ${Object.keys(PRESETS).join(', ')}`,
    });
  }
  const pow = overrides.pow ?? base.pow;
  return {
    ...(pow === undefined ? {} : { pow: { ...pow } }),
    preset: overrides.preset ?? base.preset,
    blockTime: overrides.blockTime ?? base.blockTime,
    reorg: { ...base.reorg, ...overrides.reorg },
    liveness: { ...base.liveness, ...overrides.liveness },
    finality: { ...base.finality, ...overrides.finality },
    divergence: { ...base.divergence, ...overrides.divergence },
    lag: { ...base.lag, ...overrides.lag },
    latency: { ...base.latency, ...overrides.latency },
    pruneDepth: overrides.pruneDepth ?? base.pruneDepth,
    quorum: { ...base.quorum, ...overrides.quorum },
    maxAheadBlocks: overrides.maxAheadBlocks ?? base.maxAheadBlocks,
    weights: { ...base.weights, ...overrides.weights },
  };
}
