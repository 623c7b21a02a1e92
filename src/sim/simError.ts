import { CodedError } from '../core/codedError.ts';

/**
 * Codes of {@link SimError}:
 * - `unknown_scenario`: no scenario of the library has the name given.
 * - `invalid_scenario`: a scenario is broken: its consensus and block-time model do not fit, or it
 *   names a node or producer it does not have.
 */
export type SimErrorCode = 'unknown_scenario' | 'invalid_scenario';

/** An error of the simulator: an unknown scenario name or a broken scenario. */
export class SimError extends CodedError<SimErrorCode> {
  override name = 'SimError';

  constructor(code: SimErrorCode, message: string, options: { cause?: unknown } = {}) {
    super({ code, shortMessage: message, cause: options.cause });
  }
}
