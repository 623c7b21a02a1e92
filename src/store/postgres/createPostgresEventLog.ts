import type pg from 'pg';
import type { Transition } from '../../breaker/levels.ts';
import { readEventBatches } from '../readEventBatches.ts';
import type { EventEntry, Store } from '../store.ts';
import { storeCodec } from '../storeCodec.ts';
import { StoreError } from '../storeError.ts';
import { type StoreRow, storeRows } from '../storeRows.ts';
import type { PostgresAccess } from './createPostgresAccess.ts';
import type { PostgresSnapshots } from './createPostgresSnapshots.ts';
import { enqueuePostgresTransitions } from './enqueuePostgresTransitions.ts';

export type PostgresEventLog = Pick<
  Store,
  'appendEvents' | 'readEvents' | 'lastSeq' | 'countEvents' | 'listSignals' | 'listAudit'
>;

export type CreatePostgresEventLogParameters = {
  access: PostgresAccess;
  snapshots: PostgresSnapshots;
  /** The last seq this guard knows to be in the log (what it appended, or applied as a follower):
   * the next append starts after it. Shared with the cluster's `setFence`. */
  head: { knownLastSeq: number };
  /** Throws when appends are refused (read only, or the store lock is not held). */
  assertWritable(): void;
};

/**
 * The event log of a PostgreSQL store with its signals and audit rows. Appends take gap-free
 * sequence numbers from the one row of `log_head`, in one transaction per batch (multi-row
 * inserts); an append whose outcome the client could not learn (the connection broke during
 * COMMIT) is found at the next attempt by its bodies and not written twice.
 */
export function createPostgresEventLog(parameters: CreatePostgresEventLogParameters): PostgresEventLog {
  const { access, snapshots, head, assertWritable } = parameters;
  const { read, transaction } = access;
  return {
    async appendEvents({ entries, sinks, nowMs, snapshot }) {
      assertWritable();
      const { seqs, lastSeq } = await transaction('append events', async (client) => {
        const known = head.knownLastSeq;
        const current = (await client.query('SELECT last_seq FROM log_head FOR UPDATE')).rows[0]
          ?.last_seq as number;
        let done = 0;
        if (current !== known) {
          // An earlier attempt committed without hearing so, or someone else wrote: find out which.
          done = await committedPrefix(client, entries, known, current);
        }
        const rest = entries.slice(done);
        const firstSeq = known + done + 1;
        if (rest.length > 0) await insertEntries(client, rest, firstSeq, sinks, nowMs);
        const last = known + entries.length;
        if (last !== current) await client.query('UPDATE log_head SET last_seq = $1', [last]);
        if (snapshot) await snapshots.write(client, last, snapshot);
        return { seqs: entries.map((_, i) => known + i + 1), lastSeq: last };
      });
      head.knownLastSeq = lastSeq;
      return seqs;
    },

    readEvents(options = {}) {
      return readEventBatches({
        ...options,
        readBatch: (afterSeq, limit) =>
          read('the event log', async (db) =>
            storeRows.toStoredEvents(
              (
                await db.query({
                  text: 'SELECT seq, type, body FROM events WHERE seq > $1 ORDER BY seq LIMIT $2',
                  values: [afterSeq, limit],
                  rowMode: 'array',
                })
              ).rows as Array<[number, string, string]>,
            ),
          ),
      });
    },

    async lastSeq() {
      return read(
        'the event log',
        async (db) => (await db.query('SELECT last_seq FROM log_head')).rows[0]?.last_seq as number,
      );
    },

    async countEvents() {
      return read(
        'the event log',
        async (db) => (await db.query('SELECT COUNT(*) AS n FROM events')).rows[0]?.n as number,
      );
    },

    async listSignals(options = {}) {
      return read('signals', async (db) => {
        const rows = (
          await db.query(
            'SELECT * FROM (SELECT id, event_seq, body FROM signals ORDER BY id DESC LIMIT $1) newest ORDER BY id',
            [options.limit ?? null],
          )
        ).rows as Array<{ id: number; event_seq: number; body: string }>;
        return rows.map(storeRows.toStoredSignal);
      });
    },

    async listAudit(options = {}) {
      return read('the audit log', async (db) => {
        const rows = (
          await db.query(
            `SELECT * FROM (SELECT * FROM audit WHERE ($1::text IS NULL OR breaker = $1) ORDER BY id DESC LIMIT $2) newest ORDER BY id`,
            [options.breaker ?? null, options.limit ?? null],
          )
        ).rows as StoreRow[];
        return rows.map(storeRows.toAuditEntry);
      });
    },
  };
}

/** Inserts `entries` as events `firstSeq`.., with their signals, audit rows and transitions. */
async function insertEntries(
  client: pg.PoolClient,
  entries: readonly EventEntry[],
  firstSeq: number,
  sinks: readonly string[],
  nowMs: number,
): Promise<void> {
  const seqs: number[] = [];
  const eventTypes: string[] = [];
  const atMs: number[] = [];
  const bodies: string[] = [];
  const inboxSeqs: Array<number | null> = [];
  const signals = {
    seq: [] as number[],
    chain: [] as string[],
    kind: [] as string[],
    severity: [] as string[],
    atMs: [] as number[],
    body: [] as string[],
  };
  const transitions: Transition[] = [];
  const audits: unknown[][] = [];
  entries.forEach((entry, i) => {
    const seq = firstSeq + i;
    const event = entry.event;
    seqs.push(seq);
    eventTypes.push(event.type);
    atMs.push(storeRows.toEventAtMs(event));
    bodies.push(storeCodec.toEventBody(event));
    inboxSeqs.push(entry.inboxSeq ?? null);
    const audit = storeRows.toAuditValues(seq, event);
    if (audit !== undefined) audits.push(audit);
    for (const s of entry.signals) {
      signals.seq.push(seq);
      signals.chain.push(s.chain);
      signals.kind.push(s.kind);
      signals.severity.push(s.severity);
      signals.atMs.push(s.atMs);
      signals.body.push(storeCodec.toSignalBody(s));
    }
    transitions.push(...entry.transitions);
  });
  await client.query(
    inboxSeqs.some((x) => x !== null)
      ? 'INSERT INTO events (seq, type, at_ms, body, inbox_seq) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::bigint[])'
      : 'INSERT INTO events (seq, type, at_ms, body) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[])',
    inboxSeqs.some((x) => x !== null)
      ? [seqs, eventTypes, atMs, bodies, inboxSeqs]
      : [seqs, eventTypes, atMs, bodies],
  );
  if (signals.seq.length > 0) {
    await client.query(
      `INSERT INTO signals (event_seq, chain, kind, severity, at_ms, body)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[])`,
      [signals.seq, signals.chain, signals.kind, signals.severity, signals.atMs, signals.body],
    );
  }
  for (const audit of audits) {
    await client.query(
      'INSERT INTO audit (event_seq, action, breaker, level, actor, reason, at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      audit,
    );
  }
  if (transitions.length > 0) await enqueuePostgresTransitions(client, transitions, sinks, nowMs);
}

/** How many of `entries` are stored already after `knownLastSeq` (an append that committed without
 * its client hearing so); throws when the log holds other events there. */
async function committedPrefix(
  client: pg.PoolClient,
  entries: readonly EventEntry[],
  knownLastSeq: number,
  current: number,
): Promise<number> {
  const stored = current - knownLastSeq;
  if (stored < 0 || stored > entries.length) {
    throw new StoreError('store_write_failed', 'the event log changed under this guard', {
      details: `expected the last seq ${knownLastSeq}, found ${current}: another process writes to this store`,
    });
  }
  const rows = (
    await client.query('SELECT type, body FROM events WHERE seq > $1 AND seq <= $2 ORDER BY seq', [
      knownLastSeq,
      current,
    ])
  ).rows as Array<{ type: string; body: string }>;
  rows.forEach((row, i) => {
    const event = entries[i]!.event;
    if (row.type !== event.type || row.body !== storeCodec.toEventBody(event)) {
      throw new StoreError('store_write_failed', 'the event log changed under this guard', {
        details: `event ${knownLastSeq + i + 1} is not the one this guard appended: another process writes to this store`,
      });
    }
  });
  return stored;
}
