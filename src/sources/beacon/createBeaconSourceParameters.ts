import type { Logger } from '../../log/createLogger.ts';
import type { Clock } from '../source.ts';

/** What `createBeaconSource` watches, and how. */
export type CreateBeaconSourceParameters = {
  chain: string;
  node: string;
  /** Beacon API base URL, e.g. `http://127.0.0.1:5052`. */
  url: string;
  /** Interval of the REST poll of the head and the finality checkpoints (backs up the event stream), ms. Default 2000. */
  pollIntervalMs?: number;
  /** Time allowed for one request, ms. Default 5000. */
  requestTimeoutMs?: number;
  /** Most ancestors fetched to fill a gap or reach a fork point. Default 64. */
  maxBackfill?: number;
  /** Answers larger than this are refused, bytes. Default 1 MiB. */
  maxResponseBytes?: number;
  /**
   * Block root (0x-hex) the operator trusts, from the config, never from the node. When set, heads and
   * finalized checkpoints come only from light-client updates verified from this checkpoint
   * (createLightClientVerifier); one that fails is an `error` with code `light_client`.
   */
  trustedCheckpointRoot?: string;
  clock?: Clock;
  /** Where the source logs (the event stream's connections and reconnects); default nowhere. */
  logger?: Logger;
};
