import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHash } from '../../src/core/observation.ts';
import { blockHash } from '../../src/sources/evm/blockHash.ts';
import { createEvmSource } from '../../src/sources/evm/createEvmSource.ts';
import { parseRpcBlockHeader } from '../../src/sources/evm/parseRpcBlockHeader.ts';
import { type RunningNode, startAnvil, startGanache, startHardhat } from './nodes.ts';
import { observe } from './observe.ts';

type RpcBlock = { hash: string; number: string };

const implementations: Array<[string, () => Promise<RunningNode>, (node: RunningNode) => Promise<void>]> = [
  ['Anvil', () => startAnvil({ blockTimeS: 0 }), (node) => node.rpc('evm_mine').then(() => {})],
  ['Hardhat', () => startHardhat(), (node) => node.rpc('evm_mine').then(() => {})],
  ['Ganache', () => startGanache(), (node) => node.rpc('evm_mine').then(() => {})],
];

describe('EVM source: block hash integrity on three implementations', () => {
  for (const [name, start, mine] of implementations) {
    it(`behavior: every ${name} header hashes to its hash, over HTTP and the newHeads subscription`, async () => {
      const node = await start();
      const http = await observe(
        createEvmSource({ chain: 'devnet', node: `${name}-http`, url: node.url, pollIntervalMs: 50 }),
      );
      const ws = await observe(
        createEvmSource({ chain: 'devnet', node: `${name}-ws`, url: node.wsUrl, pollIntervalMs: 50 }),
      );
      try {
        await http.waitFor((o) => o.type === 'head');
        await ws.waitFor((o) => o.type === 'head');
        const [from] = (await node.rpc('eth_accounts')) as string[];
        for (let i = 0; i < 4; i += 1) {
          await node.rpc('eth_sendTransaction', [
            { from, to: '0x000000000000000000000000000000000000dEaD', value: '0x1' },
          ]);
          await mine(node);
        }
        const latest = (await node.rpc('eth_getBlockByNumber', ['latest', false])) as RpcBlock;
        const height = Number(latest.number);
        assert.ok(height >= 4);
        let withTransactions = 0;
        for (let number = 0; number <= height; number += 1) {
          const block = (await node.rpc('eth_getBlockByNumber', [`0x${number.toString(16)}`, false])) as {
            transactions: unknown[];
          };
          const parsed = parseRpcBlockHeader(block);
          assert.ok(parsed.ok, `block ${number} parses`);
          assert.equal(blockHash(parsed.header), parsed.header.hash, `block ${number}`);
          if (block.transactions.length > 0) withTransactions += 1;
        }
        assert.ok(withTransactions >= 4);

        for (const observed of [http, ws]) {
          await observed.waitFor((o) => o.type === 'head' && o.hash === toHash(latest.hash));
          assert.deepEqual(
            observed.observations.filter((o) => o.type === 'error'),
            [],
          );
        }
        const pushed = ws.observations.filter((o) => o.type === 'head' && o.latencyMs === undefined);
        assert.ok(pushed.length >= 2, 'heads delivered by the subscription');
      } finally {
        await http.stop();
        await ws.stop();
        await node.stop();
      }
    });
  }
});
