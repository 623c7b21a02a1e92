import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Observation } from '../../src/core/observation.ts';
import { toHash } from '../../src/core/observation.ts';
import type { ReorgSignal, Signal } from '../../src/core/signal.ts';
import { createEngineState, step } from '../../src/engine/step.ts';
import { createEvmSource } from '../../src/sources/evm/createEvmSource.ts';
import { type RunningNode, startAnvil } from './nodes.ts';
import { observe } from './observe.ts';

type RpcBlock = { hash: string; number: string };

describe('EVM source into the engine: an Anvil reorg of depth 3 (devnet preset)', () => {
  let anvil: RunningNode;
  before(async () => {
    anvil = await startAnvil({ blockTimeS: 0 });
  });
  after(async () => {
    await anvil?.stop();
  });

  for (const transport of ['http', 'ws'] as const) {
    it(`behavior: reported as a reorg of depth 3 with the right common ancestor at the first head after it (${transport})`, async () => {
      let state = createEngineState({ chains: { devnet: { preset: 'devnet' } } });
      const fed: Array<{ observation: Observation; signals: Signal[] }> = [];
      const observed = await observe(
        createEvmSource({
          chain: 'devnet',
          node: `anvil-${transport}`,
          url: transport === 'http' ? anvil.url : anvil.wsUrl,
          pollIntervalMs: 100,
        }),
      );
      const feed = () => {
        for (const observation of observed.observations.slice(fed.length)) {
          const result = step(state, observation);
          state = result.state;
          fed.push({ observation, signals: result.signals });
        }
      };
      try {
        await observed.waitFor((o) => o.type === 'head');
        await anvil.rpc('anvil_mine', ['0x6']);
        const tip = (await anvil.rpc('eth_getBlockByNumber', ['latest', false])) as RpcBlock;
        await observed.waitFor((o) => o.type === 'head' && o.hash === toHash(tip.hash));
        const height = Number(tip.number);
        const ancestor = (await anvil.rpc('eth_getBlockByNumber', [
          `0x${(height - 3).toString(16)}`,
          false,
        ])) as RpcBlock;
        feed();
        const from = fed.length;
        assert.deepEqual(
          fed.flatMap((entry) => entry.signals).filter((signal) => signal.kind === 'reorg'),
          [],
        );

        await anvil.rpc('anvil_reorg', [3, []]);
        const newTip = (await anvil.rpc('eth_getBlockByNumber', ['latest', false])) as RpcBlock;
        await observed.waitFor((o) => o.type === 'head' && o.hash === toHash(newTip.hash), { from });
        feed();

        const firstHead = fed.findIndex((entry, index) => index >= from && entry.observation.type === 'head');
        const reorgs =
          fed[firstHead]?.signals.filter((signal): signal is ReorgSignal => signal.kind === 'reorg') ?? [];
        assert.ok(reorgs.length > 0, 'a reorg signal at the first head after the reorg');
        for (const reorg of reorgs) {
          assert.equal(reorg.depth, 3);
          assert.deepEqual(reorg.commonAncestor, { number: BigInt(height - 3), hash: toHash(ancestor.hash) });
          assert.equal(reorg.oldHead.hash, toHash(tip.hash));
        }
        assert.ok(reorgs.some((reorg) => reorg.scope === 'chain'));
        const later = fed.slice(firstHead + 1).flatMap((entry) => entry.signals);
        assert.equal(
          later.some((signal) => signal.kind === 'reorg'),
          false,
          'one reorg, reported once',
        );
      } finally {
        await observed.stop();
      }
    });
  }
});
