import type pg from 'pg';

/** Closes a client's socket whatever state its protocol is in (`end()` leaves it open after a
 * failure during authentication). Reaches into `pg`'s connection: there is no public way. */
export function destroyPostgresSocket(client: pg.Client): void {
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}
