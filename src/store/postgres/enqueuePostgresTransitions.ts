import type { Transition } from '../../breaker/levels.ts';
import type { EnqueueTransitionsReturnType } from '../store.ts';
import { storeCodec } from '../storeCodec.ts';
import type { Queryable } from './createPostgresAccess.ts';

/**
 * Stores `transitions` (when absent) and adds one outbox row per transition and sink, inside the
 * caller's transaction. A transition whose (breaker, seq) is stored under another idempotency key
 * is a conflict, and is not enqueued.
 */
export async function enqueuePostgresTransitions(
  db: Queryable,
  transitions: readonly Transition[],
  sinks: readonly string[],
  nowMs: number,
): Promise<EnqueueTransitionsReturnType> {
  let enqueued = 0;
  const conflicts: Transition[] = [];
  for (const t of transitions) {
    const stored = await db.query('SELECT idempotency_key FROM transitions WHERE breaker = $1 AND seq = $2', [
      t.breaker,
      t.seq,
    ]);
    const keys = stored.rows.map((r) => r.idempotency_key as string);
    if (keys.length > 0 && !keys.includes(t.idempotencyKey)) {
      conflicts.push(t);
      continue;
    }
    await db.query(
      `INSERT INTO transitions (idempotency_key, breaker, seq, from_level, to_level, mode, at_ms, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (idempotency_key) DO NOTHING`,
      [t.idempotencyKey, t.breaker, t.seq, t.from, t.to, t.mode, t.atMs, storeCodec.toTransitionBody(t)],
    );
    if (sinks.length > 0) {
      const result = await db.query(
        `INSERT INTO outbox (sink, idempotency_key, breaker, breaker_seq, next_attempt_at_ms, created_at_ms)
           SELECT sink, $2, $3, $4, $5, $5 FROM unnest($1::text[]) AS sink
           ON CONFLICT (sink, idempotency_key) DO NOTHING`,
        [sinks, t.idempotencyKey, t.breaker, t.seq, nowMs],
      );
      enqueued += result.rowCount ?? 0;
    }
  }
  return { enqueued, conflicts };
}
