import type { BlockObservation, Hash, Observation } from '../../src/core/observation.ts';

/** One row of a block-arrival-times file: a node received (connected) a block. */
export type ArrivalRow = { height: bigint; hash: Hash; arrivalMs: number };

/** A stale block's decoded header (bitcoin-data/stale-blocks). */
export type StaleHeader = { height: bigint; hash: Hash; prevHash: Hash; timestamp: number };

export type BitcoinArrivalInput = {
  nodes: ReadonlyArray<{ name: string; arrivals: readonly ArrivalRow[] }>;
  staleHeaders: readonly StaleHeader[];
};

export type ToBitcoinArrivalLogOptions = {
  /** Default `bitcoin`. */
  chain?: string;
  /** Default `bitcoin-core`. */
  client?: string;
  /** A chain tick every this many ms of data time, on multiples of it. Default 60 000. */
  tickMs?: number;
  /**
   * Ancestors emitted as `block` observations when a node's head jumps over heights it has no
   * arrival for, as the Bitcoin source's parent walk-back does (its `maxBackfill`). Default 64.
   */
  maxBackfill?: number;
};

type Header = { number: bigint; hash: Hash; parentHash: Hash; timestamp: number };

/**
 * Builds the observation log of Bitcoin nodes from their block arrival times
 * (bitcoin-data/block-arrival-times) and the headers of the stale blocks among them
 * (bitcoin-data/stale-blocks). Modelling choices (test/realData/README.md):
 *
 * - A hash in a node's file that is not a stale block is canonical; the parent of the canonical
 *   block at h is the canonical block at h - 1, so the lowest height, whose parent is unknown, is
 *   left out. A stale block's parent is the `prevHash` of its header.
 * - Header times of canonical blocks are not in the files: `timestamp` is the first arrival at any
 *   node, in whole seconds. Stale blocks have their real header time.
 * - Each node follows Bitcoin Core's rule: the most work wins and at equal work the first block
 *   seen stays. A block higher than the node's head is a `head`; one at or below it (a competing
 *   block at the same height, a late ancestor) is a `block`. A node that saw the stale block first
 *   therefore reorganizes one block deep when the canonical child arrives.
 * - A hash listed twice for one node counts at its first arrival.
 * - When a node's head jumps over heights it has no arrival for (a gap in its file), the nearest
 *   `maxBackfill` missing ancestors are emitted as `block` observations of that node at the time
 *   of the jump, lowest first, as the source's walk-back would fetch them.
 * - `tick` observations for the chain every `tickMs` of data time; at equal times a tick comes
 *   first, then each node's observations in node order (a node's own in arrival order, height
 *   breaking ties).
 */
export function toBitcoinArrivalLog(
  input: BitcoinArrivalInput,
  options: ToBitcoinArrivalLogOptions = {},
): Observation[] {
  const chain = options.chain ?? 'bitcoin';
  const client = options.client ?? 'bitcoin-core';
  const tickMs = options.tickMs ?? 60_000;
  const maxBackfill = BigInt(options.maxBackfill ?? 64);

  const stale = new Map<Hash, StaleHeader>();
  for (const header of input.staleHeaders) stale.set(header.hash, header);

  const canonical = new Map<bigint, { hash: Hash; firstMs: number }>();
  for (const node of input.nodes) {
    for (const row of node.arrivals) {
      const staleHeader = stale.get(row.hash);
      if (staleHeader) {
        if (staleHeader.height !== row.height) {
          throw new Error(
            `stale block ${row.hash} is at ${staleHeader.height}, ${node.name} lists ${row.height}`,
          );
        }
        continue;
      }
      const known = canonical.get(row.height);
      if (known && known.hash !== row.hash) {
        throw new Error(
          `two canonical blocks at ${row.height}: ${known.hash} and ${row.hash} (${node.name})`,
        );
      }
      if (!known) canonical.set(row.height, { hash: row.hash, firstMs: row.arrivalMs });
      else if (row.arrivalMs < known.firstMs) known.firstMs = row.arrivalMs;
    }
  }

  const headers = new Map<Hash, Header>();
  for (const [height, block] of canonical) {
    const parent = canonical.get(height - 1n);
    if (!parent) continue;
    headers.set(block.hash, {
      number: height,
      hash: block.hash,
      parentHash: parent.hash,
      timestamp: Math.floor(block.firstMs / 1000),
    });
  }
  for (const header of input.staleHeaders) {
    headers.set(header.hash, {
      number: header.height,
      hash: header.hash,
      parentHash: header.prevHash,
      timestamp: header.timestamp,
    });
  }

  const blocks: BlockObservation[] = [];
  for (const node of input.nodes) {
    const rows = [...node.arrivals].sort((a, b) =>
      a.arrivalMs !== b.arrivalMs
        ? a.arrivalMs - b.arrivalMs
        : a.height < b.height
          ? -1
          : a.height > b.height
            ? 1
            : 0,
    );
    const seen = new Set<Hash>();
    let headHeight: bigint | undefined;
    const emit = (type: 'head' | 'block', header: Header, atMs: number): void => {
      blocks.push({
        type,
        chain,
        node: node.name,
        client,
        number: header.number,
        hash: header.hash,
        parentHash: header.parentHash,
        timestamp: header.timestamp,
        observedAtMs: atMs,
      });
    };
    for (const row of rows) {
      if (seen.has(row.hash)) continue;
      seen.add(row.hash);
      const header = headers.get(row.hash);
      if (!header) continue;
      if (headHeight !== undefined && header.number <= headHeight) {
        emit('block', header, row.arrivalMs);
        continue;
      }
      if (headHeight !== undefined) {
        const from =
          header.number - maxBackfill > headHeight + 1n ? header.number - maxBackfill : headHeight + 1n;
        for (let h = from; h < header.number; h++) {
          const ancestor = canonical.get(h);
          const ancestorHeader = ancestor && headers.get(ancestor.hash);
          if (!ancestorHeader || seen.has(ancestorHeader.hash)) continue;
          seen.add(ancestorHeader.hash);
          emit('block', ancestorHeader, row.arrivalMs);
        }
      }
      emit('head', header, row.arrivalMs);
      headHeight = header.number;
    }
  }
  const nodeOrder = new Map(input.nodes.map((n, i) => [n.name, i]));
  blocks.sort((a, b) => {
    if (a.observedAtMs !== b.observedAtMs) return a.observedAtMs - b.observedAtMs;
    if (a.node !== b.node) return nodeOrder.get(a.node)! - nodeOrder.get(b.node)!;
    return 0;
  });
  return withTicks(blocks, chain, tickMs);
}

/** Interleaves a chain tick every `tickMs` (on multiples of it) from the first to the last observation. */
function withTicks(blocks: readonly BlockObservation[], chain: string, tickMs: number): Observation[] {
  const out: Observation[] = [];
  const first = blocks[0];
  if (!first) return out;
  let nextTick = Math.ceil(first.observedAtMs / tickMs) * tickMs;
  for (const block of blocks) {
    while (nextTick <= block.observedAtMs) {
      out.push({ type: 'tick', chain, observedAtMs: nextTick });
      nextTick += tickMs;
    }
    out.push(block);
  }
  return out;
}
