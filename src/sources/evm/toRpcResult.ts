import { SourceError } from '../source.ts';

/** Longest node error message kept in an observation, in characters. */
const maxMessageLength = 200;

export type ToRpcResultParameters = {
  /** What was asked, e.g. `eth_getBlockByNumber`, and of whom (redacted URL). */
  operation: string;
  url: string;
  /** The request id, checked against the answer's when the answer has one. */
  id?: number;
  latencyMs?: number;
};

/**
 * Unwraps a JSON-RPC 2.0 answer: returns its `result`, or throws a {@link SourceError} with code
 * `rpc_error` (the node sent an error object) or `invalid_response` (anything else: not an object,
 * a wrong id, neither `result` nor `error`).
 */
export function toRpcResult(
  answer: unknown,
  { operation, url, id, latencyMs }: ToRpcResultParameters,
): unknown {
  const at = `${operation} to ${url}`;
  const timing = latencyMs === undefined ? {} : { latencyMs };
  const invalid = (reason: string) =>
    new SourceError({ ...timing, code: 'invalid_response', shortMessage: `${at}: ${reason}` });
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
    throw invalid('answer is not a JSON-RPC object');
  }
  const record = answer as Record<string, unknown>;
  if (id !== undefined && 'id' in record && record.id !== id) {
    throw invalid('answer id does not match the request');
  }
  if ('error' in record && record.error !== undefined && record.error !== null) {
    const error = record.error;
    if (typeof error !== 'object' || Array.isArray(error)) throw invalid('malformed error object');
    const { code, message } = error as { code?: unknown; message?: unknown };
    const text = typeof message === 'string' ? message.slice(0, maxMessageLength) : 'no message';
    const codeText = typeof code === 'number' && Number.isInteger(code) ? ` ${code}` : '';
    throw new SourceError({
      ...timing,
      code: 'rpc_error',
      shortMessage: `${at}: node error${codeText}: ${text}`,
    });
  }
  if (!('result' in record)) throw invalid('answer has neither result nor error');
  return record.result;
}
