import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { createWebhookReceiver } from '../../src/sinks/webhook/createWebhookReceiver.ts';
import { waitFor } from './waitFor.ts';

/** A transition the receiver accepted (a new idempotency key), with the leader's epoch. */
export type AcceptedDelivery = { key: string; epoch: number; atMs: number };

export type AcceptingReceiver = {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  /** Every accepted delivery, in order of arrival; repeats of a key are answered, not listed. */
  accepted: AcceptedDelivery[];
  close(): Promise<void>;
};

/** A webhook receiver on a free loopback port that deduplicates by idempotency key and lists what
 * it accepted, with the epoch of the leader that delivered it. */
export async function startAcceptingReceiver(secret: string): Promise<AcceptingReceiver> {
  const accepted: AcceptedDelivery[] = [];
  const receiver = createWebhookReceiver({
    secret,
    onAccepted: (body, key) => {
      const leader = (body as { leader?: { epoch: number } }).leader;
      accepted.push({ key, epoch: leader?.epoch ?? 0, atMs: Date.now() });
    },
  });
  const hook = createServer((req, res) => receiver.emit('request', req, res));
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/`,
    accepted,
    async close() {
      hook.closeAllConnections();
      await new Promise<void>((resolve) => hook.close(() => resolve()));
    },
  };
}

/**
 * The arguments of test/service/clusterChild.ts that every member of a test cluster shares: the
 * store, the lease, and the finality-loss-9 incident (seed 1) played at 150 times real time from
 * 6 s after now (its transitions from about 11 s to 36 s after that).
 */
export function toIncidentArgs(url: string, leaseMs: number, spoolDir: string) {
  return {
    url,
    leaseMs,
    scenario: 'finality-loss-9',
    seed: 1,
    t0: Date.now() + 6000,
    speed: 150,
    tickMs: 100,
    spoolDir,
  };
}

/** Polls `check` (a falsy value: not yet) every 20 ms, for at most `timeoutMs` (default 120 s). */
export const until = <T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 120_000,
) => waitFor(what, async () => (await check()) || undefined, timeoutMs, 20);

/** Waits until the leader has taken every inbox row into the log and every action is delivered. */
export async function waitUntilDrained(db: pg.Client): Promise<void> {
  await until('every inbox row taken and every action delivered', async () => {
    const [row] = (
      await db.query(
        `SELECT (SELECT last_seq FROM inbox_head) AS inbox,
           (SELECT COALESCE(MAX(inbox_seq), 0) FROM events) AS taken,
           (SELECT COUNT(*) FROM outbox WHERE status <> 'delivered') AS pending`,
      )
    ).rows as Array<{ inbox: string; taken: string; pending: string }>;
    return row!.inbox === row!.taken && row!.pending === '0';
  });
}

/**
 * What a cluster run must leave, whatever happened to its members or its database: no duplicate
 * (breaker, seq), an event log without a gap holding every observation of the watchers once, and
 * every stored transition accepted exactly once, each breaker's in order without a gap. Returns
 * the stored transitions.
 */
export async function assertClusterLog(
  db: pg.Client,
  accepted: readonly AcceptedDelivery[],
): Promise<Array<{ idempotency_key: string; breaker: string; seq: number }>> {
  const transitions = (
    await db.query('SELECT idempotency_key, breaker, seq FROM transitions ORDER BY position')
  ).rows as Array<{ idempotency_key: string; breaker: string; seq: number }>;
  const duplicates = (
    await db.query('SELECT breaker, seq FROM transitions GROUP BY breaker, seq HAVING COUNT(*) > 1')
  ).rows;
  assert.deepEqual(duplicates, [], 'no duplicate (breaker, seq)');
  const [log] = (
    await db.query(
      `SELECT COUNT(*) AS n, (SELECT last_seq FROM log_head) AS last,
         (SELECT COUNT(*) FROM inbox) AS inbox, COUNT(inbox_seq) AS taken,
         COUNT(DISTINCT inbox_seq) AS distinct_taken FROM events`,
    )
  ).rows as Array<{ n: string; last: string; inbox: string; taken: string; distinct_taken: string }>;
  assert.equal(log!.n, log!.last, 'the event log has no gap');
  assert.equal(log!.taken, log!.inbox, 'every observation of the watchers is in the log');
  assert.equal(log!.distinct_taken, log!.inbox, 'each of them once');
  assert.deepEqual(
    accepted.map((a) => a.key).sort(),
    transitions.map((t) => t.idempotency_key).sort(),
    'every transition accepted exactly once',
  );
  const seqs: Record<string, number[]> = {};
  for (const a of accepted) {
    const [, breaker, seq] = a.key.split(':');
    (seqs[breaker!] ??= []).push(Number(seq));
  }
  for (const [breaker, list] of Object.entries(seqs)) {
    assert.deepEqual(
      list,
      list.map((_, i) => i + 1),
      `breaker ${breaker}: in order, no gap`,
    );
  }
  return transitions;
}
