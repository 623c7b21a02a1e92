import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CheckpointObservation, Observation } from '../../src/core/observation.ts';
import { toHash } from '../../src/core/observation.ts';
import { createEvmSource } from '../../src/sources/evm/createEvmSource.ts';
import { type RunningNode, startAnvil } from './nodes.ts';
import { observe } from './observe.ts';

type RpcBlock = { hash: string; number: string };

describe('EVM source: finalized and safe checkpoints on Anvil (--slots-in-an-epoch 4)', () => {
  let anvil: RunningNode;
  before(async () => {
    anvil = await startAnvil({ blockTimeS: 0, slotsInAnEpoch: 4 });
  });
  after(async () => {
    await anvil?.stop();
  });

  for (const transport of ['http', 'ws'] as const) {
    it(`behavior: safe = latest - 4 and finalized = latest - 8 are observed with the node's hashes (${transport})`, async () => {
      const observed = await observe(
        createEvmSource({
          chain: 'devnet',
          node: `anvil-${transport}`,
          url: transport === 'http' ? anvil.url : anvil.wsUrl,
          pollIntervalMs: 100,
        }),
      );
      try {
        await anvil.rpc('anvil_mine', ['0x14']);
        const latest = (await anvil.rpc('eth_getBlockByNumber', ['latest', false])) as RpcBlock;
        const height = Number(latest.number);
        const finalized = (await anvil.rpc('eth_getBlockByNumber', [
          `0x${(height - 8).toString(16)}`,
          false,
        ])) as RpcBlock;
        const safe = (await anvil.rpc('eth_getBlockByNumber', [
          `0x${(height - 4).toString(16)}`,
          false,
        ])) as RpcBlock;
        const isCheckpoint = (kind: string, hash: string) => (o: Observation) =>
          o.type === 'checkpoint' && o.kind === kind && o.hash === toHash(hash);
        const seenFinalized = (await observed.waitFor(
          isCheckpoint('finalized', finalized.hash),
        )) as CheckpointObservation;
        const seenSafe = (await observed.waitFor(isCheckpoint('safe', safe.hash))) as CheckpointObservation;
        assert.equal(seenFinalized.number, BigInt(height - 8));
        assert.equal(seenSafe.number, BigInt(height - 4));
        assert.equal(seenFinalized.client?.startsWith('anvil'), true);

        const checkpoints = observed.observations.filter((o) => o.type === 'checkpoint');
        for (const kind of ['finalized', 'safe']) {
          const hashes = checkpoints.filter((o) => o.kind === kind).map((o) => o.hash);
          assert.equal(new Set(hashes).size, hashes.length, `${kind}: one observation per change`);
        }
        assert.deepEqual(
          observed.observations.filter((o) => o.type === 'error'),
          [],
        );
      } finally {
        await observed.stop();
      }
    });
  }
});
