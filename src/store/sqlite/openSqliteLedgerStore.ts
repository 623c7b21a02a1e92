import { RiskError } from '../../risk/contagion/riskError.ts';
import { type LedgerStore, parseLedgerLine, toLedgerLine } from '../../risk/settlement/ledgerStore.ts';
import type { LedgerFact } from '../../risk/settlement/ledgerTypes.ts';
import { StoreError } from '../storeError.ts';
import { closeSqliteDatabase } from './closeSqliteDatabase.ts';
import { openSqliteDatabase, type SqliteFileParameters } from './openSqliteDatabase.ts';
import { sqliteLedgerMigrations } from './sqliteMigrations.ts';
import { toStoreError } from './toStoreError.ts';

/** Where and how to open the file `ledger.sqlite`. */
export type OpenSqliteLedgerStoreParameters = SqliteFileParameters;

/** The file name of the ledger inside its data directory. */
export const SQLITE_LEDGER_FILE_NAME = 'ledger.sqlite';

/**
 * A {@link LedgerStore} in SQLite: one row `(seq, body)` per fact, `body` being its
 * {@link toLedgerLine}, in the table `ledger` that migration 1 of {@link sqliteLedgerMigrations}
 * creates.
 *
 * The ledger has its own file, `ledger.sqlite`, beside the service's `consensus-guard.sqlite` in
 * the same data directory, opened the way the store opens its own (WAL, `synchronous = FULL` by
 * default, numbered migrations, an exclusive lock held while open). The service's store keeps its
 * file locked for the life of the process and has no ledger in its port, and the ledger is rebuilt
 * from its own facts alone (no fact refers to the event log), so a file of its own lets a venue
 * keep the ledger with or without the service running, in the same process or another one.
 *
 * - `append` inserts every fact in one transaction: after a crash, all of them or none; the promise
 *   resolves after the commit.
 * - `load` reads the facts by `seq`; a row that is not a ledger fact is an `invalid_input`
 *   {@link RiskError} naming it (`field: 'seq.12'`).
 * - `close` closes the file and releases its lock; the store is unusable after it.
 *
 * Errors of the file itself are {@link StoreError}s with a code and the driver's error as `cause`:
 * `store_locked` when another process holds the ledger, `store_corrupt`, `store_schema_newer`,
 * `store_read_failed`, `store_write_failed`, `store_closed`.
 *
 * @example
 * const store = await openSqliteLedgerStore({ dataDir: './.data' });
 * const state = await replayLedger(store, { policies });
 * await store.append(facts);
 */
export async function openSqliteLedgerStore(
  parameters: OpenSqliteLedgerStoreParameters = {},
): Promise<LedgerStore> {
  const db = await openSqliteDatabase({
    dataDir: parameters.dataDir,
    path: parameters.path,
    fileName: SQLITE_LEDGER_FILE_NAME,
    synchronous: parameters.synchronous,
    migrations: parameters.migrations ?? sqliteLedgerMigrations,
    label: 'the ledger',
  });
  const insert = db.prepare('INSERT INTO ledger (body) VALUES (?)');
  const select = db.prepare('SELECT seq, body FROM ledger ORDER BY seq').raw();
  const insertAll = db.transaction((lines: readonly string[]) => {
    for (const line of lines) insert.run(line);
  });
  let closed = false;

  const assertOpen = () => {
    if (closed) throw new StoreError('store_closed', 'the ledger is closed');
  };

  return {
    async append(facts) {
      assertOpen();
      if (facts.length === 0) return;
      const lines = facts.map(toLedgerLine);
      try {
        insertAll.immediate(lines);
      } catch (cause) {
        throw toStoreError(cause, 'store_write_failed', 'cannot append to the ledger');
      }
    },

    async load() {
      assertOpen();
      let rows: Array<[number, unknown]>;
      try {
        rows = select.all() as Array<[number, unknown]>;
      } catch (cause) {
        throw toStoreError(cause, 'store_read_failed', 'cannot read the ledger');
      }
      const facts: LedgerFact[] = new Array(rows.length);
      for (let i = 0; i < rows.length; i += 1) {
        const [seq, body] = rows[i]!;
        if (typeof body !== 'string') {
          throw new RiskError('invalid_input', `ledger seq ${seq} is not a ledger fact: not text`, {
            field: `seq.${seq}`,
            value: body,
          });
        }
        facts[i] = parseLedgerLine(body, seq, 'seq');
      }
      return facts;
    },

    async close() {
      if (closed) return;
      closed = true;
      closeSqliteDatabase(db, 'the ledger');
    },
  };
}
