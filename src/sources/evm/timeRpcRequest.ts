import { toRpcResult } from './toRpcResult.ts';
import { toSourceError } from './toSourceError.ts';

/**
 * One JSON-RPC round trip through `send` (HTTP or WebSocket): resolves with the answer's
 * unvalidated `result` and the round trip in milliseconds; throws every failure, the answer's
 * own error included, as a `SourceError` carrying the round trip.
 */
export async function timeRpcRequest(
  send: () => Promise<unknown>,
  at: { method: string; url: string; id: number },
): Promise<{ result: unknown; latencyMs: number }> {
  const startedAt = performance.now();
  try {
    const answer = await send();
    const latencyMs = Math.round(performance.now() - startedAt);
    return {
      result: toRpcResult(answer, { operation: at.method, url: at.url, id: at.id, latencyMs }),
      latencyMs,
    };
  } catch (error) {
    const latencyMs = Math.round(performance.now() - startedAt);
    throw toSourceError(error, { operation: at.method, url: at.url, latencyMs });
  }
}
