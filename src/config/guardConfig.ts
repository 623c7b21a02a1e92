import type { Address, Hex } from 'viem';
import type { ProofOfWork } from '../core/params.ts';
import type { EngineConfig } from '../engine/config.ts';
import type { WebhookShape } from '../sinks/webhook/toWebhookBody.ts';
import type { StateProofConfig } from './toStateProofConfig.ts';

export const NODE_KINDS = ['evm', 'beacon', 'bitcoin'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export type NodeConfig = {
  name: string;
  kind: NodeKind;
  /** URL with environment variables expanded. Holds secrets: never print it, use `displayUrl`. */
  url: string;
  /** The URL without credentials, for logs and errors. */
  displayUrl: string;
  weight: number;
  pollIntervalMs?: number;
  requestTimeoutMs?: number;
  username?: string;
  password?: string;
  headers?: Record<string, string>;
  /** Bitcoin-style nodes: the chain's proof of work (`params.pow`), verified on every header. */
  pow?: ProofOfWork;
  /**
   * Beacon nodes: the block root the operator trusts (0x-hex, lower case); the node is then checked
   * with the light-client protocol from this checkpoint (docs/sources.md, `check: light_client`).
   */
  trustedCheckpointRoot?: string;
};

/** A webhook that receives every breaker transition (docs/service.md). */
export type WebhookSinkConfig = {
  name: string;
  kind: 'webhook';
  /** URL with environment variables expanded. May hold secrets: print `displayUrl`. */
  url: string;
  displayUrl: string;
  shape: WebhookShape;
  /** Signing secret (`whsec_…`, or raw), from the `secretEnv` variable. */
  secret?: string;
  /** PagerDuty integration key, from the `routingKeyEnv` variable. */
  routingKey?: string;
  timeoutMs?: number;
};

/** The keeper of an on-chain `ConsensusGuard`: writes every breaker transition into it (docs/onchain.md). */
export type OnchainSinkConfig = {
  name: string;
  kind: 'onchain';
  /** JSON-RPC URL of the guard's chain, environment variables expanded. May hold secrets: print `displayUrl`. */
  rpcUrl: string;
  displayUrl: string;
  /** The `ConsensusGuard`'s address, with its EIP-55 checksum. */
  guardAddress: Address;
  /** Name of the environment variable that holds the keeper's key. */
  privateKeyEnv: string;
  /** The keeper's private key (32 bytes), from `privateKeyEnv`. Never print it. */
  privateKey: Hex;
  /** Breaker name -> market id (32 bytes). */
  markets: Record<string, Hex>;
  confirmations?: number;
  timeoutMs?: number;
  /** Milliseconds between the keeper's heartbeats to the guard (its dead-man switch); 0 sends none.
   * Absent: the keeper's default, 60 000. */
  heartbeatIntervalMs?: number;
};

export type SinkConfig = WebhookSinkConfig | OnchainSinkConfig;

export type GuardConfig = {
  engine: EngineConfig;
  nodes: Record<string, NodeConfig[]>;
  /** Where breaker transitions go (empty when the file has no `sinks`). */
  sinks: readonly SinkConfig[];
  /** Per EVM chain, the accounts and storage slots proved against the agreed block (empty when none). */
  stateProofs: Record<string, StateProofConfig>;
  /** The durable store, as the file's `store:` section gives it (every member absent without one). */
  store: StoreConfig;
};

/**
 * `store:` of a config file. `kind` (default `sqlite`): `sqlite` in `dataDir`, `postgres` at the URL
 * in the environment variable `urlEnv` (`url`, a secret: print `displayUrl`), or `memory`.
 */
export type StoreConfig = {
  kind?: 'sqlite' | 'postgres' | 'memory';
  dataDir?: string;
  urlEnv?: string;
  /** The PostgreSQL URL read from `urlEnv`. Never print it: it may hold the password. */
  url?: string;
  /** `url` with any password redacted. */
  displayUrl?: string;
};
