import { CodedError, type CodedErrorParameters } from '../core/codedError.ts';
import type { ErrorObservation, Observation } from '../core/observation.ts';

/**
 * The source port: something that watches one node (or a recorded log) and turns what it sees into
 * {@link Observation}s. A source never throws into its caller once started: every failure becomes an
 * `error` observation with one of the {@link SourceErrorCode}s.
 */
export type Source = {
  /** Node name, unique within its chain. */
  readonly name: string;
  /** Starts watching; resolves once the watch loop runs (not when the node first answers). */
  start(emit: (observation: Observation) => void): Promise<void>;
  /** Stops watching and releases sockets and timers; no observation is emitted after it resolves. */
  stop(): Promise<void>;
};

/** Wall-clock time for `observedAtMs`, injected so tests can control it. */
export type Clock = {
  /** Milliseconds since the Unix epoch. */
  nowMs(): number;
};

/** The clock of the machine. */
export const systemClock: Clock = { nowMs: () => Date.now() };

/**
 * Codes of `error` observations emitted by sources.
 * - `timeout`: no complete answer within the request timeout.
 * - `unreachable`: connection refused or dropped, DNS failure, socket closed.
 * - `http_status`: the server answered with a non-success HTTP status.
 * - `invalid_response`: the answer is not JSON, not JSON-RPC, of the wrong shape, or too large.
 * - `rpc_error`: the node answered with a JSON-RPC error object.
 * - `integrity`: the node served data that cannot be true (a header whose hash does not match it).
 * - `pow`: a Bitcoin-style header fails its proof of work, its `bits` break the retarget rule, or
 *   the node's chainwork is not the sum of its headers' work.
 * - `state_proof`: an `eth_getProof` answer does not verify against the block's state root.
 * - `light_client`: a beacon header or checkpoint fails light-client verification.
 * - `config`: the source was given parameters it cannot run with, or was started twice; thrown
 *   when it is created or started, never an observation.
 */
export const SOURCE_ERROR_CODES = [
  'timeout',
  'unreachable',
  'http_status',
  'invalid_response',
  'rpc_error',
  'integrity',
  'pow',
  'state_proof',
  'light_client',
  'config',
] as const;
export type SourceErrorCode = (typeof SOURCE_ERROR_CODES)[number];

/** True for the codes that mean the node could not be talked to: `timeout`, `unreachable`, `http_status`. */
export function isTransportErrorCode(code: string): boolean {
  return code === 'timeout' || code === 'unreachable' || code === 'http_status';
}

export type SourceErrorParameters = CodedErrorParameters<SourceErrorCode> & {
  /** Round trip of the failed request, in milliseconds, when measured. */
  latencyMs?: number;
};

/** The error type of every source: a code, a one-line message, the library error as `cause`. */
export class SourceError extends CodedError<SourceErrorCode> {
  override name = 'SourceError';
  readonly latencyMs: number | undefined;

  constructor({ latencyMs, ...rest }: SourceErrorParameters) {
    super(rest);
    this.latencyMs = latencyMs;
  }
}

/**
 * The `error` observation of a failure at a node: a {@link SourceError} with its code and short
 * message, anything else as `invalid_response` with its message after `where` (the redacted URL).
 */
export function toErrorObservation(
  error: unknown,
  at: { chain: string; node: string; client: string | undefined; observedAtMs: number; where: string },
): ErrorObservation {
  const e =
    error instanceof SourceError
      ? error
      : new SourceError({
          code: 'invalid_response',
          shortMessage: `${at.where}: ${(error as Error | undefined)?.message ?? 'error'}`,
          cause: error,
        });
  const observation: ErrorObservation = {
    type: 'error',
    chain: at.chain,
    node: at.node,
    code: e.code,
    message: e.shortMessage,
    observedAtMs: at.observedAtMs,
  };
  if (at.client !== undefined) observation.client = at.client;
  if (e.latencyMs !== undefined) observation.latencyMs = e.latencyMs;
  return observation;
}

/** The {@link SourceError} a source throws when it is given parameters it cannot run with. */
export function sourceConfigError(shortMessage: string): SourceError {
  return new SourceError({ code: 'config', shortMessage });
}
