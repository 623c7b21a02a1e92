import type { Observation } from '../../core/observation.ts';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Writes an observation as one line of an observation log (docs/formats.md), without the line
 * break. Fields come in the documented order; a `bigint` `number` is a JSON number when it is a
 * safe integer and a decimal string otherwise; hashes are written as stored (lower-case hex without
 * `0x`); optional fields only when present. {@link parseObservation} reads the line back to an
 * equal observation.
 *
 * @example
 * toObservationLine({ type: 'tick', chain: 'bitcoin', observedAtMs: 1700000000000 })
 * // '{"type":"tick","chain":"bitcoin","observedAtMs":1700000000000}'
 */
export function toObservationLine(observation: Observation): string {
  const line = toLineWithoutLocation(observation);
  // Where it was observed (a watcher's location): optional, last, passed through as it is.
  const location = (observation as { location?: unknown }).location;
  return typeof location === 'string' ? `${line.slice(0, -1)},"location":${JSON.stringify(location)}}` : line;
}

function toLineWithoutLocation(observation: Observation): string {
  switch (observation.type) {
    case 'head':
    case 'block':
      return JSON.stringify({
        type: observation.type,
        chain: observation.chain,
        node: observation.node,
        client: observation.client,
        number: toJsonNumber(observation.number),
        hash: observation.hash,
        parentHash: observation.parentHash,
        timestamp: observation.timestamp,
        observedAtMs: observation.observedAtMs,
        latencyMs: observation.latencyMs,
        chainwork: observation.chainwork?.toString(),
      });
    case 'checkpoint':
      return JSON.stringify({
        type: observation.type,
        chain: observation.chain,
        node: observation.node,
        client: observation.client,
        number: observation.number === undefined ? undefined : toJsonNumber(observation.number),
        hash: observation.hash,
        observedAtMs: observation.observedAtMs,
        kind: observation.kind,
        epoch: observation.epoch,
      });
    case 'error':
      return JSON.stringify({
        type: observation.type,
        chain: observation.chain,
        node: observation.node,
        client: observation.client,
        observedAtMs: observation.observedAtMs,
        code: observation.code,
        message: observation.message,
        latencyMs: observation.latencyMs,
      });
    case 'tick':
      return JSON.stringify({
        type: observation.type,
        chain: observation.chain,
        observedAtMs: observation.observedAtMs,
      });
  }
}

function toJsonNumber(value: bigint): number | string {
  return value <= MAX_SAFE && value >= 0n ? Number(value) : value.toString();
}
