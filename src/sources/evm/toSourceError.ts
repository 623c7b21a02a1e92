import {
  HttpRequestError,
  ResponseBodyTooLargeError,
  RpcRequestError,
  SocketClosedError,
  TimeoutError,
  WebSocketRequestError,
} from 'viem';
import { SourceError } from '../source.ts';

export type ToSourceErrorParameters = {
  /** What was being done, e.g. `eth_getBlockByNumber`. */
  operation: string;
  /** The node URL, already redacted. */
  url: string;
  latencyMs?: number;
};

/**
 * Maps any failure of a request to a node (a viem error, a socket event, a parse error) to a
 * {@link SourceError} with a code, the redacted URL in its message and the original as `cause`.
 */
export function toSourceError(
  error: unknown,
  { operation, url, latencyMs }: ToSourceErrorParameters,
): SourceError {
  if (error instanceof SourceError) return error;
  const at = `${operation} to ${url}`;
  const base = latencyMs === undefined ? { cause: error } : { cause: error, latencyMs };
  if (error instanceof TimeoutError) {
    return new SourceError({ ...base, code: 'timeout', shortMessage: `${at}: no answer in time` });
  }
  if (error instanceof ResponseBodyTooLargeError) {
    return new SourceError({ ...base, code: 'invalid_response', shortMessage: `${at}: answer too large` });
  }
  if (error instanceof RpcRequestError || (error instanceof HttpRequestError && error.status !== undefined)) {
    const status = (error as { status?: number }).status;
    return new SourceError({ ...base, code: 'http_status', shortMessage: `${at}: HTTP status ${status}` });
  }
  if (hasCause(error, (e) => e instanceof SyntaxError)) {
    return new SourceError({ ...base, code: 'invalid_response', shortMessage: `${at}: answer is not JSON` });
  }
  if (
    error instanceof HttpRequestError ||
    error instanceof SocketClosedError ||
    error instanceof WebSocketRequestError ||
    isEvent(error)
  ) {
    const reason = describeNetworkError(error);
    return new SourceError({ ...base, code: 'unreachable', shortMessage: `${at}: ${reason}` });
  }
  const name = error instanceof Error ? error.name : typeof error;
  return new SourceError({ ...base, code: 'unreachable', shortMessage: `${at}: failed (${name})` });
}

function hasCause(error: unknown, test: (e: unknown) => boolean): boolean {
  let current = error;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth += 1) {
    if (test(current)) return true;
    const next = current as { cause?: unknown; error?: unknown };
    current = next.cause ?? (isEvent(current) ? next.error : undefined);
  }
  return false;
}

function describeNetworkError(error: unknown): string {
  let code: string | undefined;
  hasCause(error, (e) => {
    const value = (e as { code?: unknown }).code;
    if (typeof value === 'string' && /^E[A-Z_]+$/.test(value)) code = value;
    return code !== undefined;
  });
  if (code) return `connection failed (${code})`;
  if (error instanceof SocketClosedError) return 'socket closed';
  return 'connection failed';
}

function isEvent(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'type' in error && 'target' in error;
}
