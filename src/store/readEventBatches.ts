import type { StoredEvent } from './store.ts';

export type ReadEventBatchesParameters = {
  /** The events after `afterSeq`, in order, at most `limit` of them. */
  readBatch(afterSeq: number, limit: number): Promise<StoredEvent[]>;
  afterSeq?: number | undefined;
  batchSize?: number | undefined;
};

/**
 * The event log after `afterSeq` as batches of at most `batchSize` (default 10 000) events, read one
 * batch at a time: what every adapter's `readEvents` yields. It ends at the first short batch.
 */
export async function* readEventBatches({
  readBatch,
  afterSeq = 0,
  batchSize = 10_000,
}: ReadEventBatchesParameters): AsyncGenerator<StoredEvent[]> {
  let after = afterSeq;
  while (true) {
    const batch = await readBatch(after, batchSize);
    if (batch.length === 0) return;
    after = batch[batch.length - 1]!.seq;
    yield batch;
    if (batch.length < batchSize) return;
  }
}
