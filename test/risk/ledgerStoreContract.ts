import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { LedgerStore } from '../../src/risk/settlement/ledgerStore.ts';
import type { LedgerFact } from '../../src/risk/settlement/ledgerTypes.ts';
import { createLedgerState, reduceLedger } from '../../src/risk/settlement/reduceLedger.ts';
import { replayLedger } from '../../src/risk/settlement/replayLedger.ts';
import { toSettlementReport } from '../../src/risk/settlement/toSettlementReport.ts';
import {
  crashBatch,
  depthPolicy,
  head,
  lifecycleFacts,
  lifecycleStatuses,
  reorg,
  trade,
} from './ledgerFixtures.ts';

/** What the contract needs of a {@link LedgerStore} adapter. */
export type LedgerStoreFixture = {
  /** Opens the adapter's ledger; every call opens the same one (a reopen after close). */
  open(): Promise<LedgerStore>;
  /**
   * How a child process opens the same ledger: a module, its exported factory and its (JSON)
   * argument. Absent for an adapter that does not outlive its process.
   */
  child?: { module: string; exportName: string; parameters: unknown };
  /** Whether one `append` is all or nothing after a crash (a transaction). */
  atomicAppend: boolean;
  /** Removes the ledger. */
  dispose(): Promise<void>;
};

const CHILD = fileURLToPath(new URL('./ledgerStoreChild.ts', import.meta.url));
const policies = { btc: depthPolicy };

type Child = { process: ChildProcess; lines: AsyncIterator<string> };

/** Starts `ledgerStoreChild.ts` on the ledger `spec` opens, in `mode`; tracked in `children`. */
export function startChild(
  spec: NonNullable<LedgerStoreFixture['child']>,
  mode: 'hold' | 'append-forever',
  children: Set<ChildProcess>,
): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify({ ...spec, mode })], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return { process: child, lines };
}

/** The next line the child reported, as JSON. */
export async function nextJson(child: Child): Promise<Record<string, unknown>> {
  const next = await child.lines.next();
  if (next.done) throw new Error('the child process ended without a report');
  return JSON.parse(next.value) as Record<string, unknown>;
}

/** Kills the child with SIGKILL (no cleanup of any kind) and waits for its exit. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

/**
 * The ledger store contract: every adapter passes the same suite. `createFixture` gives a fresh,
 * empty ledger for each test.
 */
export function runLedgerStoreContract(name: string, createFixture: () => Promise<LedgerStoreFixture>): void {
  describe(`ledger store contract: ${name}`, () => {
    let fixture: LedgerStoreFixture;
    let store: LedgerStore;
    const children = new Set<ChildProcess>();

    const reopen = async () => {
      await store.close();
      store = await fixture.open();
    };

    beforeEach(async () => {
      fixture = await createFixture();
      store = await fixture.open();
    });
    afterEach(async () => {
      await Promise.all([...children].map(stop));
      await store.close();
      await fixture.dispose();
    });
    after(async () => {
      await Promise.all([...children].map(stop));
    });

    it('default: a new ledger loads no facts', async () => {
      assert.deepEqual(await store.load(), []);
      await reopen();
      assert.deepEqual(await store.load(), []);
    });

    it('behavior: facts load in the order appended, across appends', async () => {
      const facts = lifecycleFacts.slice(0, 7);
      await store.append(facts.slice(0, 3));
      await store.append([]);
      await store.append(facts.slice(3, 4));
      await store.append(facts.slice(4));
      assert.deepEqual(await store.load(), facts);
      await reopen();
      assert.deepEqual(await store.load(), facts);
    });

    it('behavior: bigints round-trip exactly, beyond 2^64', async () => {
      const big = 2n ** 64n + 1n;
      const facts: LedgerFact[] = [
        head(1),
        {
          type: 'head',
          chain: 'btc',
          atMs: 2,
          head: { number: big, hash: 'h' },
        },
        trade('big', 1, 'x'),
        reorg(3, [0, 'a'], [1, 'a'], [1, 'b'], ['a1']),
      ];
      const execution = facts[2] as Extract<LedgerFact, { type: 'execution' }>;
      execution.execution.blockNumber = big - 7n;
      await store.append(facts);
      await reopen();
      const loaded = await store.load();
      assert.deepEqual(loaded, facts);
      const loadedHead = loaded[1] as Extract<LedgerFact, { type: 'head' }>;
      assert.equal(typeof loadedHead.head.number, 'bigint');
      assert.equal(loadedHead.head.number, 18_446_744_073_709_551_617n);
    });

    it('behavior: an append after a reopen continues the ledger', async () => {
      await store.append(lifecycleFacts.slice(0, 5));
      await reopen();
      await store.append(lifecycleFacts.slice(5, 9));
      await reopen();
      await store.append(lifecycleFacts.slice(9));
      assert.deepEqual(await store.load(), lifecycleFacts);
    });

    it('behavior: after a restart, replayLedger gives the same state and settlement report', async () => {
      const live = createLedgerState({ policies });
      for (let i = 0; i < lifecycleFacts.length; i += 3) {
        const batch = lifecycleFacts.slice(i, i + 3);
        for (const fact of batch) reduceLedger(live, fact);
        await store.append(batch);
      }
      const statuses = Object.fromEntries([...live.executions].map(([id, e]) => [id, e.status]));
      assert.deepEqual(statuses, lifecycleStatuses);
      await reopen();
      const replayed = await replayLedger(store, { policies });
      assert.deepEqual(replayed, live);
      const report = toSettlementReport(replayed);
      assert.deepEqual(report, toSettlementReport(live));
      assert.deepEqual(
        [
          report.invalidated.map((e) => e.id),
          report.reincluded.map((e) => e.id),
          report.orphaned.map((e) => e.id),
        ],
        [['invalidated'], ['reincluded'], ['orphaned']],
      );
      assert.deepEqual(report.settled, { count: 2, payoutUsd: 20, marginReleaseUsd: 0 });
    });

    it('behavior: a process killed by SIGKILL in the middle of appends loses no appended fact', async (t) => {
      if (fixture.child === undefined) {
        t.skip('the adapter does not outlive its process');
        return;
      }
      await store.close();
      const writer = startChild(fixture.child, 'append-forever', children);
      let committed = 0;
      while (committed < 300) committed = (await nextJson(writer)).facts as number;
      await stop(writer.process);
      // Appends reported between the last read and the kill count as well.
      for (let next = await writer.lines.next(); !next.done; next = await writer.lines.next()) {
        committed = (JSON.parse(next.value) as { facts: number }).facts;
      }
      store = await fixture.open();
      const loaded = await store.load();
      assert.ok(loaded.length >= committed, `${loaded.length} facts loaded, ${committed} were appended`);
      if (fixture.atomicAppend) assert.equal(loaded.length % 2, 0, 'half an append is stored');
      const batches = Math.ceil(loaded.length / 2);
      const expected = Array.from({ length: batches }, (_, i) => crashBatch(i + 1)).flat();
      assert.deepEqual(loaded, expected.slice(0, loaded.length));
      const next = crashBatch(batches + 1);
      await store.append(next);
      await reopen();
      assert.deepEqual((await store.load()).slice(loaded.length), next);
    });
  });
}
