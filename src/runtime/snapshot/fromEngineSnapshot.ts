import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { EngineState } from '../../engine/step.ts';
import type { StoredSnapshot } from '../../store/store.ts';
import { decodeGraph } from './decodeGraph.ts';
import type { GraphNode } from './encodeGraph.ts';
import { ENGINE_SNAPSHOT_VERSION } from './toEngineSnapshot.ts';

export type FromEngineSnapshotReturnType =
  | {
      ok: true;
      /** A new state each call, all equal: the decoded tree, decoded again. */
      restore: () => EngineState;
    }
  | { ok: false; reason: string };

/**
 * Checks a stored snapshot against this program (format version) and this engine (configuration
 * hash) and its own checksum, and decodes it; says why not when it cannot be used. Never throws.
 */
export function fromEngineSnapshot(
  snapshot: StoredSnapshot,
  configHash: string,
): FromEngineSnapshotReturnType {
  if (snapshot.formatVersion !== ENGINE_SNAPSHOT_VERSION) {
    return {
      ok: false,
      reason: `it has format version ${snapshot.formatVersion}, this program reads ${ENGINE_SNAPSHOT_VERSION}`,
    };
  }
  if (snapshot.configHash !== configHash) {
    return { ok: false, reason: 'it was made with another engine configuration' };
  }
  const checksum = createHash('sha256').update(snapshot.body).digest('hex');
  if (checksum !== snapshot.checksum) return { ok: false, reason: 'it is corrupt (checksum mismatch)' };
  let tree: GraphNode;
  try {
    tree = JSON.parse(gunzipSync(snapshot.body).toString('utf8')) as GraphNode;
    const state = decodeGraph(tree) as EngineState;
    if (!(state.chains instanceof Map) || !(state.breakers instanceof Map)) {
      return { ok: false, reason: 'it is corrupt (not an engine state)' };
    }
  } catch (error) {
    return { ok: false, reason: `it is corrupt (${(error as Error).message})` };
  }
  return { ok: true, restore: () => decodeGraph(tree) as EngineState };
}
