import type { Migration } from '../runMigrations.ts';

/**
 * The PostgreSQL schema, as numbered migrations of its own (docs/service.md), applied once each in
 * version order, each in a transaction, recorded in `migrations`. Never edit a released migration:
 * add the next number.
 *
 * The event log's sequence numbers have no gaps (a sequence would leave one at every rollback):
 * the one row of `log_head` holds the last one and is updated in the transaction that appends.
 */
export const postgresMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'store identity, event log, signals, transitions, outbox, audit, snapshots',
    sql: `
CREATE TABLE meta (
  key text PRIMARY KEY,
  value text NOT NULL
);
INSERT INTO meta (key, value) VALUES ('store_id', gen_random_uuid()::text);
CREATE TABLE log_head (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  last_seq bigint NOT NULL
);
INSERT INTO log_head (id, last_seq) VALUES (true, 0);
CREATE TABLE events (
  seq bigint PRIMARY KEY,
  type text NOT NULL CHECK (type IN ('observation', 'command')),
  at_ms bigint NOT NULL,
  body text NOT NULL
);
CREATE TABLE signals (
  id bigserial PRIMARY KEY,
  event_seq bigint NOT NULL REFERENCES events (seq),
  chain text NOT NULL,
  kind text NOT NULL,
  severity text NOT NULL,
  at_ms bigint NOT NULL,
  body text NOT NULL
);
CREATE INDEX signals_chain ON signals (chain, id);
CREATE TABLE transitions (
  idempotency_key text PRIMARY KEY,
  position bigserial UNIQUE,
  breaker text NOT NULL,
  seq integer NOT NULL,
  from_level text NOT NULL,
  to_level text NOT NULL,
  mode text NOT NULL,
  at_ms bigint NOT NULL,
  body text NOT NULL
);
CREATE INDEX transitions_breaker ON transitions (breaker, seq);
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  sink text NOT NULL,
  idempotency_key text NOT NULL REFERENCES transitions (idempotency_key),
  breaker text NOT NULL,
  breaker_seq integer NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at_ms bigint NOT NULL,
  last_error text,
  created_at_ms bigint NOT NULL,
  delivered_at_ms bigint,
  UNIQUE (sink, idempotency_key)
);
CREATE INDEX outbox_head ON outbox (sink, status, breaker, breaker_seq, id);
CREATE TABLE audit (
  id bigserial PRIMARY KEY,
  event_seq bigint NOT NULL REFERENCES events (seq),
  action text NOT NULL CHECK (action IN ('override', 'resume')),
  breaker text NOT NULL,
  level text,
  actor text NOT NULL,
  reason text NOT NULL,
  at_ms bigint NOT NULL
);
CREATE INDEX audit_breaker ON audit (breaker, id);
CREATE TABLE snapshots (
  seq bigint PRIMARY KEY,
  format_version integer NOT NULL,
  config_hash text NOT NULL,
  checksum text NOT NULL,
  at_ms bigint NOT NULL,
  bytes integer NOT NULL,
  body bytea NOT NULL
);
`,
  },
  {
    version: 2,
    name: 'cluster: lease with a fencing epoch, instances, watchers inbox',
    sql: `
CREATE TABLE lease (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  holder text,
  epoch bigint NOT NULL DEFAULT 0,
  expires_at timestamptz NOT NULL DEFAULT '-infinity',
  renewed_at timestamptz
);
INSERT INTO lease (id) VALUES (true);
CREATE TABLE instances (
  instance text PRIMARY KEY,
  role text NOT NULL CHECK (role IN ('leader', 'follower', 'watcher')),
  location text,
  epoch bigint,
  seen_at timestamptz NOT NULL
);
CREATE TABLE inbox_head (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  last_seq bigint NOT NULL
);
INSERT INTO inbox_head (id, last_seq) VALUES (true, 0);
CREATE TABLE inbox (
  seq bigint PRIMARY KEY,
  instance text NOT NULL,
  local_seq bigint NOT NULL,
  location text,
  observed_at_ms bigint NOT NULL,
  line text NOT NULL,
  stored_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (instance, local_seq)
);
CREATE INDEX inbox_location ON inbox (location, seq);
ALTER TABLE events ADD COLUMN inbox_seq bigint UNIQUE;
`,
  },
];
