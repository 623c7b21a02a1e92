import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BlockObservation, Observation } from '../../src/core/observation.ts';
import { blockHash } from '../../src/sources/evm/blockHash.ts';
import { createEvmSource } from '../../src/sources/evm/createEvmSource.ts';
import { parseRpcBlockHeader } from '../../src/sources/evm/parseRpcBlockHeader.ts';
import { rpcAt } from '../peers/nodes.ts';
import { startMisbehavingEvmNode } from './startMisbehavingEvmNode.ts';
import { startRpcProxy } from './startRpcProxy.ts';
import { waitFor } from './waitFor.ts';

const isHead = (o: Observation): o is BlockObservation => o.type === 'head';

/** Watches `url` with the real EVM source until `until` holds; returns what it emitted. */
async function observe(url: string, until: (seen: Observation[]) => boolean): Promise<Observation[]> {
  const seen: Observation[] = [];
  const source = createEvmSource({ chain: 'devnet', node: 'bad', url, pollIntervalMs: 50 });
  await source.start((observation) => seen.push(observation));
  try {
    await waitFor('the observations', () => (until(seen) ? true : undefined), 15_000, 20);
  } finally {
    await source.stop();
  }
  return seen;
}

describe('startMisbehavingEvmNode', () => {
  it('default: every header hashes to its hash (the guard function) and links to its parent', async () => {
    const node = await startMisbehavingEvmNode({ blockIntervalMs: 0 });
    try {
      node.mine(3);
      node.walkBack(2);
      assert.ok(node.blocks().size >= 20);
      for (const block of node.blocks().values()) {
        const parsed = parseRpcBlockHeader(block.rpc);
        assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
        assert.equal(blockHash(parsed.header), block.hash);
        assert.equal(parsed.number, block.number);
      }
      const head = (await rpcAt(node.url, 'eth_getBlockByNumber', ['latest', false])) as { hash: string };
      assert.equal(head.hash, node.head().hash);
      const parent = (await rpcAt(node.url, 'eth_getBlockByHash', [node.head().parentHash, false])) as {
        number: string;
      };
      assert.equal(BigInt(parent.number), node.head().number - 1n);
      assert.equal(await rpcAt(node.url, 'eth_chainId'), '0x67932');
    } finally {
      await node.close();
    }
  });

  it('behavior: the EVM source accepts its heads and checkpoints, with no error, and sees a walk back as a reorg', async () => {
    const node = await startMisbehavingEvmNode({ blockIntervalMs: 0, finalizedLag: 4 });
    try {
      const first = node.head();
      let walked = false;
      const seen = await observe(node.url, (observed) => {
        const heads = observed.filter(isHead);
        const finalized = observed.some(
          (o) => o.type === 'checkpoint' && o.kind === 'finalized' && o.number === first.number - 4n,
        );
        if (!walked && finalized) {
          walked = true;
          node.walkBack(3);
        }
        return heads.some((o) => o.hash === node.head().hash.slice(2)) && walked;
      });
      assert.deepEqual(
        seen.filter((o) => o.type === 'error'),
        [],
      );
      const heads = seen.filter(isHead);
      assert.equal(heads.at(-1)?.number, first.number - 3n);
      assert.ok(
        seen.some((o) => o.type === 'checkpoint' && o.kind === 'finalized' && o.number === first.number - 4n),
      );
    } finally {
      await node.close();
    }
  });

  it('args: startHeight near 2^64: heads up to 2^64 - 1 are accepted; mining stops there', async () => {
    const top = (1n << 64n) - 1n;
    const node = await startMisbehavingEvmNode({
      startHeight: top - 3n,
      initialBlocks: 2,
      blockIntervalMs: 0,
    });
    try {
      assert.equal(node.mine(5).number, top);
      const seen = await observe(node.url, (observed) => observed.some((o) => o.type === 'head'));
      assert.deepEqual(
        seen.filter((o) => o.type === 'error'),
        [],
      );
      assert.equal(seen.find(isHead)?.number, top);
    } finally {
      await node.close();
    }
  });

  it('behavior: failBlocks answers eth_getBlock* with a JSON-RPC error carrying errorMessage', async () => {
    const node = await startMisbehavingEvmNode({ blockIntervalMs: 0 });
    try {
      node.errorMessage = 'no header\r\naudit: forged';
      node.failBlocks(true);
      await assert.rejects(
        rpcAt(node.url, 'eth_getBlockByNumber', ['latest', false]),
        /no header\r\naudit: forged/,
      );
      assert.equal(await rpcAt(node.url, 'web3_clientVersion'), 'misbehaving/v0.0.1');
      node.failBlocks(false);
      assert.ok(await rpcAt(node.url, 'eth_getBlockByNumber', ['latest', false]));
    } finally {
      await node.close();
    }
  });

  it('behavior: startRpcProxy passes calls through, and rewrites one when asked', async () => {
    const node = await startMisbehavingEvmNode({ blockIntervalMs: 0 });
    const twin = await startRpcProxy({ target: node.url });
    const liar = await startRpcProxy({
      target: node.url,
      rewrite: (call, answer) =>
        call.method === 'web3_clientVersion' ? { ...answer, result: 'liar/1' } : answer,
    });
    try {
      const viaTwin = (await rpcAt(twin.url, 'eth_getBlockByNumber', ['latest', false])) as { hash: string };
      assert.equal(viaTwin.hash, node.head().hash);
      assert.equal(await rpcAt(liar.url, 'web3_clientVersion'), 'liar/1');
      assert.deepEqual(
        twin.calls.map((c) => c.method),
        ['eth_getBlockByNumber'],
      );
    } finally {
      await Promise.all([twin.close(), liar.close()]);
      await node.close();
    }
  });
});
