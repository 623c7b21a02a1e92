import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Observation } from '../../core/observation.ts';
import { toObservationLine } from '../../sources/replay/toObservationLine.ts';
import type { ClusterStore, InboxInput } from '../../store/clusterStore.ts';
import type { ServiceLogEntry } from '../createService.ts';

export type CreateInboxWriterParameters = {
  cluster: ClusterStore;
  instance: string;
  location?: string | undefined;
  /** Directory of the spool file `<instance>.jsonl`. */
  spoolDir: string;
  log: (entry: ServiceLogEntry) => void;
};

export type InboxWriter = {
  /** Reads what the spool holds from a previous run and the last local seq stored. */
  start(): Promise<void>;
  push(observation: Observation): void;
  /** Tries once more to store what waits; what it cannot stays in the spool for the next run. */
  stop(): Promise<void>;
  /** Observations waiting to be stored. */
  pending(): number;
  /** Observations stored since start. */
  stored(): number;
};

const BATCH = 500;

/**
 * A watcher's writer: every observation gets the next local sequence number and a line in a spool
 * file on local disk (written before anything else), and is appended to the store's inbox in
 * batches. An append is idempotent by (instance, local seq), so a retry after a lost answer stores
 * it once. While the database is unreachable the observations wait in the spool and in memory and
 * are retried (backoff 100 ms to 5 s), in order; the spool is emptied once all are stored, and read
 * again at the next start.
 */
export function createInboxWriter(parameters: CreateInboxWriterParameters): InboxWriter {
  const { cluster, instance, log } = parameters;
  const spool = join(parameters.spoolDir, `${instance.replace(/[^A-Za-z0-9._-]/g, '_')}.jsonl`);
  let queue: InboxInput[] = [];
  let nextSeq = 1;
  let storedCount = 0;
  let writing: Promise<void> | undefined;
  let failingSinceMs: number | undefined;
  let stopping = false;

  const write = async () => {
    let delayMs = 100;
    while (queue.length > 0) {
      const batch = queue.slice(0, BATCH);
      try {
        await cluster.appendInbox(instance, parameters.location, batch);
      } catch (error) {
        failingSinceMs ??= Date.now();
        log({
          level: 'error',
          code: 'inbox_write_failed',
          message: `${queue.length} observations kept in ${spool}, retrying: ${(error as Error).message}`,
          pending: queue.length,
        });
        if (stopping) break;
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        delayMs = Math.min(delayMs * 2, 5000);
        continue;
      }
      delayMs = 100;
      if (failingSinceMs !== undefined) {
        log({
          level: 'warn',
          code: 'inbox_recovered',
          message: `the store takes observations again after ${Date.now() - failingSinceMs} ms`,
        });
        failingSinceMs = undefined;
      }
      storedCount += batch.length;
      queue = queue.slice(batch.length);
      if (queue.length === 0) writeFileSync(spool, '');
    }
    writing = undefined;
  };

  return {
    async start() {
      mkdirSync(parameters.spoolDir, { recursive: true });
      let spooled: InboxInput[] = [];
      try {
        spooled = readFileSync(spool, 'utf8')
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as InboxInput);
      } catch (error) {
        if ((error as { code?: string }).code !== 'ENOENT') throw error;
      }
      const last = await cluster.lastLocalSeq(instance);
      nextSeq = Math.max(last, ...spooled.map((e) => e.localSeq)) + 1;
      queue = spooled.filter((e) => e.localSeq > last);
      if (queue.length > 0) writing ??= write();
    },
    push(observation) {
      const tagged =
        parameters.location === undefined ? observation : { ...observation, location: parameters.location };
      const entry: InboxInput = {
        localSeq: nextSeq,
        observedAtMs: observation.observedAtMs,
        line: toObservationLine(tagged),
      };
      nextSeq += 1;
      appendFileSync(spool, `${JSON.stringify(entry)}\n`);
      queue.push(entry);
      writing ??= write();
    },
    async stop() {
      stopping = true;
      while (writing) await writing;
    },
    pending: () => queue.length,
    stored: () => storedCount,
  };
}
