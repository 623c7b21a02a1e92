import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  getAddress,
  http,
  keccak256,
  stringToHex,
} from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { consensusGuardArtifact } from '../../src/sinks/onchain/artifacts/consensusGuardArtifact.ts';
import { exampleOptionsMarketArtifact } from '../../src/sinks/onchain/artifacts/exampleOptionsMarketArtifact.ts';
import { deployExampleOptionsMarket } from '../../src/sinks/onchain/deployExampleOptionsMarket.ts';
import { deployGuard } from '../../src/sinks/onchain/deployGuard.ts';
import { toMarketId } from '../../src/sinks/onchain/toMarketId.ts';
import { openSqliteStore } from '../../src/store/sqlite/openSqliteStore.ts';
import { type RunningNode, startAnvil } from '../peers/nodes.ts';
import { waitFor } from '../support/waitFor.ts';

const guardAbi = consensusGuardArtifact.abi;
const marketAbi = exampleOptionsMarketArtifact.abi;
const ownerKey = generatePrivateKey();
const keeperKey = generatePrivateKey();
const traderKey = generatePrivateKey();

const until = <T>(what: string, check: () => T | undefined | Promise<T | undefined>) =>
  waitFor(what, check, 150_000, 25);

/** The custom error a call reverted with, decoded from the ABI; rethrows anything else. */
async function revertOf(call: Promise<unknown>): Promise<{ name: string; args: readonly unknown[] }> {
  try {
    await call;
  } catch (error) {
    const reverted =
      error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : null;
    if (reverted instanceof ContractFunctionRevertedError && reverted.data) {
      return { name: reverted.data.errorName, args: reverted.data.args ?? [] };
    }
    throw error;
  }
  assert.fail('the call did not revert');
}

describe('serve with an onchain sink on real nodes', () => {
  /** The chain the guard watches. */
  let watched: RunningNode;
  /** The chain the ConsensusGuard and the options market live on. */
  let settlement: RunningNode;
  let dir: string;
  let child: ChildProcess | undefined;

  before(async () => {
    [watched, settlement] = await Promise.all([startAnvil({ blockTimeS: 1 }), startAnvil({ blockTimeS: 0 })]);
    await settlement.rpc('evm_setAutomine', [true]);
    for (const key of [ownerKey, keeperKey, traderKey]) {
      await settlement.rpc('anvil_setBalance', [privateKeyToAccount(key).address, '0x56bc75e2d63100000']);
    }
    dir = await mkdtemp(join(tmpdir(), 'cg-serve-onchain-'));
  });

  after(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }
    await Promise.all([watched?.stop(), settlement?.stop()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('behavior: an anvil_reorg of depth 8 on the watched chain puts the market at reduce_only on chain, and the options market refuses a new position', async () => {
    const rpcUrl = settlement.url;
    const client = createPublicClient({ transport: http(rpcUrl), pollingInterval: 50 });
    const trader = createWalletClient({ account: privateKeyToAccount(traderKey), transport: http(rpcUrl) });
    const { address: guard } = await deployGuard({
      rpcUrl,
      privateKey: ownerKey,
      keeper: privateKeyToAccount(keeperKey).address,
    });
    const market = toMarketId('devnet-options');
    const { address: options } = await deployExampleOptionsMarket({
      rpcUrl,
      privateKey: ownerKey,
      guard,
      market,
      maxStalenessSeconds: 3_600,
    });
    const trade = async (functionName: 'openPosition' | 'closePosition', contracts: bigint) => {
      const hash = await trader.writeContract({
        address: options,
        abi: marketAbi,
        functionName,
        args: [contracts],
        chain: null,
      });
      return client.waitForTransactionReceipt({ hash });
    };
    const levelOf = () =>
      client.readContract({ address: guard, abi: guardAbi, functionName: 'levelOf', args: [market] });
    assert.equal((await trade('openPosition', 5n)).status, 'success');
    assert.equal(await levelOf(), 0);

    const configPath = join(dir, 'guard.yaml');
    await writeFile(
      configPath,
      `chains:
  devnet:
    preset: devnet
    nodes:
      - { name: anvil, url: "${watched.url}", pollIntervalMs: 100 }
breaker:
  recovery: { graceMs: 86400000 }
sinks:
  - name: guard
    kind: onchain
    rpcUrl: "${rpcUrl}"
    guardAddress: "${guard}"
    privateKeyEnv: CG_TEST_KEEPER_KEY
    markets: { devnet: devnet-options }
    heartbeatIntervalMs: 200
`,
    );
    const dataDir = join(dir, 'data');
    child = spawn(
      process.execPath,
      ['bin/consensus-guard.js', 'serve', '--config', configPath, '--data-dir', dataDir, '--json'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CG_TEST_KEEPER_KEY: keeperKey } },
    );
    let stderr = '';
    let stdout = '';
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const printed: Array<Record<string, unknown>> = [];
    createInterface({ input: child.stdout! }).on('line', (line) => {
      stdout += `${line}\n`;
      printed.push(JSON.parse(line) as Record<string, unknown>);
    });
    await until('serve to start', () => (/serving/.test(stderr) ? true : undefined));
    assert.match(
      stderr,
      new RegExp(`^sinks: guard \\(onchain, ${rpcUrl}, ${getAddress(guard).slice(0, 5)}…\\)$`, 'm'),
    );

    const heartbeats = () =>
      client.getContractEvents({ address: guard, abi: guardAbi, eventName: 'Heartbeat', fromBlock: 0n });
    await until('two heartbeats from serve', async () =>
      (await heartbeats()).length >= 2 ? true : undefined,
    );
    for (const heartbeat of await heartbeats()) {
      assert.equal(heartbeat.args.keeper, privateKeyToAccount(keeperKey).address);
    }

    const heightOf = async () => Number((await watched.rpc('eth_blockNumber')) as string);
    const start = await heightOf();
    await until('ten more blocks', async () => ((await heightOf()) >= start + 10 ? true : undefined));
    await watched.rpc('anvil_reorg', [8, []]);

    const tripped = await until('the reduce_only transition printed by serve', () =>
      printed.find((p) => p.type === 'transition' && p.to === 'reduce_only'),
    );
    assert.deepEqual(tripped.causes, ['reorg']);
    await until('the market at reduce_only on chain', async () =>
      (await levelOf()) === 2 ? true : undefined,
    );
    const changes = await client.getContractEvents({
      address: guard,
      abi: guardAbi,
      eventName: 'LevelChanged',
      args: { market },
      fromBlock: 0n,
    });
    const change = changes.find((c) => c.args.to === 2);
    assert.equal(change?.args.seq, BigInt(tripped.seq as number));
    assert.equal(change?.args.keyHash, keccak256(stringToHex(tripped.idempotencyKey as string)));

    assert.deepEqual(await revertOf(trade('openPosition', 1n)), {
      name: 'NewPositionsRefused',
      args: [market, 2],
    });
    assert.equal((await trade('closePosition', 2n)).status, 'success');

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0, stderr);

    const store = await openSqliteStore({ dataDir });
    const delivered = await store.listActions({ sink: 'guard', status: 'delivered' });
    await store.close();
    assert.ok(delivered.some((a) => a.transition.idempotencyKey === tripped.idempotencyKey));
    for (const text of [stderr, stdout])
      assert.equal(text.toLowerCase().includes(keeperKey.slice(2).toLowerCase()), false);
  });
});
