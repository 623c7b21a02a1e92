import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isHealthy } from '../../src/core/chainView.ts';
import type { ProofOfWork } from '../../src/core/params.ts';
import type { IntegritySignal, Signal } from '../../src/core/signal.ts';
import { createBitcoinSource } from '../../src/sources/bitcoin/createBitcoinSource.ts';
import { createTestGuard, type TestGuard } from '../support/createTestGuard.ts';
import { type RunningLitecoind, startLitecoind, waitFor } from './litecoind.ts';
import { type LyingBitcoinProxy, type LyingMode, startLyingBitcoinProxy } from './lyingBitcoinProxy.ts';

const REGTEST: ProofOfWork = {
  algorithm: 'scrypt',
  retarget: 'fixed',
  retargetInterval: 2016,
  powLimitBits: 0x207fffff,
};
const MINE = 'raw(51)#8lvh9jxk';

describe('proof of work against litecoind regtest and a lying proxy', () => {
  let node: RunningLitecoind;
  let proxy: LyingBitcoinProxy;
  let guard: TestGuard | undefined;
  let signals: Signal[] = [];

  before(async () => {
    node = await startLitecoind();
    await node.rpc('generatetodescriptor', [5, MINE]);
    proxy = await startLyingBitcoinProxy(node.url);
  });
  after(async () => {
    await guard?.stop();
    await proxy?.close();
    await node?.stop();
  });

  const watch = async (mode: LyingMode) => {
    await guard?.stop();
    proxy.mode = mode;
    signals = [];
    const source = (name: string, url: string) =>
      createBitcoinSource({
        chain: 'litecoin',
        node: name,
        url,
        pollIntervalMs: 50,
        tipsEveryPolls: 2,
        pow: REGTEST,
      });
    guard = createTestGuard({
      engine: {
        chains: {
          litecoin: { preset: 'bitcoin', params: { pow: REGTEST, lag: { maxBlocks: 5, graceMs: 600_000 } } },
        },
      },
      sources: [source('honest', node.url), source('liar', proxy.url)],
      onSignal: (s) => signals.push(s),
    });
    await guard.start();
    return guard;
  };
  const chain = () => {
    const found = guard?.state.chains.get('litecoin');
    if (!found) throw new Error('no observation of the chain yet');
    return found;
  };
  const headsAt = (hash: string) =>
    [...(guard?.state.chains.get('litecoin')?.nodes.values() ?? [])].filter((n) => n.head?.hash === hash)
      .length;
  const tip = async () => {
    const hash = (await node.rpc('getbestblockhash')) as string;
    const header = (await node.rpc('getblockheader', [hash, true])) as { height: number; chainwork: string };
    return { hash, height: BigInt(header.height), chainwork: BigInt(`0x${header.chainwork}`) };
  };

  it('default: honest headers verify, and the chainwork summed from them is the one litecoind reports', async () => {
    await watch('honest');
    const real = await tip();
    await waitFor('both nodes at the tip', () => (headsAt(real.hash) === 2 ? true : undefined));
    assert.deepEqual(signals, []);
    assert.equal(chain().canonical?.chainwork, real.chainwork);
    assert.equal(real.chainwork, 2n * (real.height + 1n));
  });

  const cases: Array<{ mode: LyingMode; message: RegExp }> = [
    { mode: 'forged-pow', message: /proof-of-work hash .* is above the target/ },
    { mode: 'wrong-bits', message: /bits 0x1f7fffff where the chain never retargets/ },
    { mode: 'inflated-chainwork', message: /claims chainwork .* its headers sum to/ },
  ];
  for (const { mode, message } of cases) {
    it(`error: ${mode} is an integrity signal with check pow, and the honest node stays canonical`, async () => {
      await node.rpc('generatetodescriptor', [1, MINE]);
      await watch(mode);
      const real = await tip();
      const caught = (await waitFor('a pow integrity signal', () =>
        signals.find((s) => s.kind === 'integrity' && s.node === 'liar'),
      )) as IntegritySignal;
      assert.equal(caught.check, 'pow');
      assert.equal(caught.code, 'pow');
      assert.equal(caught.severity, 'critical');
      assert.match(caught.message, message);
      await waitFor('the honest head', () =>
        chain().nodes.get('honest')?.head?.hash === real.hash ? true : undefined,
      );
      assert.equal(chain().canonical?.hash, real.hash);
      assert.equal(chain().canonical?.chainwork, real.chainwork);
      assert.equal(isHealthy(chain(), chain().nodes.get('liar')!), false);
      for (const forged of proxy.forged) assert.equal(chain().blocks.has(forged), false);
      assert.equal(
        signals.some((s) => s.kind === 'integrity' && s.check !== 'pow'),
        false,
      );
    });
  }
});
