import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Transition } from '../../src/breaker/levels.ts';
import type { Observation } from '../../src/core/observation.ts';
import type { ReorgSignal } from '../../src/core/signal.ts';
import { type EventEntry, SNAPSHOTS_KEPT, type Store, type StoredEvent } from '../../src/store/store.ts';

/** What the contract needs of an adapter. */
export type StoreAdapterFixture = {
  /** Opens the adapter's database; every call opens the same one (a reopen after close). */
  open(): Promise<Store>;
  /** How a child process opens the same database: a module, its exported factory and its argument
   * (absent for a store that lives in one process). */
  child?: { module: string; exportName: string; parameters: unknown };
  /** Removes the database. */
  dispose(): Promise<void>;
};

const CHILD = fileURLToPath(new URL('./storeChild.ts', import.meta.url));
const T0 = 1_700_000_000_000;

const head = (n: number, node = 'a'): Observation => ({
  type: 'head',
  chain: 'eth',
  node,
  client: 'Geth/v1.14',
  number: BigInt(n),
  hash: n.toString(16).padStart(64, '0'),
  parentHash: (n - 1).toString(16).padStart(64, '0'),
  timestamp: 1_700_000_000 + n * 12,
  observedAtMs: T0 + n * 12_000,
  latencyMs: 3,
});

const transition = (
  breaker: string,
  seq: number,
  from: Transition['from'],
  to: Transition['to'],
): Transition => ({
  breaker,
  from,
  to,
  atMs: T0 + seq,
  reason: `test ${seq}`,
  causes: ['reorg'],
  mode: 'auto',
  seq,
  idempotencyKey: `${breaker}:${seq}:${from}>${to}`,
});

const reorg: ReorgSignal = {
  kind: 'reorg',
  chain: 'eth',
  node: 'a',
  severity: 'critical',
  atMs: T0,
  message: 'reorg of depth 7',
  scope: 'chain',
  depth: 7,
  commonAncestor: { number: 10n, hash: 'aa' },
  oldHead: { number: 17n, hash: 'bb' },
  newHead: { number: 18n, hash: 'cc' },
  replaced: ['b1', 'b2'],
  finalizedReverted: false,
};

const entry = (
  observation: Observation,
  transitions: Transition[] = [],
  signals = [] as EventEntry['signals'],
) => ({
  event: { type: 'observation' as const, observation },
  signals,
  transitions,
});

async function collect(iterable: AsyncIterable<StoredEvent[]>): Promise<StoredEvent[][]> {
  const batches: StoredEvent[][] = [];
  for await (const batch of iterable) batches.push(batch);
  return batches;
}

type Child = { process: ChildProcess; lines: AsyncIterator<string> };

function startChild(fixture: StoreAdapterFixture, mode: string, children: Set<ChildProcess>): Child {
  assert.ok(fixture.child, 'the fixture names how a child process opens the store');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, JSON.stringify({ ...fixture.child, mode })],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.add(child);
  child.once('exit', () => children.delete(child));
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return { process: child, lines };
}

async function nextJson(child: Child): Promise<Record<string, unknown>> {
  const next = await child.lines.next();
  if (next.done) throw new Error('the child process ended without a report');
  return JSON.parse(next.value) as Record<string, unknown>;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

const snapshot = (n: number) => ({
  formatVersion: 1,
  configHash: `config-${n}`,
  checksum: `sum-${n}`,
  atMs: T0 + n,
  body: Uint8Array.from({ length: 100 + n }, (_, i) => (i * 7 + n) % 256),
});

/**
 * The store contract: every adapter passes the same suite. `createFixture` gives a fresh, empty
 * database for each test. `crossProcess: false` leaves out the tests of a second process (locks,
 * `kill -9`), for a store that lives inside one process (memory); it gets an in-process lock test.
 */
export function runStoreContract(
  name: string,
  createFixture: () => Promise<StoreAdapterFixture>,
  options: { crossProcess?: boolean } = {},
): void {
  const crossProcess = options.crossProcess ?? true;
  describe(`store contract: ${name}`, () => {
    let fixture: StoreAdapterFixture;
    let store: Store;
    const children = new Set<ChildProcess>();

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

    it('default: a new store is empty and migrated', async () => {
      assert.equal(await store.lastSeq(), 0);
      assert.deepEqual(await collect(store.readEvents()), []);
      assert.deepEqual(await store.countActions(), { pending: 0, delivered: 0, failed: 0 });
      const migrations = await store.migrations();
      assert.ok(migrations.length >= 1);
      assert.equal(migrations[0]?.version, 1);
    });

    it('behavior: events come back in order, equal, with sequence numbers from 1, in batches', async () => {
      const observations = [1, 2, 3, 4, 5, 6, 7].map((n) => head(n));
      observations.push({ type: 'tick', observedAtMs: T0 + 100_000 });
      observations.push({
        type: 'checkpoint',
        chain: 'eth',
        node: 'a',
        kind: 'finalized',
        number: 3n,
        hash: 'ab',
        observedAtMs: T0 + 1,
      });
      observations.push({
        type: 'error',
        chain: 'eth',
        node: 'b',
        code: 'timeout',
        message: 'no answer',
        observedAtMs: T0 + 2,
      });
      const command = {
        type: 'override' as const,
        breaker: 'eth',
        level: 'halt' as const,
        actor: 'alice',
        reason: 'drill',
        atMs: T0 + 3,
      };
      const seqs = await store.appendEvents({
        entries: [
          ...observations.map((o) => entry(o)),
          { event: { type: 'command', command }, signals: [], transitions: [] },
        ],
        sinks: [],
        nowMs: T0,
      });
      assert.deepEqual(seqs, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      assert.equal(await store.lastSeq(), 11);
      const batches = await collect(store.readEvents({ batchSize: 4 }));
      assert.deepEqual(
        batches.map((b) => b.length),
        [4, 4, 3],
      );
      const events = batches.flat();
      assert.deepEqual(
        events.map((e) => e.seq),
        seqs,
      );
      assert.deepEqual(
        events.slice(0, 10).map((e) => (e.type === 'observation' ? e.observation : undefined)),
        observations,
      );
      assert.deepEqual(events[10], { seq: 11, type: 'command', command });
      const tail = (await collect(store.readEvents({ afterSeq: 9 }))).flat();
      assert.deepEqual(
        tail.map((e) => e.seq),
        [10, 11],
      );
    });

    it('behavior: signals are stored with their event and read back equal (bigints included)', async () => {
      await store.appendEvents({ entries: [entry(head(1), [], [reorg])], sinks: [], nowMs: T0 });
      const signals = await store.listSignals();
      assert.equal(signals.length, 1);
      assert.equal(signals[0]?.eventSeq, 1);
      assert.deepEqual(signals[0]?.signal, reorg);
    });

    it('behavior: a transition is enqueued once per sink; enqueueing it again is a no-op', async () => {
      const t1 = transition('eth', 1, 'normal', 'halt');
      await store.appendEvents({ entries: [entry(head(1), [t1])], sinks: ['hook', 'chain'], nowMs: T0 });
      assert.deepEqual(await store.countActions(), { pending: 2, delivered: 0, failed: 0 });
      assert.deepEqual(await store.countActions('hook'), { pending: 1, delivered: 0, failed: 0 });
      const again = await store.enqueueTransitions({
        transitions: [t1],
        sinks: ['hook', 'chain'],
        nowMs: T0 + 5,
      });
      assert.deepEqual(again, { enqueued: 0, conflicts: [] });
      assert.deepEqual(await store.countActions(), { pending: 2, delivered: 0, failed: 0 });
      const added = await store.enqueueTransitions({ transitions: [t1], sinks: ['pager'], nowMs: T0 + 5 });
      assert.equal(added.enqueued, 1);
      assert.deepEqual(await store.listTransitions(), [t1]);
    });

    it('behavior: a transition replayed with another key at the same breaker seq is a conflict, not enqueued', async () => {
      await store.enqueueTransitions({
        transitions: [transition('eth', 1, 'normal', 'halt')],
        sinks: ['hook'],
        nowMs: T0,
      });
      const other = transition('eth', 1, 'normal', 'caution');
      const result = await store.enqueueTransitions({ transitions: [other], sinks: ['hook'], nowMs: T0 });
      assert.deepEqual(result, { enqueued: 0, conflicts: [other] });
      assert.equal((await store.listActions()).length, 1);
    });

    it('behavior: head actions: one per breaker, lowest seq first; delivered ones never come back', async () => {
      const ts = [
        transition('eth', 1, 'normal', 'caution'),
        transition('btc', 1, 'normal', 'halt'),
        transition('eth', 2, 'caution', 'halt'),
        transition('eth', 3, 'halt', 'normal'),
      ];
      await store.enqueueTransitions({ transitions: ts, sinks: ['hook', 'other'], nowMs: T0 });
      let heads = await store.headActions('hook');
      assert.deepEqual(
        heads.map((a) => a.transition.idempotencyKey),
        ['btc:1:normal>halt', 'eth:1:normal>caution'],
      );
      assert.equal(heads[0]?.status, 'pending');
      assert.equal(heads[0]?.attempts, 0);
      assert.equal(heads[0]?.nextAttemptAtMs, T0);
      const eth1 = heads[1]!;
      await store.markDelivered(eth1.id, T0 + 10);
      await store.markDelivered(eth1.id, T0 + 20);
      heads = await store.headActions('hook');
      assert.deepEqual(
        heads.map((a) => a.transition.idempotencyKey),
        ['btc:1:normal>halt', 'eth:2:caution>halt'],
      );
      const delivered = await store.listActions({ sink: 'hook', status: 'delivered' });
      assert.equal(delivered.length, 1);
      assert.equal(delivered[0]?.deliveredAtMs, T0 + 10);
      assert.equal((await store.headActions('other')).length, 2);
    });

    it('behavior: a failed attempt counts, keeps the error and the next time; a final failure lets the next one through', async () => {
      await store.enqueueTransitions({
        transitions: [transition('eth', 1, 'normal', 'halt'), transition('eth', 2, 'halt', 'normal')],
        sinks: ['hook'],
        nowMs: T0,
      });
      const [first] = await store.headActions('hook');
      await store.markAttemptFailed(first!.id, { error: 'HTTP 503', nextAttemptAtMs: T0 + 500 });
      await store.markAttemptFailed(first!.id, { error: 'ECONNREFUSED', nextAttemptAtMs: T0 + 1500 });
      const [retried] = await store.headActions('hook');
      assert.equal(retried?.id, first?.id);
      assert.equal(retried?.attempts, 2);
      assert.equal(retried?.lastError, 'ECONNREFUSED');
      assert.equal(retried?.nextAttemptAtMs, T0 + 1500);
      await store.markAttemptFailed(first!.id, { error: 'gave up', nextAttemptAtMs: T0 + 1500, final: true });
      const [next] = await store.headActions('hook');
      assert.equal(next?.transition.seq, 2);
      assert.deepEqual(await store.countActions('hook'), { pending: 1, delivered: 0, failed: 1 });
    });

    it('behavior: override and resume commands are audited with who, why and when', async () => {
      const override = {
        type: 'override' as const,
        breaker: 'eth',
        level: 'halt' as const,
        actor: 'alice',
        reason: 'drill',
        atMs: T0,
      };
      const resume = {
        type: 'resume' as const,
        breaker: 'eth',
        actor: 'bob',
        reason: 'drill over',
        atMs: T0 + 60_000,
      };
      await store.appendEvents({
        entries: [
          entry(head(1)),
          {
            event: { type: 'command', command: override },
            signals: [],
            transitions: [transition('eth', 1, 'normal', 'halt')],
          },
          { event: { type: 'command', command: resume }, signals: [], transitions: [] },
        ],
        sinks: ['hook'],
        nowMs: T0,
      });
      const audit = await store.listAudit();
      assert.deepEqual(
        audit.map(({ id: _, ...rest }) => rest),
        [
          {
            eventSeq: 2,
            action: 'override',
            breaker: 'eth',
            level: 'halt',
            actor: 'alice',
            reason: 'drill',
            atMs: T0,
          },
          {
            eventSeq: 3,
            action: 'resume',
            breaker: 'eth',
            actor: 'bob',
            reason: 'drill over',
            atMs: T0 + 60_000,
          },
        ],
      );
      assert.equal((await store.listAudit({ breaker: 'btc' })).length, 0);
    });

    it('behavior: external conditions, raised and cleared, come back from the log as written and are not audited', async () => {
      const raise = {
        type: 'condition' as const,
        breaker: 'eth',
        key: 'oracle:ETH-USD',
        cause: 'oracle',
        level: 'reduce_only' as const,
        actor: 'oracle',
        reason: 'oracle critical: ETH-USD unobservable',
        atMs: T0,
      };
      const clear = {
        type: 'condition' as const,
        breaker: 'eth',
        key: 'oracle:ETH-USD',
        cause: 'oracle',
        actor: 'oracle',
        reason: 'price observable',
        atMs: T0 + 1000,
      };
      await store.appendEvents({
        entries: [
          { event: { type: 'command', command: raise }, signals: [], transitions: [] },
          { event: { type: 'command', command: clear }, signals: [], transitions: [] },
        ],
        sinks: [],
        nowMs: T0,
      });
      const events = [];
      for await (const batch of store.readEvents()) events.push(...batch);
      assert.deepEqual(events, [
        { seq: 1, type: 'command', command: raise },
        { seq: 2, type: 'command', command: clear },
      ]);
      assert.deepEqual(await store.listAudit(), []);
    });

    it('args: limits keep the newest, oldest first; a breaker filter', async () => {
      const ts = [1, 2, 3]
        .map((s) => transition('eth', s, 'normal', 'halt'))
        .concat(transition('btc', 1, 'normal', 'caution'));
      await store.enqueueTransitions({ transitions: ts, sinks: [], nowMs: T0 });
      assert.deepEqual(
        (await store.listTransitions({ limit: 2 })).map((t) => t.idempotencyKey),
        ['eth:3:normal>halt', 'btc:1:normal>caution'],
      );
      assert.deepEqual(
        (await store.listTransitions({ breaker: 'eth', limit: 2 })).map((t) => t.seq),
        [2, 3],
      );
      await store.appendEvents({
        entries: [1, 2, 3].map((n) => entry(head(n), [], [{ ...reorg, depth: n }])),
        sinks: [],
        nowMs: T0,
      });
      assert.deepEqual(
        (await store.listSignals({ limit: 2 })).map((s) => (s.signal as ReorgSignal).depth),
        [2, 3],
      );
    });

    it('behavior: everything survives a close and a reopen', async () => {
      await store.appendEvents({
        entries: [entry(head(1), [transition('eth', 1, 'normal', 'halt')], [reorg])],
        sinks: ['hook'],
        nowMs: T0,
      });
      await store.close();
      store = await fixture.open();
      assert.equal(await store.lastSeq(), 1);
      assert.equal((await store.listSignals()).length, 1);
      assert.equal((await store.headActions('hook')).length, 1);
      const [next] = await store.appendEvents({ entries: [entry(head(2))], sinks: [], nowMs: T0 });
      assert.equal(next, 2);
    });

    it('behavior: the store has an id, a UUID, the same after a reopen and not that of another store', async () => {
      const id = store.id;
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      await store.close();
      store = await fixture.open();
      assert.equal(store.id, id);
      const other = await createFixture();
      const otherStore = await other.open();
      try {
        assert.notEqual(otherStore.id, id);
      } finally {
        await otherStore.close();
        await other.dispose();
      }
    });

    it('behavior: a snapshot is stored with the last event of its append, read back byte for byte; the newest are kept', async () => {
      assert.deepEqual(await store.listSnapshots(), []);
      await store.appendEvents({
        entries: [entry(head(1)), entry(head(2))],
        sinks: [],
        nowMs: T0,
        snapshot: snapshot(1),
      });
      const { body, ...info } = snapshot(1);
      assert.deepEqual(await store.listSnapshots(), [{ ...info, seq: 2, bytes: body.byteLength }]);
      const read = await store.readSnapshot(2);
      assert.deepEqual(read && { ...read, body: [...read.body] }, {
        ...info,
        seq: 2,
        bytes: body.byteLength,
        body: [...body],
      });
      assert.equal(await store.readSnapshot(1), undefined);
      await store.appendEvents({ entries: [], sinks: [], nowMs: T0, snapshot: snapshot(2) });
      assert.equal((await store.listSnapshots())[0]?.seq, 2, 'no events: at the last stored one');
      for (let n = 3; n <= SNAPSHOTS_KEPT + 3; n += 1) {
        await store.appendEvents({ entries: [entry(head(n))], sinks: [], nowMs: T0, snapshot: snapshot(n) });
      }
      const kept = await store.listSnapshots();
      assert.deepEqual(
        kept.map((s) => s.seq),
        Array.from({ length: SNAPSHOTS_KEPT }, (_, i) => SNAPSHOTS_KEPT + 3 - i),
      );
      assert.equal(kept[0]?.configHash, `config-${SNAPSHOTS_KEPT + 3}`);
      assert.equal(await store.countEvents(), SNAPSHOTS_KEPT + 3);
    });

    it('behavior: outbox counts per sink and status', async () => {
      await store.enqueueTransitions({
        transitions: [transition('eth', 1, 'normal', 'halt'), transition('eth', 2, 'halt', 'normal')],
        sinks: ['hook', 'pager'],
        nowMs: T0,
      });
      const [first] = await store.headActions('hook');
      await store.markDelivered(first!.id, T0);
      const [page] = await store.headActions('pager');
      await store.markAttemptFailed(page!.id, { error: 'x', nextAttemptAtMs: T0, final: true });
      assert.deepEqual(await store.countActionsBySink(), {
        hook: { pending: 1, delivered: 1, failed: 0 },
        pager: { pending: 1, delivered: 0, failed: 1 },
      });
    });

    it('error: a closed store refuses work with store_closed', async () => {
      await store.close();
      await assert.rejects(store.lastSeq(), { code: 'store_closed' });
      await assert.rejects(store.appendEvents({ entries: [entry(head(1))], sinks: [], nowMs: T0 }), {
        code: 'store_closed',
      });
      store = await fixture.open();
    });

    if (!crossProcess) {
      it('error: a second open of a store that is open is store_locked; once it is closed, it opens', async () => {
        await assert.rejects(fixture.open(), { code: 'store_locked' });
        await store.close();
        store = await fixture.open();
        assert.equal(await store.lastSeq(), 0);
      });
      return;
    }

    it('error: a second process cannot open a store that is open (store_locked), and can once it is closed', async () => {
      const blocked = startChild(fixture, 'open-once', children);
      const refused = await nextJson(blocked);
      assert.equal(refused.ok, false);
      assert.equal(refused.code, 'store_locked');
      await store.close();
      const allowed = startChild(fixture, 'open-once', children);
      assert.deepEqual(await nextJson(allowed), { ok: true });
      await once(allowed.process, 'exit');
      store = await fixture.open();
    });

    it('error: while another process holds the store, this one gets store_locked; once it dies, the store opens', async () => {
      await store.close();
      const holder = startChild(fixture, 'hold', children);
      assert.deepEqual(await nextJson(holder), { ready: true });
      await assert.rejects(fixture.open(), { code: 'store_locked' });
      await stop(holder.process);
      store = await fixture.open();
      assert.equal(await store.lastSeq(), 0);
    });

    it('behavior: kill -9 in the middle of writes loses nothing already committed, and no half transaction', async () => {
      await store.close();
      const writer = startChild(fixture, 'append-forever', children);
      let committed = 0;
      while (committed < 300) {
        const report = await nextJson(writer);
        committed = report.seq as number;
      }
      await stop(writer.process);
      store = await fixture.open();
      const last = await store.lastSeq();
      assert.ok(last >= committed, `last seq ${last} is below the committed ${committed}`);
      const events = (await collect(store.readEvents({ batchSize: 128 }))).flat();
      assert.deepEqual(
        events.map((e) => e.seq),
        Array.from({ length: last }, (_, i) => i + 1),
      );
      const transitions = await store.listTransitions();
      assert.equal(transitions.length, Math.floor(last / 5));
      assert.deepEqual(await store.countActions(), {
        pending: 2 * transitions.length,
        delivered: 0,
        failed: 0,
      });
      const [seq] = await store.appendEvents({ entries: [entry(head(1))], sinks: [], nowMs: T0 });
      assert.equal(seq, last + 1);
    });
  });
}
