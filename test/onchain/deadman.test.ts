import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
} from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Transition } from '../../src/breaker/levels.ts';
import { consensusGuardArtifact } from '../../src/sinks/onchain/artifacts/consensusGuardArtifact.ts';
import { exampleOptionsMarketArtifact } from '../../src/sinks/onchain/artifacts/exampleOptionsMarketArtifact.ts';
import { createKeeperHeartbeat } from '../../src/sinks/onchain/createKeeperHeartbeat.ts';
import {
  type CreateOnchainGuardSinkParameters,
  createOnchainGuardSink,
  type OnchainGuardLogEntry,
} from '../../src/sinks/onchain/createOnchainGuardSink.ts';
import { deployExampleOptionsMarket } from '../../src/sinks/onchain/deployExampleOptionsMarket.ts';
import { deployGuard } from '../../src/sinks/onchain/deployGuard.ts';
import { OnchainGuardError } from '../../src/sinks/onchain/onchainGuardError.ts';
import { toMarketId } from '../../src/sinks/onchain/toMarketId.ts';
import { type RunningNode, startAnvil } from '../peers/nodes.ts';

const guardAbi = consensusGuardArtifact.abi;
const marketAbi = exampleOptionsMarketArtifact.abi;

const ownerKey = generatePrivateKey();
const keeperKey = generatePrivateKey();
const traderKey = generatePrivateKey();
const strangerKey = generatePrivateKey();
const keeper = privateKeyToAccount(keeperKey);
const stranger = privateKeyToAccount(strangerKey);

/** Gas of one `heartbeat()` transaction, as docs/onchain.md states it. */
const HEARTBEAT_GAS = 27_927n;
const MAX_STALENESS_SECONDS = 300;

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

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('dead-man switch on Anvil', () => {
  let anvil: RunningNode;
  let rpcUrl = '';
  let client: ReturnType<typeof createPublicClient>;
  const env = { GUARD_KEEPER_KEY: keeperKey, GUARD_STRANGER_KEY: strangerKey };
  const wallet = (key: Hex) =>
    createWalletClient({ account: privateKeyToAccount(key), transport: http(rpcUrl) });

  /** A fresh guard, an options market on it and the keeper's sink. */
  async function setup(name: string, extra: Partial<CreateOnchainGuardSinkParameters> = {}) {
    const market = toMarketId(name);
    const { address: guard } = await deployGuard({ rpcUrl, privateKey: ownerKey, keeper: keeper.address });
    const { address: options } = await deployExampleOptionsMarket({
      rpcUrl,
      privateKey: ownerKey,
      guard,
      market,
      maxStalenessSeconds: MAX_STALENESS_SECONDS,
    });
    const entries: OnchainGuardLogEntry[] = [];
    const sink = createOnchainGuardSink({
      rpcUrl,
      guardAddress: guard,
      privateKeyEnv: 'GUARD_KEEPER_KEY',
      env,
      markets: { [name]: market },
      pollingIntervalMs: 50,
      log: (entry) => entries.push(entry),
      ...extra,
    });
    const lastHeartbeat = () =>
      client.readContract({ address: guard, abi: guardAbi, functionName: 'lastHeartbeat' });
    const effectiveLevel = () =>
      client.readContract({ address: options, abi: marketAbi, functionName: 'effectiveLevel' });
    const trade = async (functionName: 'openPosition' | 'closePosition', contracts: bigint, gas?: bigint) => {
      const hash = await wallet(traderKey).writeContract({
        address: options,
        abi: marketAbi,
        functionName,
        args: [contracts],
        chain: null,
        ...(gas === undefined ? {} : { gas }),
      });
      return client.waitForTransactionReceipt({ hash });
    };
    return { market, guard, options, sink, entries, lastHeartbeat, effectiveLevel, trade };
  }

  /** Moves the node's clock on by `seconds` and mines a block there. */
  async function advance(seconds: number): Promise<void> {
    await anvil.rpc('evm_increaseTime', [seconds]);
    await anvil.rpc('evm_mine', []);
  }

  before(async () => {
    anvil = await startAnvil({ blockTimeS: 0 });
    await anvil.rpc('evm_setAutomine', [true]);
    rpcUrl = anvil.url;
    client = createPublicClient({ transport: http(rpcUrl), pollingInterval: 50 });
    for (const key of [ownerKey, keeperKey, traderKey, strangerKey]) {
      await anvil.rpc('anvil_setBalance', [privateKeyToAccount(key).address, '0x56bc75e2d63100000']);
    }
  });

  after(async () => {
    await anvil?.stop();
  });

  it('default: the keeper goes silent past maxStalenessSeconds: new positions are refused, closing stays open; the heartbeat resumes and the market accepts again', async () => {
    const { market, sink, lastHeartbeat, effectiveLevel, trade } = await setup('ETH-options');
    assert.equal((await trade('openPosition', 5n)).status, 'success');
    assert.equal(await effectiveLevel(), 0);

    const silentSince = await lastHeartbeat();
    await advance(MAX_STALENESS_SECONDS + 1);
    assert.equal(await lastHeartbeat(), silentSince);
    assert.equal(await effectiveLevel(), 2);
    assert.deepEqual(await revertOf(trade('openPosition', 1n)), {
      name: 'GuardStale',
      args: [market, silentSince, BigInt(MAX_STALENESS_SECONDS)],
    });
    assert.equal((await trade('closePosition', 2n)).status, 'success');

    const beat = await sink.heartbeat();
    assert.equal(await lastHeartbeat(), beat.atSeconds);
    const block = await client.getBlock({ blockNumber: beat.blockNumber });
    assert.equal(beat.atSeconds, block.timestamp);
    assert.ok(beat.atSeconds > silentSince + BigInt(MAX_STALENESS_SECONDS));
    assert.equal(await effectiveLevel(), 0);
    assert.equal((await trade('openPosition', 1n)).status, 'success');
  });

  it('behavior: a guard is fresh for exactly maxStalenessSeconds after its last heartbeat, and stale one second later', async () => {
    const { sink, trade } = await setup('boundary');
    const { atSeconds } = await sink.heartbeat();
    // Explicit gas: the transactions are mined whatever they do, in blocks at the chosen times.
    await anvil.rpc('evm_setNextBlockTimestamp', [Number(atSeconds) + MAX_STALENESS_SECONDS]);
    const fresh = await trade('openPosition', 1n, 200_000n);
    await anvil.rpc('evm_setNextBlockTimestamp', [Number(atSeconds) + MAX_STALENESS_SECONDS + 1]);
    const stale = await trade('openPosition', 1n, 200_000n);
    const closing = await trade('closePosition', 1n, 200_000n);
    assert.deepEqual([fresh.status, stale.status, closing.status], ['success', 'reverted', 'success']);
    const timestamps = await Promise.all(
      [fresh, stale].map(async (r) => (await client.getBlock({ blockNumber: r.blockNumber })).timestamp),
    );
    assert.deepEqual(timestamps, [
      atSeconds + BigInt(MAX_STALENESS_SECONDS),
      atSeconds + BigInt(MAX_STALENESS_SECONDS) + 1n,
    ]);
  });

  it('behavior: a level change counts as a heartbeat', async () => {
    const { sink, lastHeartbeat, effectiveLevel, trade } = await setup('level-change');
    await advance(MAX_STALENESS_SECONDS + 1);
    assert.equal(await effectiveLevel(), 2);
    const move: Transition = {
      breaker: 'level-change',
      from: 'normal',
      to: 'caution',
      atMs: 1_704_067_200_000,
      reason: 'test',
      causes: [],
      mode: 'auto',
      seq: 1,
      idempotencyKey: 'level-change:1:normal>caution',
    };
    await sink.deliver(move);
    const latest = await client.getBlock();
    assert.equal(await lastHeartbeat(), latest.timestamp);
    assert.equal(await effectiveLevel(), 1);
    assert.equal((await trade('openPosition', 1n)).status, 'success');
  });

  it('behavior: a stale guard at halt still halts: closing is refused too', async () => {
    const { market, sink, effectiveLevel, trade } = await setup('stale-halt');
    assert.equal((await trade('openPosition', 1n)).status, 'success');
    await sink.deliver({
      breaker: 'stale-halt',
      from: 'normal',
      to: 'halt',
      atMs: 1_704_067_200_000,
      reason: 'test',
      causes: [],
      mode: 'auto',
      seq: 1,
      idempotencyKey: 'stale-halt:1:normal>halt',
    });
    await advance(MAX_STALENESS_SECONDS + 1);
    assert.equal(await effectiveLevel(), 3);
    assert.deepEqual(await revertOf(trade('closePosition', 1n)), { name: 'MarketHalted', args: [market, 3] });
  });

  it(`behavior: a heartbeat emits Heartbeat and costs ${HEARTBEAT_GAS} gas (docs/onchain.md)`, async () => {
    const { guard, sink, entries } = await setup('gas');
    // Each heartbeat in a later second than the last sign of life, as on a live chain: the slot changes.
    await advance(1);
    const first = await sink.heartbeat();
    await advance(1);
    const second = await sink.heartbeat();
    assert.deepEqual([first.gasUsed, second.gasUsed], [HEARTBEAT_GAS, HEARTBEAT_GAS]);
    const receipt = await client.getTransactionReceipt({ hash: second.txHash });
    assert.equal(receipt.gasUsed, HEARTBEAT_GAS);
    const events = await client.getContractEvents({
      address: guard,
      abi: guardAbi,
      eventName: 'Heartbeat',
      fromBlock: first.blockNumber,
    });
    assert.deepEqual(
      events.map((e) => e.args),
      [
        { keeper: keeper.address, at: first.atSeconds },
        { keeper: keeper.address, at: second.atSeconds },
      ],
    );
    assert.deepEqual(
      entries.map((e) => e.type),
      ['heartbeat', 'heartbeat'],
    );
  });

  it('error: an unauthorized caller cannot heartbeat', async () => {
    const { guard, lastHeartbeat, effectiveLevel } = await setup('unauthorized');
    await advance(MAX_STALENESS_SECONDS + 1);
    const before = await lastHeartbeat();
    for (const key of [strangerKey, ownerKey]) {
      const call = wallet(key).writeContract({
        address: guard,
        abi: guardAbi,
        functionName: 'heartbeat',
        chain: null,
      });
      assert.deepEqual(await revertOf(call), { name: 'NotKeeper', args: [privateKeyToAccount(key).address] });
    }
    const strangerSink = createOnchainGuardSink({
      rpcUrl,
      guardAddress: guard,
      privateKeyEnv: 'GUARD_STRANGER_KEY',
      env,
      markets: {},
    });
    await assert.rejects(strangerSink.heartbeat(), (error: unknown) => {
      assert.ok(error instanceof OnchainGuardError);
      assert.equal(error.code, 'reverted');
      assert.equal(error.errorName, 'NotKeeper');
      return true;
    });
    assert.equal(await lastHeartbeat(), before);
    assert.equal(await effectiveLevel(), 2);
  });

  it('error: a market with no staleness bound cannot be deployed', async () => {
    const { address: guard } = await deployGuard({ rpcUrl, privateKey: ownerKey, keeper: keeper.address });
    const deploy = (maxStalenessSeconds: number) =>
      deployExampleOptionsMarket({
        rpcUrl,
        privateKey: ownerKey,
        guard,
        market: toMarketId('x'),
        maxStalenessSeconds,
      });
    await assert.rejects(deploy(0), (error: unknown) => {
      assert.ok(error instanceof OnchainGuardError);
      assert.equal(error.code, 'reverted');
      assert.equal(error.errorName, 'ZeroStaleness');
      return true;
    });
    await assert.rejects(
      deploy(1.5),
      (error: unknown) => error instanceof OnchainGuardError && error.code === 'config',
    );
  });

  it('behavior: the heartbeat schedule sends heartbeats at its interval and sends nothing once stopped; it starts again', async () => {
    const { guard, sink, entries } = await setup('schedule');
    const errors: unknown[] = [];
    const intervalMs = 50;
    const schedule = createKeeperHeartbeat({ sink, intervalMs, onError: (error) => errors.push(error) });
    const heartbeats = () => entries.filter((e) => e.type === 'heartbeat').length;
    const onChain = async () =>
      (
        await client.getContractEvents({
          address: guard,
          abi: guardAbi,
          eventName: 'Heartbeat',
          fromBlock: 0n,
        })
      ).length;

    schedule.start();
    schedule.start();
    assert.equal(schedule.running, true);
    while (heartbeats() < 3) await pause(intervalMs);
    await schedule.stop();
    assert.equal(schedule.running, false);
    const sent = heartbeats();
    const nonce = await client.getTransactionCount({ address: keeper.address });
    assert.equal(await onChain(), sent);

    // Several intervals later nothing more was sent.
    await pause(intervalMs * 10);
    assert.equal(heartbeats(), sent);
    assert.equal(await client.getTransactionCount({ address: keeper.address }), nonce);
    assert.equal(await onChain(), sent);
    assert.deepEqual(errors, []);

    // A new leader term: the schedule starts again with a heartbeat at once.
    schedule.start();
    while (heartbeats() === sent) await pause(intervalMs);
    await schedule.stop();
    assert.equal(await onChain(), heartbeats());
  });

  it('error: a failing heartbeat goes to onError and the schedule keeps trying', async () => {
    const { guard } = await setup('schedule-errors');
    const strangerSink = createOnchainGuardSink({
      rpcUrl,
      guardAddress: guard,
      privateKeyEnv: 'GUARD_STRANGER_KEY',
      env,
      markets: {},
    });
    const errors: unknown[] = [];
    const schedule = createKeeperHeartbeat({
      sink: strangerSink,
      intervalMs: 20,
      onError: (e) => errors.push(e),
    });
    schedule.start();
    while (errors.length < 2) await pause(20);
    await schedule.stop();
    for (const error of errors) {
      assert.ok(error instanceof OnchainGuardError);
      assert.equal(error.errorName, 'NotKeeper');
    }
    assert.equal(await client.getTransactionCount({ address: stranger.address }), 0);
  });
});
