import { readLimitedBody } from '../readLimitedBody.ts';
import { SourceError } from '../source.ts';

export type FetchBeaconJsonParameters = {
  /** The node's base URL (may hold credentials) and its redacted form for messages. */
  base: string;
  redacted: string;
  timeoutMs: number;
  maxResponseBytes: number;
  /** Aborts the request when the source stops. */
  signal: AbortSignal;
};

/**
 * GETs `path` of a Beacon API node and parses its JSON answer, with the round trip in ms. Throws a
 * {@link SourceError}: `timeout`, `unreachable` (also an answer cut off), `http_status`, or
 * `invalid_response` (an answer too large or not JSON), each with its latency.
 */
export async function fetchBeaconJson(
  path: string,
  parameters: FetchBeaconJsonParameters,
): Promise<{ body: unknown; latencyMs: number }> {
  const started = performance.now();
  const at = `GET ${path} from ${parameters.redacted}`;
  const latency = () => Math.round(performance.now() - started);
  let response: Response;
  try {
    response = await fetch(`${parameters.base}${path}`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.any([AbortSignal.timeout(parameters.timeoutMs), parameters.signal]),
    });
  } catch (cause) {
    const timedOut = (cause as { name?: string }).name === 'TimeoutError';
    throw new SourceError({
      code: timedOut ? 'timeout' : 'unreachable',
      shortMessage: `${at}: ${timedOut ? 'no answer in time' : 'unreachable'}`,
      cause,
      latencyMs: latency(),
    });
  }
  const text = await readLimitedBody(response, parameters.maxResponseBytes).catch((cause: unknown) => {
    throw new SourceError({
      code: cause instanceof RangeError ? 'invalid_response' : 'unreachable',
      shortMessage: `${at}: ${cause instanceof RangeError ? 'answer too large' : 'answer cut off'}`,
      cause,
      latencyMs: latency(),
    });
  });
  if (!response.ok) {
    throw new SourceError({
      code: 'http_status',
      shortMessage: `${at}: HTTP status ${response.status}`,
      latencyMs: latency(),
    });
  }
  try {
    return { body: JSON.parse(text), latencyMs: latency() };
  } catch (cause) {
    throw new SourceError({
      code: 'invalid_response',
      shortMessage: `${at}: answer is not JSON`,
      cause,
      latencyMs: latency(),
    });
  }
}
