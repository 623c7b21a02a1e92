import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Hex } from 'viem';
import { isCanonicalBacked } from '../../src/core/chainView.ts';
import type { IntegritySignal, Signal } from '../../src/core/signal.ts';
import { createEvmSource } from '../../src/sources/evm/createEvmSource.ts';
import {
  createStateProofSource,
  type VerifiedStateReport,
} from '../../src/sources/evm/createStateProofSource.ts';
import { createTestGuard, type TestGuard } from '../support/createTestGuard.ts';
import { waitFor } from '../support/waitFor.ts';
import { type LyingEvmMode, type LyingEvmProxy, startLyingEvmProxy } from './lyingEvmProxy.ts';
import { type RunningNode, startAnvil, startGanache, startHardhat } from './nodes.ts';

// Init code that stores 42 in slot 0 and deploys no code: PUSH1 0x2a PUSH1 0 SSTORE STOP.
const STORE_42 = '0x602a60005500';
const SLOT_0: Hex = `0x${'00'.repeat(32)}`;

const implementations: Array<{ name: string; start: () => Promise<RunningNode>; mine: boolean }> = [
  { name: 'anvil', start: () => startAnvil({ blockTimeS: 0 }), mine: true },
  { name: 'hardhat', start: () => startHardhat(), mine: true },
  { name: 'ganache', start: () => startGanache(), mine: false },
];

for (const implementation of implementations) {
  describe(`state proofs against ${implementation.name} and a lying proxy`, () => {
    let node: RunningNode;
    let proxy: LyingEvmProxy;
    let guard: TestGuard | undefined;
    let signals: Signal[] = [];
    let reports: VerifiedStateReport[] = [];
    let contract: Hex;
    let funded: Hex;

    before(async () => {
      node = await implementation.start();
      funded = ((await node.rpc('eth_accounts')) as Hex[])[0]!;
      const tx = await node.rpc('eth_sendTransaction', [{ from: funded, data: STORE_42, gas: '0x30000' }]);
      if (implementation.mine) await node.rpc('evm_mine');
      const receipt = (await node.rpc('eth_getTransactionReceipt', [tx])) as { contractAddress: Hex };
      contract = receipt.contractAddress;
      proxy = await startLyingEvmProxy(node.url);
    });
    after(async () => {
      await guard?.stop();
      await proxy?.close();
      await node?.stop();
    });

    const watch = async (mode: LyingEvmMode) => {
      await guard?.stop();
      proxy.mode = mode;
      signals = [];
      reports = [];
      const g = createTestGuard({
        engine: { chains: { devnet: { preset: 'devnet', params: { lag: { graceMs: 600_000 } } } } },
        sources: [
          createEvmSource({ chain: 'devnet', node: 'n', url: node.url, pollIntervalMs: 100 }),
          createStateProofSource({
            chain: 'devnet',
            node: 'n',
            url: proxy.url,
            accounts: [{ address: funded }, { address: contract, slots: [SLOT_0] }],
            getAgreedBlock: () => {
              const chain = g.state.chains.get('devnet');
              return chain?.canonical && isCanonicalBacked(chain) ? chain.canonical : undefined;
            },
            onVerified: (report) => reports.push(report),
            pollIntervalMs: 100,
          }),
        ],
        onSignal: (s) => signals.push(s),
      });
      guard = g;
      await g.start();
    };

    it('default: honest proofs verify, with the balance and storage the node reports', async () => {
      await watch('honest');
      const report = await waitFor('a verified report', () => reports[0]);
      const balance = BigInt(
        (await node.rpc('eth_getBalance', [funded, `0x${report.block.number.toString(16)}`])) as string,
      );
      assert.equal(report.accounts[0]?.balance, balance);
      assert.ok(balance > 0n);
      assert.deepEqual(report.accounts[1]?.storage, [{ slot: SLOT_0, value: 42n }]);
      assert.equal(
        signals.some((s) => s.kind === 'integrity'),
        false,
      );
    });

    for (const mode of ['balance', 'storage'] as const) {
      it(`error: a proxy that changes the ${mode} is an integrity signal with check state_proof`, async () => {
        await watch(mode);
        const caught = (await waitFor('a state_proof signal', () =>
          signals.find((s) => s.kind === 'integrity'),
        )) as IntegritySignal;
        assert.equal(caught.check, 'state_proof');
        assert.equal(caught.node, 'n');
        assert.match(
          caught.message,
          mode === 'balance'
            ? /states balance \d+, its proof proves \d+/
            : /slot 0x0+: the node states 43, its proof proves 42/,
        );
        assert.deepEqual(reports, []);
      });
    }
  });
}
