import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { EngineState } from '../../engine/step.ts';
import type { SnapshotInput } from '../../store/store.ts';
import { encodeGraph } from './encodeGraph.ts';

/**
 * Format version of engine snapshots. Bump it whenever the shape of `EngineState` (or of anything
 * it holds: chain view, nodes, conditions, breakers) changes: a snapshot of another version is
 * skipped and the log replayed in full.
 */
export const ENGINE_SNAPSHOT_VERSION = 3;

/**
 * The engine state as a snapshot body: {@link encodeGraph} (Maps, bigints and shared references
 * between blocks, heads and signals kept), as JSON, gzipped; with its SHA-256 as the checksum.
 */
export function toEngineSnapshot(
  state: EngineState,
  parameters: { configHash: string; atMs: number },
): SnapshotInput {
  const body = gzipSync(JSON.stringify(encodeGraph(state)), { level: 1 });
  return {
    formatVersion: ENGINE_SNAPSHOT_VERSION,
    configHash: parameters.configHash,
    checksum: createHash('sha256').update(body).digest('hex'),
    atMs: parameters.atMs,
    body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
  };
}
