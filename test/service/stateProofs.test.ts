import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Hex } from 'viem';
import { type RunningNode, startAnvil } from '../peers/nodes.ts';
import { type StartRpcProxyReturnType, startRpcProxy } from '../support/startRpcProxy.ts';
import { type StartServeReturnType, startServe } from '../support/startServe.ts';
import { waitFor } from '../support/waitFor.ts';

// Init code that stores 42 in slot 0 and deploys no code: PUSH1 0x2a PUSH1 0 SSTORE STOP.
const STORE_42 = '0x602a60005500';
const SLOT_0: Hex = `0x${'00'.repeat(32)}`;

type Quantity = number | string;
type Account = {
  name: string;
  address: string;
  block: { number: Quantity; hash: string; timestamp: number } | null;
  values: { balance: Quantity; nonce: Quantity; storage: Array<{ slot: string; value: Quantity }> } | null;
  nodes: string[];
  failed: Array<{ node: string; code: string; message: string }>;
};
type ProofsBody = { chain: string; intervalMs: number; accounts: Account[] };
type SignalsBody = { signals: Array<{ kind: string; node?: string; check?: string; message: string }> };

/** What the lying proxy changes in every `eth_getProof` answer it passes on. */
type Lie = 'storage' | 'balance';

/**
 * The real `serve` on one Anvil watched through three nodes: Anvil itself, an honest pass-through
 * proxy (a second connection to it) and a proxy that changes `eth_getProof` answers. The liar must
 * be caught as `integrity` with `check: state_proof`, and `/api/chains/devnet/proofs` must serve
 * the values Anvil holds, proved by the honest nodes, with the liar listed as failed.
 */
describe('serve: state proofs on Anvil with a lying proxy', () => {
  it('behavior: the liar is an integrity signal (state_proof), the honest values are served', async (t) => {
    const anvil: RunningNode = await startAnvil({ blockTimeS: 1 });
    t.after(() => anvil.stop());
    const deployer = ((await anvil.rpc('eth_accounts')) as Hex[])[0]!;
    const tx = await anvil.rpc('eth_sendTransaction', [{ from: deployer, data: STORE_42, gas: '0x30000' }]);
    const { contractAddress: store } = await waitFor('the deployment receipt', async () => {
      const receipt = (await anvil.rpc('eth_getTransactionReceipt', [tx])) as { contractAddress: Hex } | null;
      return receipt ?? undefined;
    });

    let lie: Lie = 'storage';
    const liar: StartRpcProxyReturnType = await startRpcProxy({
      target: anvil.url,
      rewrite: (call, answer) => {
        const result = answer.result as
          | { balance: string; storageProof: Array<{ value: string }> }
          | undefined;
        if (call.method !== 'eth_getProof' || !result) return answer;
        if (lie === 'balance') result.balance = `0x${(BigInt(result.balance) + 1n).toString(16)}`;
        const slot = result.storageProof[0];
        if (lie === 'storage' && slot) slot.value = `0x${(BigInt(slot.value) + 1n).toString(16)}`;
        return answer;
      },
    });
    t.after(() => liar.close());
    const twin = await startRpcProxy({ target: anvil.url });
    t.after(() => twin.close());

    const dir = await mkdtemp(join(tmpdir(), 'cg-state-proofs-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const node = (name: string, url: string) =>
      `      - { name: ${name}, url: "${url}", pollIntervalMs: 200 }\n`;
    const serve: StartServeReturnType = await startServe({
      config:
        'chains:\n  devnet:\n    preset: devnet\n    nodes:\n' +
        node('anvil', anvil.url) +
        node('twin', twin.url) +
        node('liar', liar.url) +
        '    stateProofs:\n      intervalMs: 200\n      accounts:\n' +
        `        - { name: deployer, address: "${deployer}" }\n` +
        `        - { name: store, address: "${store}", slots: ["0x0"] }\n`,
      configPath: join(dir, 'guard.yaml'),
      dataDir: join(dir, 'data'),
    });
    t.after(() => serve.stop('SIGKILL'));

    const proofs = async () => (await serve.get<ProofsBody>('/api/chains/devnet/proofs')).accounts;
    const account = (accounts: Account[], name: string) => accounts.find((a) => a.name === name)!;
    const balanceAt = async (block: { number: Quantity }) =>
      BigInt(
        (await anvil.rpc('eth_getBalance', [deployer, `0x${BigInt(block.number).toString(16)}`])) as string,
      );

    // A storage lie: the liar still proves the deployer's account, and fails on the store's slot.
    const storage = await waitFor(
      'the liar failing on the storage slot, the honest nodes proving it',
      async () => {
        const s = account(await proofs(), 'store');
        return s.failed.some((f) => f.node === 'liar') &&
          s.nodes.includes('anvil') &&
          s.nodes.includes('twin')
          ? s
          : undefined;
      },
    );
    assert.deepEqual(storage.values?.storage, [{ slot: SLOT_0, value: 42 }]);
    assert.equal(storage.nodes.includes('liar'), false);
    assert.equal(storage.address.toLowerCase(), store.toLowerCase());
    const storageFailure = storage.failed.find((f) => f.node === 'liar')!;
    assert.equal(storageFailure.code, 'state_proof');
    assert.match(storageFailure.message, /slot 0x0+: the node states 43, its proof proves 42/);
    assert.deepEqual(
      storage.failed.map((f) => f.node),
      ['liar'],
    );

    const caught = await waitFor('an integrity signal of the liar', async () =>
      (await serve.get<SignalsBody>('/api/signals?limit=1000')).signals.find(
        (s) => s.kind === 'integrity' && s.node === 'liar',
      ),
    );
    assert.equal(caught.check, 'state_proof');
    const honestIntegrity = (await serve.get<SignalsBody>('/api/signals?limit=1000')).signals.filter(
      (s) => s.kind === 'integrity' && s.node !== 'liar',
    );
    assert.deepEqual(honestIntegrity, []);

    // A balance lie: the liar now fails on the deployer's account.
    lie = 'balance';
    const funded = await waitFor('the liar failing on the balance', async () => {
      const d = account(await proofs(), 'deployer');
      const failure = d.failed.find((f) => f.node === 'liar');
      return failure && /states balance/.test(failure.message) ? d : undefined;
    });
    assert.ok(funded.block && funded.values);
    assert.equal(BigInt(funded.values.balance), await balanceAt(funded.block));
    assert.ok(BigInt(funded.values.balance) > 0n);
    assert.ok(funded.nodes.includes('anvil') || funded.nodes.includes('twin'), JSON.stringify(funded));
    assert.match(
      funded.failed.find((f) => f.node === 'liar')!.message,
      /states balance (\d+), its proof proves \d+/,
    );
  });
});
