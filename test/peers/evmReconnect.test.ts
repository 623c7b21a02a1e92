import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { BlockObservation } from '../../src/core/observation.ts';
import { toHash } from '../../src/core/observation.ts';
import { createEvmSource } from '../../src/sources/evm/createEvmSource.ts';
import { type RunningNode, startAnvil } from './nodes.ts';
import { observe } from './observe.ts';
import { findReorg } from './reorgView.ts';

type RpcBlock = { hash: string; number: string };

describe('EVM source: the node killed mid-run and restarted on the same port, with a reorg meanwhile', () => {
  for (const transport of ['http', 'ws'] as const) {
    it(`behavior: errors while down, then reconnect, the reorg and every missed block (${transport})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cg-anvil-state-'));
      const statePath = join(dir, 'state.json');
      let anvil: RunningNode | undefined = await startAnvil({
        blockTimeS: 0,
        statePath,
        args: ['--preserve-historical-states'],
      });
      const port = anvil.port;
      const observed = await observe(
        createEvmSource({
          chain: 'devnet',
          node: `anvil-${transport}`,
          url: transport === 'http' ? anvil.url : anvil.wsUrl,
          pollIntervalMs: 50,
          requestTimeoutMs: 1_000,
          reconnectMinMs: 100,
          reconnectMaxMs: 400,
        }),
      );
      try {
        await anvil.rpc('anvil_mine', ['0x5']);
        const before = (await anvil.rpc('eth_getBlockByNumber', ['latest', false])) as RpcBlock;
        await observed.waitFor((o) => o.type === 'head' && o.hash === toHash(before.hash));

        await anvil.stop();
        anvil = undefined;
        const down = observed.observations.length;
        await observed.waitFor((o) => o.type === 'error', { from: down });
        await observed.waitFor((o) => o.type === 'error', {
          from: observed.observations.findIndex((o, i) => i >= down && o.type === 'error') + 1,
        });
        const errors = observed.observations.slice(down).filter((o) => o.type === 'error');
        for (const error of errors) assert.equal(error.code, 'unreachable', error.message);

        anvil = await startAnvil({ blockTimeS: 0, statePath, port, args: ['--preserve-historical-states'] });
        assert.equal(
          ((await anvil.rpc('eth_getBlockByNumber', ['0x5', false])) as RpcBlock).hash,
          before.hash,
        );
        const ancestor = (await anvil.rpc('eth_getBlockByNumber', ['0x2', false])) as RpcBlock;
        await anvil.rpc('anvil_reorg', [3, []]);
        await anvil.rpc('anvil_mine', ['0x5']);
        const after = (await anvil.rpc('eth_getBlockByNumber', ['latest', false])) as RpcBlock;
        const head = await observed.waitFor((o) => o.type === 'head' && o.hash === toHash(after.hash), {
          from: down,
        });

        const seen = new Map<string, BlockObservation>();
        for (const o of observed.observations.slice(0, observed.observations.indexOf(head) + 1)) {
          if (o.type === 'head' || o.type === 'block') seen.set(o.hash, o);
        }
        for (let number = 6; number <= 10; number += 1) {
          const block = (await anvil.rpc('eth_getBlockByNumber', [
            `0x${number.toString(16)}`,
            false,
          ])) as RpcBlock;
          const observation = seen.get(toHash(block.hash));
          assert.ok(observation, `block ${number} observed`);
          assert.equal(observation.number, BigInt(number));
        }
        const reorg = findReorg(observed.observations, down);
        assert.ok(reorg, 'the reorg made while the source was away');
        assert.equal(reorg.depth, 3);
        assert.equal(reorg.oldHead.hash, toHash(before.hash));
        assert.deepEqual(reorg.commonAncestor, { number: 2n, hash: toHash(ancestor.hash) });
        assert.equal(
          observed.observations.some((o) => o.type === 'error' && o.code !== 'unreachable'),
          false,
        );
      } finally {
        await observed.stop();
        await anvil?.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
