import { CodedError } from '../core/codedError.ts';

/**
 * Codes of {@link ServiceError}:
 * - `unknown_breaker`: an override or resume names no breaker of the engine.
 * - `not_started`: a command arrived before `start()` finished or after `stop()`.
 * - `already_started`: `start()` was called a second time.
 * - `duplicate_sink`: two sinks have the same name (the outbox key).
 * - `store_unavailable`: the store cannot write (disk full, I/O error): a command is refused, or was
 *   not stored within the service's `commitTimeoutMs`.
 * - `not_leader`: a cluster member that is not the leader (a follower, a watcher, or a leader that
 *   was fenced out) was given a command: send it to the leader (`GET /api/cluster`).
 */
export type ServiceErrorCode =
  | 'unknown_breaker'
  | 'not_started'
  | 'already_started'
  | 'duplicate_sink'
  | 'store_unavailable'
  | 'not_leader';

/** An error of the durable guard's commands; the HTTP layer maps `code` to a status. */
export class ServiceError extends CodedError<ServiceErrorCode> {
  override name = 'ServiceError';

  constructor(code: ServiceErrorCode, message: string, options: { cause?: unknown } = {}) {
    super({ code, shortMessage: message, cause: options.cause });
  }
}
