import type { Hex } from 'viem';
import { toHash } from '../../core/observation.ts';
import { silentLogger } from '../../log/createLogger.ts';
import { createPollingSource } from '../createPollingSource.ts';
import { type Clock, type Source, SourceError, systemClock, toErrorObservation } from '../source.ts';
import { blockHash } from './blockHash.ts';
import { createEvmHttpClient } from './createEvmHttpClient.ts';
import { parseRpcBlockHeader } from './parseRpcBlockHeader.ts';
import { type VerifiedState, verifyStateProof } from './verifyStateProof.ts';

/** An account to prove, and the storage slots of it. */
export type StateProofTarget = { address: Hex; slots?: readonly Hex[] };

/** Values a node proved at a block the quorum agreed on. */
export type VerifiedStateReport = {
  chain: string;
  node: string;
  block: { number: bigint; hash: string };
  /** The block's timestamp, seconds (as in the header). */
  blockTimestamp: number;
  observedAtMs: number;
  accounts: VerifiedState[];
};

/** A check that failed at a node: the `error` observation it emitted, with the block and account. */
export type StateProofFailure = {
  chain: string;
  node: string;
  /** `state_proof` for a proof that does not verify; else why the check could not run. */
  code: string;
  message: string;
  /** The agreed block of the check. */
  block: { number: bigint; hash: string };
  /** The account whose proof failed, when the failure is one account's. */
  address?: Hex;
  observedAtMs: number;
};

export type CreateStateProofSourceParameters = {
  chain: string;
  node: string;
  /** `http(s)://` JSON-RPC endpoint of the node. */
  url: string;
  accounts: readonly StateProofTarget[];
  /**
   * The block to prove at: the one the quorum agrees on (e.g. the engine's canonical head while it
   * stands on a backed quorum), `undefined` while there is none. Never taken from the node checked.
   */
  getAgreedBlock(): { number: bigint; hash: string } | undefined;
  onVerified?(report: VerifiedStateReport): void;
  /** Called with each failed check, beside the `error` observation it emits. */
  onFailed?(failure: StateProofFailure): void;
  /** Default 5000 ms. */
  pollIntervalMs?: number;
  /** Default 5000 ms. */
  requestTimeoutMs?: number;
  clock?: Clock;
};

type Checking = { block: { number: bigint; hash: string }; address?: Hex };

/**
 * Checks a node's state against the block the quorum agrees on: fetches that block's header from
 * the node and recomputes its hash (so its `stateRoot` is the agreed block's), then `eth_getProof`
 * for each configured account and slot at that height, verified with {@link verifyStateProof}. A
 * proof that does not verify is an `error` observation with code `state_proof` (the engine's
 * `integrity` signal, `check: 'state_proof'`) and goes to `onFailed`; verified values go to
 * `onVerified`. A node without
 * the agreed block at that height is skipped (divergence is another detector's business).
 */
export function createStateProofSource(parameters: CreateStateProofSourceParameters): Source {
  const clock = parameters.clock ?? systemClock;
  const rpc = createEvmHttpClient({
    url: parameters.url,
    timeoutMs: parameters.requestTimeoutMs ?? 5_000,
    maxResponseBytes: 4 * 1024 * 1024,
  });
  let lastChecked: string | undefined;
  /** The block (and account) of the check under way, for `onFailed`. */
  let checking: Checking | undefined;
  const { source, emit } = createPollingSource({
    name: `${parameters.node}:state`,
    intervalMs: parameters.pollIntervalMs ?? 5_000,
    poll: () => poll(),
    logger: silentLogger,
  });

  const check = async () => {
    const agreed = parameters.getAgreedBlock();
    checking = undefined;
    if (!agreed || agreed.hash === lastChecked) return;
    const current: Checking = {
      block: { number: agreed.number, hash: toHash(agreed.hash) },
    };
    checking = current;
    const numberHex = `0x${agreed.number.toString(16)}`;
    const parsed = parseRpcBlockHeader(
      (await rpc.request('eth_getBlockByNumber', [numberHex, false])).result,
    );
    if (!parsed.ok)
      throw new SourceError({
        code: 'invalid_response',
        shortMessage: `eth_getBlockByNumber ${agreed.number} from ${rpc.url}: ${parsed.reason}`,
      });
    if (toHash(parsed.header.hash) !== toHash(agreed.hash)) return;
    if (toHash(blockHash(parsed.header)) !== toHash(agreed.hash))
      throw new SourceError({
        code: 'integrity',
        shortMessage: `block ${agreed.number} from ${rpc.url}: header does not hash to ${agreed.hash}`,
      });
    const accounts: VerifiedState[] = [];
    for (const target of parameters.accounts) {
      const slots = target.slots ?? [];
      current.address = target.address;
      const answer = (await rpc.request('eth_getProof', [target.address, slots, numberHex])).result;
      const result = await verifyStateProof(parsed.header.stateRoot, answer, {
        address: target.address,
        slots,
      });
      if (!result.ok)
        throw new SourceError({
          code: 'state_proof',
          shortMessage: `block ${agreed.number} from ${rpc.url}: ${result.reason}`,
        });
      accounts.push(result.state);
    }
    lastChecked = agreed.hash;
    parameters.onVerified?.({
      chain: parameters.chain,
      node: parameters.node,
      block: { number: agreed.number, hash: toHash(agreed.hash) },
      blockTimestamp: parsed.timestamp,
      observedAtMs: clock.nowMs(),
      accounts,
    });
  };

  const poll = () =>
    check().catch((error: unknown) => {
      lastChecked = undefined;
      const observation = toErrorObservation(error, {
        chain: parameters.chain,
        node: parameters.node,
        client: undefined,
        observedAtMs: clock.nowMs(),
        where: rpc.url,
      });
      emit(observation);
      if (checking && parameters.onFailed) {
        const failure: StateProofFailure = {
          chain: parameters.chain,
          node: parameters.node,
          code: observation.code,
          message: observation.message,
          block: checking.block,
          observedAtMs: observation.observedAtMs,
        };
        if (checking.address !== undefined && observation.code === 'state_proof')
          failure.address = checking.address;
        parameters.onFailed(failure);
      }
    });

  return source;
}
