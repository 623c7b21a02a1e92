import {
  type Address,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  isAddress,
  isHex,
  keccak256,
  parseEventLogs,
  stringToHex,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { levelRank, type Transition } from '../../breaker/levels.ts';
import { toRedactedUrl } from '../../config/toRedactedUrl.ts';
import type { Sink } from '../sink.ts';
import { consensusGuardArtifact } from './artifacts/consensusGuardArtifact.ts';
import { OnchainGuardError } from './onchainGuardError.ts';
import { toOnchainGuardError } from './toOnchainGuardError.ts';

/** What the keeper did with a transition, for logs. Never carries the key. */
export type OnchainGuardLogEntry =
  | {
      type: 'applied';
      breaker: string;
      market: Hex;
      level: number;
      seq: number;
      txHash: Hex;
      blockNumber: bigint;
    }
  | { type: 'already_applied'; breaker: string; market: Hex; seq: number }
  | { type: 'unmapped'; breaker: string; seq: number }
  | { type: 'heartbeat'; txHash: Hex; blockNumber: bigint; atSeconds: bigint; gasUsed: bigint };

/** A heartbeat that landed: its transaction, block, the block timestamp the guard recorded, and its gas. */
export type OnchainGuardHeartbeat = Omit<Extract<OnchainGuardLogEntry, { type: 'heartbeat' }>, 'type'>;

export type CreateOnchainGuardSinkParameters = {
  /** The sink's name, the outbox's delivery key. Default `onchain-guard`. */
  name?: string;
  /** JSON-RPC endpoint of the chain the guard lives on (credentials in it are never printed). */
  rpcUrl: string;
  guardAddress: Address;
  /** Name of the environment variable that holds the keeper's private key (32 bytes, hex). */
  privateKeyEnv: string;
  /** Where to read `privateKeyEnv`. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Breaker name -> market id (32 bytes, see `toMarketId`). Transitions of other breakers are skipped. */
  markets: Readonly<Record<string, Hex>>;
  /** Blocks that must include and follow the transaction before a delivery counts. Default 1. */
  confirmations?: number;
  /** Per JSON-RPC request, and for the receipt with its confirmations. Default 60 000. */
  timeoutMs?: number;
  /** How often to ask for the receipt. Default 1 000. */
  pollingIntervalMs?: number;
  log?: (entry: OnchainGuardLogEntry) => void;
};

export type CreateOnchainGuardSinkReturnType = Sink & {
  /** The keeper's address (derived from the key). */
  readonly keeper: Address;
  /**
   * Calls the guard's `heartbeat()` from the keeper's account and waits for the receipt (one
   * block: a heartbeat needs no confirmations), queued with the deliveries so nonces never collide.
   * Resolves with what landed; rejects with an {@link OnchainGuardError} (`reverted` / `NotKeeper`
   * for a key that is not the guard's keeper, `unreachable`, `timeout`, `send_failed`).
   * See `createKeeperHeartbeat` for the schedule.
   */
  heartbeat(): Promise<OnchainGuardHeartbeat>;
};

const abi = consensusGuardArtifact.abi;

/**
 * Gas added to the node's estimate of each keeper transaction. `setLevel` and `heartbeat` write
 * `lastHeartbeat = block.timestamp`: estimated in a block of the same second as the last heartbeat,
 * that write is a no-op (100 gas), but it costs 2,900 gas once mined in a later second, so the bare
 * estimate runs out of gas. Unused gas is not charged.
 */
const GAS_HEADROOM = 10_000n;

/**
 * The keeper of a `ConsensusGuard` contract, as a {@link Sink}: on each transition of a mapped breaker
 * it calls `setLevel(market, level, seq, keccak256(idempotencyKey))` from the keeper's account and
 * waits for the receipt with `confirmations`. Deliveries run one at a time.
 *
 * - Resolves once the transaction is confirmed, or when the guard reports `StaleSequence` (this
 *   transition, or a later one, is already applied), or for a breaker that has no market.
 * - Rejects with an {@link OnchainGuardError} otherwise (node down, timeout, `NotKeeper`, a reverted
 *   transaction), so the outbox retries; the contract's sequence check keeps retries harmless.
 *
 * JSON-RPC: `eth_call` (simulation first, so a stale delivery costs no gas), `eth_estimateGas`,
 * `eth_sendRawTransaction`, `eth_getTransactionReceipt`, `eth_blockNumber`.
 *
 * @throws {OnchainGuardError} `config` when the key, the address or a market id is unusable; the
 * message names the environment variable, never its value.
 *
 * @example
 * const sink = createOnchainGuardSink({
 *   rpcUrl: 'http://127.0.0.1:8545',
 *   guardAddress: '0x…',
 *   privateKeyEnv: 'GUARD_KEEPER_KEY',
 *   markets: { ethereum: toMarketId('ETH-options') },
 * })
 */
export function createOnchainGuardSink({
  name = 'onchain-guard',
  rpcUrl,
  guardAddress,
  privateKeyEnv,
  env = process.env,
  markets,
  confirmations = 1,
  timeoutMs = 60_000,
  pollingIntervalMs = 1_000,
  log,
}: CreateOnchainGuardSinkParameters): CreateOnchainGuardSinkReturnType {
  const account = toKeeperAccount(privateKeyEnv, env[privateKeyEnv]);
  if (!isAddress(guardAddress)) {
    throw new OnchainGuardError({
      code: 'config',
      shortMessage: `guard address ${guardAddress} is not an address`,
    });
  }
  for (const [breaker, market] of Object.entries(markets)) {
    if (!isHex(market, { strict: true }) || market.length !== 66) {
      throw new OnchainGuardError({
        code: 'config',
        shortMessage: `market id of breaker ${breaker} is not 32 bytes of hex`,
      });
    }
  }
  if (!Number.isInteger(confirmations) || confirmations < 1) {
    throw new OnchainGuardError({ code: 'config', shortMessage: 'confirmations must be an integer >= 1' });
  }
  const url = toRedactedUrl(rpcUrl);
  const transport = http(rpcUrl, { timeout: timeoutMs, retryCount: 0 });
  const wallet = createWalletClient({ account, transport });
  const client = createPublicClient({ transport, pollingInterval: pollingIntervalMs });

  async function apply(transition: Transition): Promise<void> {
    const { breaker } = transition;
    const market = Object.hasOwn(markets, breaker) ? markets[breaker] : undefined;
    if (market === undefined) {
      log?.({ type: 'unmapped', breaker, seq: transition.seq });
      return;
    }
    const level = levelRank(transition.to);
    if (level < 0 || !Number.isSafeInteger(transition.seq) || transition.seq < 1) {
      throw new OnchainGuardError({
        code: 'config',
        shortMessage: `transition ${transition.idempotencyKey} has no valid level or sequence number`,
      });
    }
    const seq = BigInt(transition.seq);
    const keyHash = keccak256(stringToHex(transition.idempotencyKey));
    const args = [market, level, seq, keyHash] as const;
    const operation = `setLevel(${breaker} ${transition.from}>${transition.to}, seq ${seq}) on ${guardAddress}`;
    const alreadyApplied = () => log?.({ type: 'already_applied', breaker, market, seq: transition.seq });

    try {
      await client.simulateContract({ address: guardAddress, abi, functionName: 'setLevel', args, account });
    } catch (error) {
      const wrapped = toOnchainGuardError(error, { operation, url });
      if (wrapped.errorName === 'StaleSequence') return alreadyApplied();
      throw wrapped;
    }

    let receipt: Awaited<ReturnType<typeof client.waitForTransactionReceipt>>;
    try {
      const call = { address: guardAddress, abi, functionName: 'setLevel', args } as const;
      const gas = (await client.estimateContractGas({ ...call, account })) + GAS_HEADROOM;
      const hash = await wallet.writeContract({ ...call, chain: null, gas });
      receipt = await client.waitForTransactionReceipt({ hash, confirmations, timeout: timeoutMs });
    } catch (error) {
      const wrapped = toOnchainGuardError(error, { operation, url });
      if (wrapped.errorName === 'StaleSequence') return alreadyApplied();
      throw wrapped;
    }
    if (receipt.status === 'success') {
      log?.({
        type: 'applied',
        breaker,
        market,
        level,
        seq: transition.seq,
        txHash: receipt.transactionHash,
        blockNumber: receipt.blockNumber,
      });
      return;
    }
    let lastSeq: bigint;
    try {
      lastSeq = await client.readContract({
        address: guardAddress,
        abi,
        functionName: 'sequenceOf',
        args: [market],
      });
    } catch (error) {
      throw toOnchainGuardError(error, { operation, url });
    }
    if (lastSeq >= seq) return alreadyApplied();
    throw new OnchainGuardError({
      code: 'reverted',
      shortMessage: `${operation} via ${url}: the transaction reverted`,
      details: receipt.transactionHash,
    });
  }

  async function beat(): Promise<OnchainGuardHeartbeat> {
    const operation = `heartbeat() on ${guardAddress}`;
    let receipt: Awaited<ReturnType<typeof client.waitForTransactionReceipt>>;
    try {
      const call = { address: guardAddress, abi, functionName: 'heartbeat' } as const;
      const gas = (await client.estimateContractGas({ ...call, account })) + GAS_HEADROOM;
      const hash = await wallet.writeContract({ ...call, chain: null, gas });
      receipt = await client.waitForTransactionReceipt({ hash, timeout: timeoutMs });
    } catch (error) {
      throw toOnchainGuardError(error, { operation, url });
    }
    const [event] = parseEventLogs({ abi, logs: receipt.logs, eventName: 'Heartbeat' });
    if (receipt.status !== 'success' || event === undefined) {
      throw new OnchainGuardError({
        code: 'reverted',
        shortMessage: `${operation} via ${url}: the transaction reverted`,
        details: receipt.transactionHash,
      });
    }
    const landed: OnchainGuardHeartbeat = {
      txHash: receipt.transactionHash,
      blockNumber: receipt.blockNumber,
      atSeconds: event.args.at,
      gasUsed: receipt.gasUsed,
    };
    log?.({ type: 'heartbeat', ...landed });
    return landed;
  }

  // Deliveries and heartbeats run one at a time, in order, so the keeper's nonces do not collide.
  let tail: Promise<unknown> = Promise.resolve();
  function enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = tail.then(task);
    tail = result.catch(() => {});
    return result;
  }
  return {
    name,
    keeper: account.address,
    deliver: (transition) => enqueue(() => apply(transition)),
    heartbeat: () => enqueue(beat),
  };
}

function toKeeperAccount(variable: string, value: string | undefined) {
  const key = value?.trim();
  const hex = key?.startsWith('0x') ? key : `0x${key ?? ''}`;
  if (key === undefined || key.length === 0) {
    throw new OnchainGuardError({
      code: 'config',
      shortMessage: `environment variable ${variable} is not set: it must hold the keeper's private key`,
    });
  }
  if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) {
    throw new OnchainGuardError({
      code: 'config',
      shortMessage: `environment variable ${variable} does not hold a private key (32 bytes of hex)`,
    });
  }
  try {
    return privateKeyToAccount(hex as Hex);
  } catch {
    throw new OnchainGuardError({
      code: 'config',
      shortMessage: `environment variable ${variable} does not hold a valid secp256k1 private key`,
    });
  }
}
