import {
  type Abi,
  BaseError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  ExecutionRevertedError,
  HttpRequestError,
  TimeoutError,
  WaitForTransactionReceiptTimeoutError,
} from 'viem';
import { OnchainGuardError } from './onchainGuardError.ts';

export type ToOnchainGuardErrorParameters = {
  /** What was being done, e.g. `setLevel on 0x…`. */
  operation: string;
  /** The node URL, already redacted. */
  url: string;
  /** Decodes custom errors in raw revert data (deployments, which viem does not decode). */
  abi?: Abi;
};

/**
 * Maps a failure of a call or transaction to the guard (a viem error, a network error) to an
 * {@link OnchainGuardError} with a code, the redacted URL in its message and the original as `cause`.
 */
export function toOnchainGuardError(
  error: unknown,
  { operation, url, abi }: ToOnchainGuardErrorParameters,
): OnchainGuardError {
  if (error instanceof OnchainGuardError) return error;
  const at = `${operation} via ${url}`;
  const reverted = findCause(error, ContractFunctionRevertedError);
  if (reverted || findCause(error, ExecutionRevertedError)) {
    const errorName = reverted?.data?.errorName ?? reverted?.reason ?? decodeRevert(error, abi) ?? 'unknown';
    return new OnchainGuardError({
      code: 'reverted',
      shortMessage: `${at}: the contract refused`,
      details: errorName,
      errorName,
      cause: error,
    });
  }
  if (findCause(error, WaitForTransactionReceiptTimeoutError) || findCause(error, TimeoutError)) {
    return new OnchainGuardError({ code: 'timeout', shortMessage: `${at}: no answer in time`, cause: error });
  }
  const http = findCause(error, HttpRequestError);
  if (http) {
    const reason = http.status === undefined ? 'node unreachable' : `HTTP status ${http.status}`;
    return new OnchainGuardError({ code: 'unreachable', shortMessage: `${at}: ${reason}`, cause: error });
  }
  const reason =
    error instanceof BaseError ? error.shortMessage : error instanceof Error ? error.name : typeof error;
  return new OnchainGuardError({
    code: 'send_failed',
    shortMessage: `${at}: failed`,
    details: reason,
    cause: error,
  });
}

function decodeRevert(error: unknown, abi: Abi | undefined): string | undefined {
  if (!abi) return undefined;
  let current = error;
  for (let depth = 0; depth < 10 && current !== undefined && current !== null; depth += 1) {
    const data = (current as { data?: unknown }).data;
    if (typeof data === 'string' && /^0x[0-9a-fA-F]{8}/.test(data)) {
      try {
        return decodeErrorResult({ abi, data: data as `0x${string}` }).errorName;
      } catch {
        return undefined;
      }
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function findCause<T>(error: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  let current = error;
  for (let depth = 0; depth < 10 && current !== undefined && current !== null; depth += 1) {
    if (current instanceof type) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
