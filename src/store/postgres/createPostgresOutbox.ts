import type { Store } from '../store.ts';
import { storeCodec } from '../storeCodec.ts';
import { type OutboxCountRow, type StoreRow, storeRows } from '../storeRows.ts';
import type { PostgresAccess } from './createPostgresAccess.ts';
import { enqueuePostgresTransitions } from './enqueuePostgresTransitions.ts';

export type PostgresOutbox = Pick<
  Store,
  | 'enqueueTransitions'
  | 'headActions'
  | 'markDelivered'
  | 'markAttemptFailed'
  | 'listActions'
  | 'countActions'
  | 'countActionsBySink'
  | 'listTransitions'
>;

/** The breaker transitions and the action outbox of a PostgreSQL store. */
export function createPostgresOutbox({ read, transaction }: PostgresAccess): PostgresOutbox {
  return {
    async enqueueTransitions({ transitions, sinks, nowMs }) {
      return transaction('enqueue transitions', (client) =>
        enqueuePostgresTransitions(client, transitions, sinks, nowMs),
      );
    },

    async headActions(sink) {
      return read('the outbox', async (db) =>
        (
          await db.query(
            `SELECT * FROM (
               SELECT DISTINCT ON (o.breaker) o.*, t.body AS transition_body FROM outbox o
               JOIN transitions t ON t.idempotency_key = o.idempotency_key
               WHERE o.sink = $1 AND o.status = 'pending'
               ORDER BY o.breaker, o.breaker_seq, o.id
             ) heads ORDER BY breaker COLLATE "C", breaker_seq`,
            [sink],
          )
        ).rows.map(storeRows.toOutboxAction),
      );
    },

    async markDelivered(actionId, atMs) {
      await transaction('mark an action delivered', (client) =>
        client.query(
          "UPDATE outbox SET status = 'delivered', delivered_at_ms = $1 WHERE id = $2 AND status = 'pending'",
          [atMs, actionId],
        ),
      );
    },

    async markAttemptFailed(actionId, failure) {
      await transaction('record a failed attempt', (client) =>
        client.query(
          'UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at_ms = $2, status = $3 WHERE id = $4',
          [
            failure.error.slice(0, 2000),
            failure.nextAttemptAtMs,
            failure.final === true ? 'failed' : 'pending',
            actionId,
          ],
        ),
      );
    },

    async listActions(options = {}) {
      return read('the outbox', async (db) => {
        const where: string[] = [];
        const args: unknown[] = [];
        if (options.sink !== undefined) {
          args.push(options.sink);
          where.push(`o.sink = $${args.length}`);
        }
        if (options.status !== undefined) {
          args.push(options.status);
          where.push(`o.status = $${args.length}`);
        }
        args.push(options.limit ?? null);
        const sql = `SELECT o.*, t.body AS transition_body FROM outbox o
          JOIN transitions t ON t.idempotency_key = o.idempotency_key
          ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY o.id LIMIT $${args.length}`;
        return ((await db.query(sql, args)).rows as StoreRow[]).map(storeRows.toOutboxAction);
      });
    },

    async countActions(sink) {
      return read('the outbox', async (db) =>
        storeRows.toOutboxCounts(
          (
            await db.query(
              'SELECT status, COUNT(*) AS n FROM outbox WHERE ($1::text IS NULL OR sink = $1) GROUP BY status',
              [sink ?? null],
            )
          ).rows as OutboxCountRow[],
        ),
      );
    },

    async countActionsBySink() {
      return read('the outbox', async (db) =>
        storeRows.toOutboxCountsBySink(
          (await db.query('SELECT sink, status, COUNT(*) AS n FROM outbox GROUP BY sink, status'))
            .rows as OutboxCountRow[],
        ),
      );
    },

    async listTransitions(options = {}) {
      return read('transitions', async (db) => {
        const rows = (
          await db.query(
            `SELECT * FROM (SELECT position, idempotency_key, body FROM transitions
             WHERE ($1::text IS NULL OR breaker = $1) ORDER BY position DESC LIMIT $2) newest ORDER BY position`,
            [options.breaker ?? null, options.limit ?? null],
          )
        ).rows as Array<{ idempotency_key: string; body: string }>;
        return rows.map((row) => storeCodec.toTransition(row.body, row.idempotency_key));
      });
    },
  };
}
