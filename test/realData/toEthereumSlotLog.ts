import { createHash } from 'node:crypto';
import type { BlockObservation, Hash, Observation } from '../../src/core/observation.ts';

/** One beacon slot: its start and whether it has a canonical block. */
export type SlotRow = { slot: number; slotStartUnix: number; canonical: boolean };

export type SlotNode = {
  name: string;
  client: string /** Arrival after the slot start, ms. */;
  offsetMs: number;
};

export type ToEthereumSlotLogOptions = {
  /** Default `ethereum`. */
  chain?: string;
  /** Default three nodes of three clients, receiving blocks 1.2 s, 1.9 s and 2.6 s into the slot. */
  nodes?: readonly SlotNode[];
};

export const DEFAULT_SLOT_NODES: readonly SlotNode[] = Object.freeze([
  { name: 'lighthouse-1', client: 'Lighthouse', offsetMs: 1_200 },
  { name: 'prysm-1', client: 'Prysm', offsetMs: 1_900 },
  { name: 'teku-1', client: 'Teku', offsetMs: 2_600 },
]);

/**
 * Builds the observation log of a few Ethereum nodes over a window of beacon slots that says only
 * which slots have a canonical block (the May 2023 finality-incident files). Modelling choices
 * (test/realData/README.md):
 *
 * - Every node receives each canonical block at its slot start plus the node's offset, as a
 *   `head`; a slot without a canonical block (missed, or its block orphaned) emits no block.
 * - The files hold no hashes or block numbers: `hash` is SHA-256 of `ethereum-slot-<slot>`, the
 *   parent is the previous canonical block (the first block's parent is SHA-256 of
 *   `ethereum-slot-before-<slot>`), and `number` counts canonical blocks from 1 in the window.
 *   `timestamp` is the slot start, which is the real block timestamp after the Merge.
 * - A chain `tick` at every slot start, before that slot's blocks.
 * - No `checkpoint`: the files hold no finality data, and none is invented.
 */
export function toEthereumSlotLog(
  slots: readonly SlotRow[],
  options: ToEthereumSlotLogOptions = {},
): Observation[] {
  const chain = options.chain ?? 'ethereum';
  const nodes = options.nodes ?? DEFAULT_SLOT_NODES;
  const out: Observation[] = [];
  const first = slots[0];
  if (!first) return out;
  let parentHash = toSlotHash(`ethereum-slot-before-${first.slot}`);
  let number = 0n;
  const pending: BlockObservation[] = [];
  for (const row of slots) {
    const startMs = row.slotStartUnix * 1000;
    flushBefore(pending, startMs, out);
    out.push({ type: 'tick', chain, observedAtMs: startMs });
    if (!row.canonical) continue;
    number += 1n;
    const hash = toSlotHash(`ethereum-slot-${row.slot}`);
    for (const node of nodes) {
      pending.push({
        type: 'head',
        chain,
        node: node.name,
        client: node.client,
        number,
        hash,
        parentHash,
        timestamp: row.slotStartUnix,
        observedAtMs: startMs + node.offsetMs,
      });
    }
    parentHash = hash;
  }
  flushBefore(pending, Number.POSITIVE_INFINITY, out);
  return out;
}

function flushBefore(pending: BlockObservation[], beforeMs: number, out: Observation[]): void {
  pending.sort((a, b) => a.observedAtMs - b.observedAtMs);
  let taken = 0;
  while (taken < pending.length && pending[taken]!.observedAtMs < beforeMs) out.push(pending[taken++]!);
  pending.splice(0, taken);
}

function toSlotHash(text: string): Hash {
  return createHash('sha256').update(text).digest('hex');
}
