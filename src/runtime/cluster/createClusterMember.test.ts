import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterStore, Fence } from '../../store/clusterStore.ts';
import type { ServiceLogEntry } from '../createService.ts';
import { type CreateClusterMemberParameters, createClusterMember } from './createClusterMember.ts';

/** The lease methods of a cluster store in memory, on this process's clock; `down` makes every
 * call fail, as a database that cannot be reached. */
function createLeaseTable() {
  const table = { holder: undefined as string | undefined, epoch: 0, expiresAtMs: 0, down: false };
  const reachable = () => {
    if (table.down) throw new Error('connect ECONNREFUSED');
  };
  const store = {
    async acquireLease(instance: string, ttlMs: number) {
      reachable();
      if (table.expiresAtMs >= performance.now()) return undefined;
      table.holder = instance;
      table.epoch += 1;
      table.expiresAtMs = performance.now() + ttlMs;
      return table.epoch;
    },
    async renewLease(fence: Fence, ttlMs: number) {
      reachable();
      if (table.holder !== fence.instance || table.epoch !== fence.epoch) return false;
      table.expiresAtMs = performance.now() + ttlMs;
      return true;
    },
    async releaseLease(fence: Fence) {
      reachable();
      if (table.holder === fence.instance && table.epoch === fence.epoch) table.expiresAtMs = 0;
    },
    async heartbeat() {
      reachable();
    },
  };
  return { table, store: store as unknown as ClusterStore };
}

async function until(what: string, check: () => boolean) {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A replica `guard-a` on `store` (lease 150 ms, loop every 10 ms) that records its step-downs and
 * its log; `overrides` replace its hooks. */
function createTestMember(store: ClusterStore, overrides: Partial<CreateClusterMemberParameters> = {}) {
  const steppedDown: string[] = [];
  const logs: ServiceLogEntry[] = [];
  const member = createClusterMember({
    cluster: store,
    instance: 'guard-a',
    role: 'replica',
    leaseMs: 150,
    pollMs: 10,
    log: (entry) => logs.push(entry),
    catchUp: async () => undefined,
    lead: async () => undefined,
    stepDown: (reason) => steppedDown.push(reason),
    leaderTick: async () => undefined,
    ...overrides,
  });
  return { member, steppedDown, logs };
}

describe('createClusterMember', () => {
  it('behavior: the database down: the leader, whose every tick and renewal fails, steps down once its lease lapses, and leads again at a new epoch once the database is back', async () => {
    const { table, store } = createLeaseTable();
    const { member, steppedDown, logs } = createTestMember(store, {
      catchUp: async () => {
        if (table.down) throw new Error('connect ECONNREFUSED');
      },
      leaderTick: async () => {
        if (table.down) throw new Error('connect ECONNREFUSED');
      },
    });
    member.start();
    try {
      await until('the lease', () => member.role() === 'leader');
      assert.equal(member.epoch(), 1);
      table.down = true;
      await until('the step-down', () => member.role() === 'follower');
      assert.equal(member.canAct(), false);
      assert.deepEqual(steppedDown, ['the lease could not be renewed in time']);
      assert.ok(logs.some((l) => l.code === 'leader_tick_failed'));
      table.down = false;
      await until('the lease again', () => member.role() === 'leader');
      assert.equal(member.epoch(), 2);
      assert.equal(member.canAct(), true);
    } finally {
      await member.stop();
    }
  });

  it('behavior: the database cut off (a query that never answers): the leader, stuck in its inbox take, steps down once its lease lapses, and leads again once the query returns', async () => {
    const { store } = createLeaseTable();
    let release: (() => void) | undefined;
    let hang = false;
    const { member, steppedDown } = createTestMember(store, {
      leaderTick: () =>
        hang
          ? new Promise<void>((resolve) => {
              release = resolve;
            })
          : Promise.resolve(),
    });
    member.start();
    try {
      await until('the lease', () => member.role() === 'leader');
      hang = true;
      await until('the step-down', () => member.role() === 'follower');
      assert.equal(member.canAct(), false);
      assert.deepEqual(steppedDown, ['the database did not answer within the lease']);
      hang = false;
      release?.();
      await until('the lease again', () => member.role() === 'leader');
      assert.equal(member.epoch(), 2);
    } finally {
      await member.stop();
    }
  });
});
