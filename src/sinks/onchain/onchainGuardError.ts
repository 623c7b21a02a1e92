import { walkCause } from '../../core/walkCause.ts';

/**
 * Codes of {@link OnchainGuardError}:
 * - `config`: the keeper's configuration is unusable (missing or malformed key, bad address or id).
 * - `unreachable`: the node did not answer (connection refused or dropped, HTTP error status).
 * - `timeout`: no answer, or no receipt with the required confirmations, within `timeoutMs`.
 * - `reverted`: the guard refused the call for a reason other than a stale sequence number
 *   (e.g. `NotKeeper`); `details` names the contract error.
 * - `send_failed`: the node refused the transaction (funds, nonce, gas) or it failed otherwise.
 */
export const ONCHAIN_GUARD_ERROR_CODES = [
  'config',
  'unreachable',
  'timeout',
  'reverted',
  'send_failed',
] as const;
export type OnchainGuardErrorCode = (typeof ONCHAIN_GUARD_ERROR_CODES)[number];

export type OnchainGuardErrorParameters = {
  code: OnchainGuardErrorCode;
  /** One line for humans, without credentials. */
  shortMessage: string;
  details?: string;
  cause?: unknown;
  /** The contract error's name when the guard reverted, e.g. `NotKeeper`. */
  errorName?: string;
};

/** The error of the on-chain guard's keeper: a code, a one-line message, the library error as `cause`. */
export class OnchainGuardError extends Error {
  override name = 'OnchainGuardError';
  readonly code: OnchainGuardErrorCode;
  readonly shortMessage: string;
  readonly details: string | undefined;
  readonly errorName: string | undefined;

  constructor({ code, shortMessage, details, cause, errorName }: OnchainGuardErrorParameters) {
    super(
      details ? `${shortMessage}: ${details}` : shortMessage,
      cause === undefined ? undefined : { cause },
    );
    this.code = code;
    this.shortMessage = shortMessage;
    this.details = details;
    this.errorName = errorName;
  }

  /** Walks the `cause` chain; returns the deepest error, or the first for which `fn` is true. */
  walk(fn?: (error: unknown) => boolean): unknown {
    return walkCause(this, fn);
  }
}
