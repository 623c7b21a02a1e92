import type { ProofOfWork } from '../../core/params.ts';
import { SourceError } from '../source.ts';
import { checkProofOfWork, type PowHeader } from './checkProofOfWork.ts';
import { toBlockWork } from './toBlockWork.ts';
import { toTarget } from './toTarget.ts';

/** A header as the tracker needs it: its proof-of-work fields and its place in the chain. */
export type ChainworkHeader = PowHeader & { hash: string; parentHash: string };

export type CreateChainworkTrackerParameters = {
  pow: ProofOfWork;
  /**
   * A block whose chainwork is trusted (from the config, never from the node). Without one the
   * chainwork is summed from genesis, which needs the whole chain within `maxWalk` headers.
   */
  anchor?: { hash: string; chainwork: bigint };
  /** Most headers fetched to reach genesis, the anchor or a verified block. */
  maxWalk: number;
  /** Fetches the header `hash`, which must sit at `height` (the source checks its hash). */
  fetchHeader(hash: string, height: number): Promise<ChainworkHeader>;
};

export type ChainworkTracker = {
  /**
   * Verifies the proof of work of `header` and of the ancestors needed to reach a verified block
   * (genesis, the anchor or a header verified before), and returns its chainwork: the work of
   * every header down to genesis (or the anchor's trusted chainwork plus the work above it).
   * `undefined` when no verified base lies within `maxWalk` headers. Throws a `SourceError` with
   * code `pow` when a header fails.
   */
  chainworkOf(header: ChainworkHeader): Promise<bigint | undefined>;
};

const LIMIT = 8192;

/** Keeps the verified chainwork and `bits` of the headers a Bitcoin-style source has seen. */
export function createChainworkTracker(parameters: CreateChainworkTrackerParameters): ChainworkTracker {
  const { pow } = parameters;
  const verified = new Map<string, { chainwork: bigint; bits: number; height: number }>();
  const keep = (hash: string, value: { chainwork: bigint; bits: number; height: number }) => {
    verified.set(hash, value);
    if (verified.size > LIMIT) verified.delete(verified.keys().next().value as string);
  };
  const fail = (header: ChainworkHeader, reason: string): never => {
    throw new SourceError({
      code: 'pow',
      shortMessage: `block ${header.height} ${header.hash}: ${reason}`,
    });
  };
  return {
    async chainworkOf(header) {
      const known = verified.get(header.hash);
      if (known) return known.chainwork;
      // Walk down to a verified base; each header's own proof of work is checked on the way up.
      const path: ChainworkHeader[] = [header];
      let cursor = header;
      while (
        cursor.height > 0 &&
        cursor.hash !== parameters.anchor?.hash &&
        !verified.has(cursor.parentHash) &&
        path.length <= parameters.maxWalk
      ) {
        cursor = await parameters.fetchHeader(cursor.parentHash, cursor.height - 1);
        path.push(cursor);
      }
      const base = path[path.length - 1]!;
      const reachable =
        base.height === 0 || base.hash === parameters.anchor?.hash || verified.has(base.parentHash);
      let parent = verified.get(base.parentHash);
      let chainwork: bigint | undefined;
      for (let i = path.length - 1; i >= 0; i--) {
        const h = path[i]!;
        const reason = checkProofOfWork(pow, h, parent && { bits: parent.bits, height: parent.height });
        if (reason !== undefined) fail(h, reason);
        const work = toBlockWork(toTarget(h.bits)!);
        if (h.hash === parameters.anchor?.hash) chainwork = parameters.anchor.chainwork;
        else if (h.height === 0) chainwork = work;
        else if (parent !== undefined && reachable) chainwork = parent.chainwork + work;
        else chainwork = undefined;
        parent = { chainwork: chainwork ?? -1n, bits: h.bits, height: h.height };
        if (chainwork !== undefined) keep(h.hash, parent);
      }
      return chainwork;
    },
  };
}
