import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  keccak256,
  stringToHex,
} from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { LEVELS, type Level, levelRank, type Transition } from '../../src/breaker/levels.ts';
import { consensusGuardArtifact } from '../../src/sinks/onchain/artifacts/consensusGuardArtifact.ts';
import { exampleOptionsMarketArtifact } from '../../src/sinks/onchain/artifacts/exampleOptionsMarketArtifact.ts';
import {
  type CreateOnchainGuardSinkParameters,
  createOnchainGuardSink,
  type OnchainGuardLogEntry,
} from '../../src/sinks/onchain/createOnchainGuardSink.ts';
import { deployExampleOptionsMarket } from '../../src/sinks/onchain/deployExampleOptionsMarket.ts';
import { deployGuard } from '../../src/sinks/onchain/deployGuard.ts';
import { OnchainGuardError } from '../../src/sinks/onchain/onchainGuardError.ts';
import { toMarketId } from '../../src/sinks/onchain/toMarketId.ts';
import { freePort, type RunningNode, startAnvil } from '../peers/nodes.ts';

const guardAbi = consensusGuardArtifact.abi;
const marketAbi = exampleOptionsMarketArtifact.abi;

const ownerKey = generatePrivateKey();
const keeperKey = generatePrivateKey();
const traderKey = generatePrivateKey();
const strangerKey = generatePrivateKey();
const owner = privateKeyToAccount(ownerKey);
const keeper = privateKeyToAccount(keeperKey);
const trader = privateKeyToAccount(traderKey);
const stranger = privateKeyToAccount(strangerKey);

function transition(breaker: string, seq: number, from: Level, to: Level): Transition {
  return {
    breaker,
    from,
    to,
    atMs: 1_704_067_200_000 + seq * 1_000,
    reason: `test move ${from} to ${to}`,
    causes: [],
    mode: 'auto',
    seq,
    idempotencyKey: `${breaker}:${seq}:${from}>${to}`,
  };
}

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

/** Every message, stack and property text along an error's cause chain. */
function everythingIn(error: unknown): string {
  const parts: string[] = [];
  let current = error;
  for (let depth = 0; depth < 20 && current !== undefined && current !== null; depth += 1) {
    if (current instanceof Error) parts.push(current.message, current.stack ?? '');
    try {
      parts.push(
        JSON.stringify(current, (_key, value) => (typeof value === 'bigint' ? String(value) : value)),
      );
    } catch {}
    parts.push(String(current));
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join('\n').toLowerCase();
}

/** Lets the event loop and the node move on between polls. */
function pause(ms = 20): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function rejection(promise: Promise<unknown>): Promise<OnchainGuardError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof OnchainGuardError, `expected an OnchainGuardError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

describe('on-chain guard on Anvil', () => {
  let anvil: RunningNode | undefined;
  let rpcUrl = '';
  let guard: Address;
  let client: ReturnType<typeof createPublicClient>;
  const env = { GUARD_KEEPER_KEY: keeperKey, GUARD_STRANGER_KEY: strangerKey };

  const wallet = (key: Hex) =>
    createWalletClient({ account: privateKeyToAccount(key), transport: http(rpcUrl) });
  const levelOf = (market: Hex) =>
    client.readContract({ address: guard, abi: guardAbi, functionName: 'levelOf', args: [market] });
  const sequenceOf = (market: Hex) =>
    client.readContract({ address: guard, abi: guardAbi, functionName: 'sequenceOf', args: [market] });
  const keeperSink = (markets: Record<string, Hex>, extra: Partial<CreateOnchainGuardSinkParameters> = {}) =>
    createOnchainGuardSink({
      rpcUrl,
      guardAddress: guard,
      privateKeyEnv: 'GUARD_KEEPER_KEY',
      env,
      markets,
      pollingIntervalMs: 50,
      ...extra,
    });
  async function deployMarket(market: Hex): Promise<Address> {
    const { address } = await deployExampleOptionsMarket({
      rpcUrl,
      privateKey: ownerKey,
      guard,
      market,
      maxStalenessSeconds: 86_400,
    });
    return address;
  }
  async function open(options: Address, contracts: bigint) {
    const hash = await wallet(traderKey).writeContract({
      address: options,
      abi: marketAbi,
      functionName: 'openPosition',
      args: [contracts],
      chain: null,
    });
    return client.waitForTransactionReceipt({ hash });
  }
  async function close(options: Address, contracts: bigint) {
    const hash = await wallet(traderKey).writeContract({
      address: options,
      abi: marketAbi,
      functionName: 'closePosition',
      args: [contracts],
      chain: null,
    });
    return client.waitForTransactionReceipt({ hash });
  }

  before(async () => {
    anvil = await startAnvil({ blockTimeS: 0 });
    await anvil.rpc('evm_setAutomine', [true]);
    rpcUrl = anvil.url;
    client = createPublicClient({ transport: http(rpcUrl), pollingInterval: 50 });
    for (const account of [owner, keeper, trader, stranger]) {
      await anvil.rpc('anvil_setBalance', [account.address, '0x56bc75e2d63100000']);
    }
    ({ address: guard } = await deployGuard({ rpcUrl, privateKey: ownerKey, keeper: keeper.address }));
  });

  after(async () => {
    await anvil?.stop();
  });

  it('default: the keeper moves a market to reduce_only; the options market refuses a new position and allows closing', async () => {
    const market = toMarketId('ETH-options');
    const options = await deployMarket(market);
    assert.equal((await open(options, 5n)).status, 'success');

    const entries: OnchainGuardLogEntry[] = [];
    const sink = keeperSink({ ethereum: market }, { log: (entry) => entries.push(entry) });
    assert.equal(sink.keeper, keeper.address);
    const move = transition('ethereum', 1, 'normal', 'reduce_only');
    await sink.deliver(move);

    assert.equal(await levelOf(market), 2);
    assert.equal(await sequenceOf(market), 1n);
    assert.equal(entries.length, 1);
    assert.ok(!everythingIn(entries).includes(keeperKey.slice(2).toLowerCase()));
    const [entry] = entries;
    assert.equal(entry?.type, 'applied');
    assert.deepEqual(entry?.type === 'applied' ? [entry.breaker, entry.market, entry.level, entry.seq] : [], [
      'ethereum',
      market,
      2,
      1,
    ]);
    const events = await client.getContractEvents({
      address: guard,
      abi: guardAbi,
      eventName: 'LevelChanged',
      args: { market },
      fromBlock: 0n,
    });
    assert.equal(events.length, 1);
    assert.deepEqual(events[0]?.args, {
      market,
      from: 0,
      to: 2,
      seq: 1n,
      keyHash: keccak256(stringToHex(move.idempotencyKey)),
    });

    assert.deepEqual(await revertOf(open(options, 1n)), { name: 'NewPositionsRefused', args: [market, 2] });
    assert.equal((await close(options, 2n)).status, 'success');
    assert.equal(
      await client.readContract({
        address: options,
        abi: marketAbi,
        functionName: 'positionOf',
        args: [trader.address],
      }),
      3n,
    );
    assert.deepEqual(await revertOf(close(options, 4n)), { name: 'InsufficientPosition', args: [3n, 4n] });
  });

  it('behavior: at halt the options market refuses closing too, and opens again after recovery', async () => {
    const market = toMarketId('BTC-options');
    const options = await deployMarket(market);
    assert.equal((await open(options, 2n)).status, 'success');
    const sink = keeperSink({ bitcoin: market });

    await sink.deliver(transition('bitcoin', 1, 'normal', 'halt'));
    assert.equal(await levelOf(market), 3);
    assert.deepEqual(await revertOf(close(options, 1n)), { name: 'MarketHalted', args: [market, 3] });
    assert.deepEqual(await revertOf(open(options, 1n)), { name: 'MarketHalted', args: [market, 3] });

    await sink.deliver(transition('bitcoin', 2, 'halt', 'settlement_hold'));
    assert.equal(await levelOf(market), 4);
    assert.deepEqual(await revertOf(close(options, 1n)), { name: 'MarketHalted', args: [market, 4] });

    await sink.deliver(transition('bitcoin', 3, 'settlement_hold', 'caution'));
    assert.equal(await levelOf(market), 1);
    assert.equal((await open(options, 1n)).status, 'success');
    assert.equal((await close(options, 3n)).status, 'success');
  });

  it('behavior: a repeated delivery of the same transition is harmless and sends nothing', async () => {
    const market = toMarketId('SOL-perps');
    const entries: OnchainGuardLogEntry[] = [];
    const sink = keeperSink({ solana: market }, { log: (entry) => entries.push(entry) });
    const move = transition('solana', 1, 'normal', 'reduce_only');
    await sink.deliver(move);
    const blockAfterFirst = await client.getBlockNumber();
    const keeperNonce = await client.getTransactionCount({ address: keeper.address });

    await sink.deliver(move);
    await Promise.all([sink.deliver(move), sink.deliver(move)]);

    assert.equal(await levelOf(market), 2);
    assert.equal(await sequenceOf(market), 1n);
    assert.equal(await client.getBlockNumber(), blockAfterFirst);
    assert.equal(await client.getTransactionCount({ address: keeper.address }), keeperNonce);
    assert.deepEqual(
      entries.map((e) => e.type),
      ['applied', 'already_applied', 'already_applied', 'already_applied'],
    );
  });

  it('behavior: an out-of-order delivery (lower seq) is ignored', async () => {
    const market = toMarketId('ETH-perps');
    const sink = keeperSink({ mainnet: market });
    await sink.deliver(transition('mainnet', 1, 'normal', 'caution'));
    await sink.deliver(transition('mainnet', 3, 'reduce_only', 'halt'));
    await sink.deliver(transition('mainnet', 2, 'caution', 'reduce_only'));
    assert.equal(await levelOf(market), 3);
    assert.equal(await sequenceOf(market), 3n);

    const direct = wallet(keeperKey).writeContract({
      address: guard,
      abi: guardAbi,
      functionName: 'setLevel',
      args: [market, 0, 3n, keccak256(stringToHex('mainnet:3:halt>normal'))],
      chain: null,
    });
    assert.deepEqual(await revertOf(direct), { name: 'StaleSequence', args: [market, 3n, 3n] });
    assert.equal(await levelOf(market), 3);
  });

  it('behavior: a transaction that reverts in its block because a later transition landed first counts as delivered', async () => {
    const market = toMarketId('race');
    const raced = await deployGuard({ rpcUrl, privateKey: ownerKey, keeper: keeper.address });
    const fees = (tipGwei: bigint) => ({
      chain: null,
      gas: 200_000n,
      maxFeePerGas: 200_000_000_000n,
      maxPriorityFeePerGas: tipGwei * 1_000_000_000n,
    });
    await anvil?.rpc('evm_setAutomine', [false]);
    let delivery: Promise<void> | undefined;
    try {
      const entries: OnchainGuardLogEntry[] = [];
      const sink = keeperSink(
        { race: market },
        { guardAddress: raced.address, log: (entry) => entries.push(entry) },
      );
      delivery = sink.deliver(transition('race', 1, 'normal', 'caution'));
      while ((await client.getBlock({ blockTag: 'pending' })).transactions.length === 0) await pause();
      await wallet(ownerKey).writeContract({
        address: raced.address,
        abi: guardAbi,
        functionName: 'setKeeper',
        args: [stranger.address],
        ...fees(90n),
      });
      await wallet(strangerKey).writeContract({
        address: raced.address,
        abi: guardAbi,
        functionName: 'setLevel',
        args: [market, 3, 2n, keccak256(stringToHex('race:2:caution>halt'))],
        ...fees(80n),
      });
      await anvil?.rpc('evm_mine', []);
      await delivery;
      const block = await client.getBlock({ includeTransactions: true });
      assert.deepEqual(
        block.transactions.map((tx) => tx.from.toLowerCase()),
        [owner.address, stranger.address, keeper.address].map((a) => a.toLowerCase()),
      );
      const receipts = await Promise.all(
        block.transactions.map((tx) => client.getTransactionReceipt({ hash: tx.hash })),
      );
      assert.deepEqual(
        receipts.map((r) => r.status),
        ['success', 'success', 'reverted'],
      );
      assert.deepEqual(entries, [{ type: 'already_applied', breaker: 'race', market, seq: 1 }]);
      assert.equal(
        await client.readContract({
          address: raced.address,
          abi: guardAbi,
          functionName: 'levelOf',
          args: [market],
        }),
        3,
      );
    } finally {
      await anvil?.rpc('evm_setAutomine', [true]);
      await delivery?.catch(() => {});
    }
  });

  it('error: a transaction that reverts in its block with no later transition applied rejects', async () => {
    const market = toMarketId('revoked');
    const revoked = await deployGuard({ rpcUrl, privateKey: ownerKey, keeper: keeper.address });
    await anvil?.rpc('evm_setAutomine', [false]);
    let delivery: Promise<void> | undefined;
    try {
      const sink = keeperSink({ revoked: market }, { guardAddress: revoked.address });
      delivery = sink.deliver(transition('revoked', 1, 'normal', 'halt'));
      while ((await client.getBlock({ blockTag: 'pending' })).transactions.length === 0) await pause();
      await wallet(ownerKey).writeContract({
        address: revoked.address,
        abi: guardAbi,
        functionName: 'setKeeper',
        args: [stranger.address],
        chain: null,
        gas: 200_000n,
        maxFeePerGas: 200_000_000_000n,
        maxPriorityFeePerGas: 90_000_000_000n,
      });
      await anvil?.rpc('evm_mine', []);
      const error = await rejection(delivery);
      assert.equal(error.code, 'reverted');
      assert.match(error.message, /the transaction reverted/);
    } finally {
      await anvil?.rpc('evm_setAutomine', [true]);
      await delivery?.catch(() => {});
    }
  });

  it('behavior: resolves only after the requested confirmations', async () => {
    const market = toMarketId('confirmations');
    const sink = keeperSink({ slow: market }, { confirmations: 2 });
    await anvil?.rpc('evm_setAutomine', [false]);
    let settled = false;
    let delivery: Promise<void> | undefined;
    try {
      delivery = sink.deliver(transition('slow', 1, 'normal', 'halt')).finally(() => {
        settled = true;
      });
      while ((await client.getBlock({ blockTag: 'pending' })).transactions.length === 0) await pause();
      await anvil?.rpc('evm_mine', []);
      while ((await sequenceOf(market)) !== 1n) await pause();
      await pause(500);
      assert.equal(settled, false);
      await anvil?.rpc('evm_mine', []);
      await delivery;
      assert.equal(settled, true);
    } finally {
      await anvil?.rpc('evm_setAutomine', [true]);
      await delivery?.catch(() => {});
    }
  });

  it('error: no receipt within timeoutMs rejects with timeout; the retry after the transaction lands sends nothing', async () => {
    const market = toMarketId('timeout');
    await anvil?.rpc('evm_setAutomine', [false]);
    try {
      const impatient = keeperSink({ late: market }, { timeoutMs: 300 });
      const error = await rejection(impatient.deliver(transition('late', 1, 'normal', 'reduce_only')));
      assert.equal(error.code, 'timeout');
      assert.ok(!everythingIn(error).includes(keeperKey.slice(2).toLowerCase()));
      const pending = (await client.getBlock({ blockTag: 'pending' })).transactions.length;
      await anvil?.rpc('evm_mine', []);
      const nonce = await client.getTransactionCount({ address: keeper.address });

      const entries: OnchainGuardLogEntry[] = [];
      await keeperSink({ late: market }, { log: (entry) => entries.push(entry) }).deliver(
        transition('late', 1, 'normal', 'reduce_only'),
      );
      assert.equal(await levelOf(market), 2);
      if (pending > 0) {
        assert.deepEqual(
          entries.map((e) => e.type),
          ['already_applied'],
        );
        assert.equal(await client.getTransactionCount({ address: keeper.address }), nonce);
      }
    } finally {
      await anvil?.rpc('evm_setAutomine', [true]);
    }
  });

  it('behavior: a breaker without a market is skipped', async () => {
    const entries: OnchainGuardLogEntry[] = [];
    const sink = keeperSink({}, { log: (entry) => entries.push(entry) });
    const block = await client.getBlockNumber();
    await sink.deliver(transition('unknown', 1, 'normal', 'halt'));
    assert.deepEqual(entries, [{ type: 'unmapped', breaker: 'unknown', seq: 1 }]);
    assert.equal(await client.getBlockNumber(), block);
  });

  it('error: an unauthorized caller cannot change the level', async () => {
    const market = toMarketId('guarded');
    const keeperSinkForMarket = keeperSink({ guarded: market });
    await keeperSinkForMarket.deliver(transition('guarded', 1, 'normal', 'caution'));

    const direct = wallet(strangerKey).writeContract({
      address: guard,
      abi: guardAbi,
      functionName: 'setLevel',
      args: [market, 0, 9n, keccak256(stringToHex('guarded:9:caution>normal'))],
      chain: null,
    });
    assert.deepEqual(await revertOf(direct), { name: 'NotKeeper', args: [stranger.address] });

    const strangerSink = keeperSink({ guarded: market }, { privateKeyEnv: 'GUARD_STRANGER_KEY' });
    const error = await rejection(strangerSink.deliver(transition('guarded', 2, 'caution', 'normal')));
    assert.equal(error.code, 'reverted');
    assert.equal(error.errorName, 'NotKeeper');
    assert.ok(!everythingIn(error).includes(strangerKey.slice(2).toLowerCase()));

    const rotate = wallet(strangerKey).writeContract({
      address: guard,
      abi: guardAbi,
      functionName: 'setKeeper',
      args: [stranger.address],
      chain: null,
    });
    assert.deepEqual(await revertOf(rotate), { name: 'NotOwner', args: [stranger.address] });
    assert.equal(await levelOf(market), 1);
  });

  it('behavior: after the owner rotates the keeper, only the new keeper changes levels', async () => {
    const market = toMarketId('rotation');
    const second = await deployGuard({ rpcUrl, privateKey: ownerKey, keeper: keeper.address });
    const sinkAt = (variable: string) =>
      keeperSink({ rotation: market }, { guardAddress: second.address, privateKeyEnv: variable });
    await sinkAt('GUARD_KEEPER_KEY').deliver(transition('rotation', 1, 'normal', 'caution'));

    const hash = await wallet(ownerKey).writeContract({
      address: second.address,
      abi: guardAbi,
      functionName: 'setKeeper',
      args: [stranger.address],
      chain: null,
    });
    await client.waitForTransactionReceipt({ hash });

    const old = await rejection(
      sinkAt('GUARD_KEEPER_KEY').deliver(transition('rotation', 2, 'caution', 'halt')),
    );
    assert.equal(old.errorName, 'NotKeeper');
    await sinkAt('GUARD_STRANGER_KEY').deliver(transition('rotation', 2, 'caution', 'halt'));
    assert.equal(
      await client.readContract({
        address: second.address,
        abi: guardAbi,
        functionName: 'levelOf',
        args: [market],
      }),
      3,
    );
  });

  it('behavior: the contract levels are the breaker levels, in order', async () => {
    const names = ['NORMAL', 'CAUTION', 'REDUCE_ONLY', 'HALT', 'SETTLEMENT_HOLD'] as const;
    const values = await Promise.all(
      names.map((functionName) => client.readContract({ address: guard, abi: guardAbi, functionName })),
    );
    assert.deepEqual(
      values,
      LEVELS.map((level) => levelRank(level)),
    );
  });

  it('error: the guard refuses a level above settlement_hold and the zero address as keeper or owner', async () => {
    const market = toMarketId('bounds');
    const tooHigh = wallet(keeperKey).writeContract({
      address: guard,
      abi: guardAbi,
      functionName: 'setLevel',
      args: [market, 5, 1n, keccak256(stringToHex('bounds:1'))],
      chain: null,
    });
    assert.deepEqual(await revertOf(tooHigh), { name: 'InvalidLevel', args: [5] });
    const zero = '0x0000000000000000000000000000000000000000';
    for (const functionName of ['setKeeper', 'transferOwnership'] as const) {
      const call = wallet(ownerKey).writeContract({
        address: guard,
        abi: guardAbi,
        functionName,
        args: [zero],
        chain: null,
      });
      assert.deepEqual(await revertOf(call), { name: 'ZeroAddress', args: [] });
    }
    const deploy = deployGuard({ rpcUrl, privateKey: ownerKey, keeper: zero });
    await assert.rejects(
      deploy,
      (error: unknown) => error instanceof OnchainGuardError && error.code === 'reverted',
    );
  });

  it('behavior: a new owner rotates the keeper; the former owner no longer can', async () => {
    const owned = await deployGuard({ rpcUrl, privateKey: ownerKey, keeper: keeper.address });
    const send = async (key: Hex, functionName: 'setKeeper' | 'transferOwnership', to: Address) => {
      const hash = await wallet(key).writeContract({
        address: owned.address,
        abi: guardAbi,
        functionName,
        args: [to],
        chain: null,
      });
      return client.waitForTransactionReceipt({ hash });
    };
    await send(ownerKey, 'transferOwnership', trader.address);
    assert.deepEqual(await revertOf(send(ownerKey, 'setKeeper', stranger.address)), {
      name: 'NotOwner',
      args: [owner.address],
    });
    await send(traderKey, 'setKeeper', stranger.address);
    assert.equal(
      await client.readContract({ address: owned.address, abi: guardAbi, functionName: 'keeper' }),
      stranger.address,
    );
  });

  it('error: an unreachable node rejects with code unreachable, without the key; a retry then succeeds', async () => {
    const market = toMarketId('outage');
    const deadUrl = `http://127.0.0.1:${await freePort()}`;
    const down = keeperSink({ outage: market }, { rpcUrl: deadUrl });
    const move = transition('outage', 1, 'normal', 'halt');
    const error = await rejection(down.deliver(move));
    assert.equal(error.code, 'unreachable');
    assert.match(error.message, /setLevel\(outage normal>halt, seq 1\)/);
    assert.ok(!everythingIn(error).includes(keeperKey.slice(2).toLowerCase()));

    await keeperSink({ outage: market }).deliver(move);
    assert.equal(await levelOf(market), 3);
  });

  it('error: a missing or malformed key is a config error that names the variable, not the value', () => {
    const base = { rpcUrl, guardAddress: guard, markets: {} };
    for (const [value, pattern] of [
      [undefined, /GUARD_KEY is not set/],
      ['', /GUARD_KEY is not set/],
      ['0x1234', /GUARD_KEY does not hold a private key/],
      [`0x${'zz'.repeat(32)}`, /GUARD_KEY does not hold a private key/],
      [`0x${'00'.repeat(32)}`, /GUARD_KEY does not hold a valid secp256k1 private key/],
    ] as const) {
      assert.throws(
        () => createOnchainGuardSink({ ...base, privateKeyEnv: 'GUARD_KEY', env: { GUARD_KEY: value } }),
        (error: unknown) => {
          assert.ok(error instanceof OnchainGuardError);
          assert.equal(error.code, 'config');
          assert.match(error.message, pattern);
          if (value) assert.ok(!everythingIn(error).includes(value.slice(2).toLowerCase()));
          return true;
        },
      );
    }
    assert.throws(
      () =>
        createOnchainGuardSink({
          ...base,
          privateKeyEnv: 'K',
          env: { K: keeperKey },
          markets: { ethereum: '0x1234' },
        }),
      /market id of breaker ethereum is not 32 bytes/,
    );
    assert.equal(
      createOnchainGuardSink({ ...base, privateKeyEnv: 'K', env: { K: keeperKey.slice(2) } }).keeper,
      keeper.address,
    );
  });
});
