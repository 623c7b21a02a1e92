import { CodedError, type CodedErrorParameters } from '../../core/codedError.ts';

/**
 * Codes of {@link OnchainGuardError}:
 * - `config`: the keeper's configuration is unusable (missing or malformed key, bad address or id,
 *   a heartbeat interval that is not a positive number).
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

export type OnchainGuardErrorParameters = CodedErrorParameters<OnchainGuardErrorCode> & {
  /** The contract error's name when the guard reverted, e.g. `NotKeeper`. */
  errorName?: string;
};

/** The error of the on-chain guard's keeper: a code, a one-line message, the library error as `cause`. */
export class OnchainGuardError extends CodedError<OnchainGuardErrorCode> {
  override name = 'OnchainGuardError';
  readonly errorName: string | undefined;

  constructor({ errorName, ...rest }: OnchainGuardErrorParameters) {
    super(rest);
    this.errorName = errorName;
  }
}
