import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryDatabase, openMemoryStore } from '../../src/store/memory/openMemoryStore.ts';
import { runStoreContract } from './contract.ts';

runStoreContract(
  'memory',
  async () => {
    const database = createMemoryDatabase();
    return {
      open: () => openMemoryStore({ database }),
      dispose: async () => undefined,
    };
  },
  { crossProcess: false },
);

describe('openMemoryStore', () => {
  it('args: retainEvents keeps the newest events and signals, and sequence numbers go on', async () => {
    const store = await openMemoryStore({ retainEvents: 10 });
    for (let i = 1; i <= 45; i += 1) {
      await store.appendEvents({
        entries: [
          {
            event: { type: 'observation', observation: { type: 'tick', observedAtMs: i } },
            signals: [],
            transitions: [],
          },
        ],
        sinks: [],
        nowMs: i,
      });
    }
    assert.equal(await store.lastSeq(), 45);
    const count = await store.countEvents();
    assert.ok(count >= 10 && count <= 20, `kept ${count}`);
    const events = [];
    for await (const batch of store.readEvents()) events.push(...batch);
    assert.equal(events.at(-1)?.seq, 45);
    await store.close();
  });
});
