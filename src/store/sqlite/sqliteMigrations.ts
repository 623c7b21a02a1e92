import type { Migration } from '../runMigrations.ts';

/**
 * The SQLite schema, as numbered migrations (docs/service.md). Never edit a released migration:
 * add the next number.
 */
export const sqliteMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'event log, signals, transitions, outbox, audit',
    sql: `
CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  type TEXT NOT NULL CHECK (type IN ('observation', 'command')),
  at_ms INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE TABLE signals (
  id INTEGER PRIMARY KEY,
  event_seq INTEGER NOT NULL REFERENCES events (seq),
  chain TEXT NOT NULL,
  kind TEXT NOT NULL,
  severity TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX signals_chain ON signals (chain, id);
CREATE TABLE transitions (
  idempotency_key TEXT PRIMARY KEY,
  breaker TEXT NOT NULL,
  seq INTEGER NOT NULL,
  from_level TEXT NOT NULL,
  to_level TEXT NOT NULL,
  mode TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX transitions_breaker ON transitions (breaker, seq);
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  sink TEXT NOT NULL,
  idempotency_key TEXT NOT NULL REFERENCES transitions (idempotency_key),
  breaker TEXT NOT NULL,
  breaker_seq INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at_ms INTEGER NOT NULL,
  last_error TEXT,
  created_at_ms INTEGER NOT NULL,
  delivered_at_ms INTEGER,
  UNIQUE (sink, idempotency_key)
);
CREATE INDEX outbox_head ON outbox (sink, status, breaker, breaker_seq, id);
CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  event_seq INTEGER NOT NULL REFERENCES events (seq),
  action TEXT NOT NULL CHECK (action IN ('override', 'resume')),
  breaker TEXT NOT NULL,
  level TEXT,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL,
  at_ms INTEGER NOT NULL
);
CREATE INDEX audit_breaker ON audit (breaker, id);
`,
  },
  {
    version: 2,
    name: 'store identity in meta; idempotency keys carry it',
    // The id is a random UUID (version 4, from SQLite's randomness, seeded by the OS) made once,
    // when the store is created or first migrated. Keys stored before carry it from now on, so
    // that a replay finds the transitions it produces under the same keys.
    sql: `
PRAGMA defer_foreign_keys = ON;
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('store_id',
  lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
  substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) ||
  substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))));
UPDATE transitions SET
  idempotency_key = (SELECT value FROM meta WHERE key = 'store_id') || ':' || idempotency_key,
  body = json_set(body, '$.idempotencyKey',
    (SELECT value FROM meta WHERE key = 'store_id') || ':' || idempotency_key);
UPDATE outbox SET
  idempotency_key = (SELECT value FROM meta WHERE key = 'store_id') || ':' || idempotency_key;
`,
  },
  {
    version: 3,
    name: 'engine snapshots',
    sql: `
CREATE TABLE snapshots (
  seq INTEGER PRIMARY KEY,
  format_version INTEGER NOT NULL,
  config_hash TEXT NOT NULL,
  checksum TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  body BLOB NOT NULL
);
`,
  },
];

/**
 * The schema of the settlement ledger's own file `ledger.sqlite` (`openSqliteLedgerStore`), as
 * numbered migrations applied by the same mechanism, recorded in that file's `migrations` table.
 * Never edit a released migration: add the next number.
 */
export const sqliteLedgerMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'settlement ledger facts',
    sql: `
CREATE TABLE ledger (
  seq INTEGER PRIMARY KEY,
  body TEXT NOT NULL
);
`,
  },
];
