import type { BlockObservation, Observation } from '../../core/observation.ts';
import type { ProofOfWork } from '../../core/params.ts';
import { type Logger, silentLogger } from '../../log/createLogger.ts';
import { createPollingSource } from '../createPollingSource.ts';
import {
  type Clock,
  isTransportErrorCode,
  type Source,
  SourceError,
  systemClock,
  toErrorObservation,
} from '../source.ts';
import { toBitcoinHeader } from './bitcoinHeader.ts';
import { type BitcoinRpcClient, createBitcoinRpcClient } from './createBitcoinRpcClient.ts';
import { type ChainworkTracker, createChainworkTracker } from './createChainworkTracker.ts';

export type CreateBitcoinSourceParameters = {
  chain: string;
  node: string;
  /** `http(s)://[user:pass@]host:port` of the node's JSON-RPC. */
  url: string;
  username?: string;
  password?: string;
  /** Default 1000 ms. */
  pollIntervalMs?: number;
  /** Default 5000 ms. */
  requestTimeoutMs?: number;
  /** Most ancestors fetched to fill a gap or reach a fork point. Default 64. */
  maxBackfill?: number;
  /** `getchaintips` every this many polls. Default 5. */
  tipsEveryPolls?: number;
  /**
   * The chain's proof of work. When given, every header's proof of work, `bits` and the chainwork
   * the node claims are verified (a failure is an `error` with code `pow` and the header is not
   * emitted), and heads and blocks carry their verified `chainwork`.
   */
  pow?: ProofOfWork;
  /** A block with a trusted chainwork, so that chainwork need not be summed from genesis. */
  chainworkAnchor?: { hash: string; chainwork: bigint };
  /** Most headers fetched to verify chainwork down to genesis or the anchor. Default 2016. */
  maxVerifyWalk?: number;
  clock?: Clock;
  /** Where the source logs (losing and regaining the node); default nowhere. */
  logger?: Logger;
};

type Header = {
  hash: string;
  parentHash: string;
  height: number;
  timestamp: number;
  latencyMs: number;
  chainwork?: bigint;
};

const HASH = /^[0-9a-f]{64}$/;
const KNOWN_LIMIT = 4096;

/**
 * Watches a Bitcoin-style node (Bitcoin Core and its forks, e.g. litecoind) by polling its
 * JSON-RPC: `getbestblockhash`, then `getblockheader` (verbose, and raw to recompute the double
 * SHA-256 hash: a header whose hash does not match becomes an `error` observation with code
 * `integrity`), walking parents back to a known block so that gaps are filled and reorgs show
 * their common ancestor. `getchaintips` tips in state `valid-fork`, `valid-headers` or `invalid`
 * near the tip are fetched and emitted as `block` observations: evidence of competing branches.
 * The client comes from `getnetworkinfo` (`subversion`). Bitcoin has no finality: no checkpoints.
 */
export function createBitcoinSource(parameters: CreateBitcoinSourceParameters): Source {
  const clock = parameters.clock ?? systemClock;
  const logger = parameters.logger ?? silentLogger;
  const pollIntervalMs = parameters.pollIntervalMs ?? 1000;
  const maxBackfill = parameters.maxBackfill ?? 64;
  const tipsEveryPolls = parameters.tipsEveryPolls ?? 5;
  const clientParameters: Parameters<typeof createBitcoinRpcClient>[0] = {
    url: parameters.url,
    timeoutMs: parameters.requestTimeoutMs ?? 5_000,
  };
  if (parameters.username !== undefined) clientParameters.username = parameters.username;
  if (parameters.password !== undefined) clientParameters.password = parameters.password;
  const rpc: BitcoinRpcClient = createBitcoinRpcClient(clientParameters);
  const known = new Map<string, number>();
  let lowestKnown = Number.POSITIVE_INFINITY;
  let client: string | undefined;
  /** `getnetworkinfo` answered without a client version: reported once, not asked again. */
  let clientUnknown = false;
  let lastHead: string | undefined;
  let recovering = false;
  let polls = 0;
  const { source, emit } = createPollingSource({
    name: parameters.node,
    intervalMs: pollIntervalMs,
    poll: () => poll(),
    logger,
  });
  let unreachable = false;
  const tracker: ChainworkTracker | undefined =
    parameters.pow &&
    createChainworkTracker({
      pow: parameters.pow,
      maxWalk: parameters.maxVerifyWalk ?? 2016,
      ...(parameters.chainworkAnchor ? { anchor: parameters.chainworkAnchor } : {}),
      fetchHeader: async (hash, height) => {
        const raw = (await rpc.request('getblockheader', [hash, false])).result;
        const decoded = typeof raw === 'string' ? toBitcoinHeader(raw) : undefined;
        if (!decoded)
          throw new SourceError({
            code: 'invalid_response',
            shortMessage: `getblockheader ${hash.slice(0, 16)} from ${rpc.url}: raw header is not 80 bytes of hex`,
          });
        if (decoded.hash !== hash)
          throw new SourceError({
            code: 'integrity',
            shortMessage: `block ${height} ${hash} from ${rpc.url}: header hashes to ${decoded.hash}`,
          });
        return {
          hash,
          parentHash: decoded.parentHash,
          height,
          bits: decoded.bits,
          raw: Buffer.from(raw as string, 'hex'),
        };
      },
    });

  const remember = (hash: string, height: number) => {
    known.set(hash, height);
    if (height < lowestKnown) lowestKnown = height;
    if (known.size > KNOWN_LIMIT) known.delete(known.keys().next().value as string);
  };

  const toBlock = (type: 'head' | 'block', header: Header): Observation => {
    const obs: BlockObservation = {
      type,
      chain: parameters.chain,
      node: parameters.node,
      number: BigInt(header.height),
      hash: header.hash,
      parentHash: header.parentHash,
      timestamp: header.timestamp,
      observedAtMs: clock.nowMs(),
      latencyMs: header.latencyMs,
    };
    if (client !== undefined) obs.client = client;
    if (header.chainwork !== undefined) obs.chainwork = header.chainwork;
    return obs;
  };

  const fetchHeader = async (hash: string): Promise<Header> => {
    const verbose = await rpc.request('getblockheader', [hash, true]);
    const raw = await rpc.request('getblockheader', [hash, false]);
    const v = verbose.result as Record<string, unknown> | null;
    const at = `getblockheader ${hash.slice(0, 16)} from ${rpc.url}`;
    if (
      v === null ||
      typeof v !== 'object' ||
      typeof v.hash !== 'string' ||
      !HASH.test(v.hash) ||
      !Number.isSafeInteger(v.height) ||
      (v.height as number) < 0 ||
      !Number.isSafeInteger(v.time) ||
      (v.previousblockhash !== undefined &&
        (typeof v.previousblockhash !== 'string' || !HASH.test(v.previousblockhash)))
    ) {
      throw new SourceError({ code: 'invalid_response', shortMessage: `${at}: not a block header` });
    }
    if (typeof raw.result !== 'string') {
      throw new SourceError({ code: 'invalid_response', shortMessage: `${at}: raw header is not a string` });
    }
    const decoded = toBitcoinHeader(raw.result);
    if (!decoded)
      throw new SourceError({
        code: 'invalid_response',
        shortMessage: `${at}: raw header is not 80 bytes of hex`,
      });
    const parentHash = (v.previousblockhash as string | undefined) ?? '0'.repeat(64);
    if (
      decoded.hash !== hash ||
      v.hash !== hash ||
      decoded.parentHash !== parentHash ||
      decoded.timestamp !== v.time
    ) {
      throw new SourceError({
        code: 'integrity',
        shortMessage: `block ${v.height as number} ${hash} from ${rpc.url}: header hashes to ${decoded.hash}${decoded.parentHash !== parentHash ? ' and names another parent' : ''}`,
      });
    }
    const header: Header = {
      hash,
      parentHash,
      height: v.height as number,
      timestamp: v.time as number,
      latencyMs: verbose.latencyMs,
    };
    if (tracker) {
      const chainwork = await tracker.chainworkOf({
        hash,
        parentHash,
        height: header.height,
        bits: decoded.bits,
        raw: Buffer.from(raw.result, 'hex'),
      });
      const claimed =
        typeof v.chainwork === 'string' && /^[0-9a-f]{1,64}$/.test(v.chainwork)
          ? BigInt(`0x${v.chainwork}`)
          : undefined;
      if (chainwork !== undefined && claimed !== chainwork)
        throw new SourceError({
          code: 'pow',
          shortMessage: `block ${header.height} ${hash} from ${rpc.url}: the node claims chainwork ${claimed === undefined ? 'none' : `0x${claimed.toString(16)}`}, its headers sum to 0x${chainwork.toString(16)}`,
        });
      if (chainwork !== undefined) header.chainwork = chainwork;
    }
    return header;
  };

  /** Emits the ancestors of `header` down to a known block (lowest first), then the header itself. */
  const emitWithAncestors = async (header: Header, type: 'head' | 'block') => {
    const missing: Header[] = [];
    let cursor = header;
    while (
      known.size > 0 &&
      !known.has(cursor.parentHash) &&
      cursor.height - 1 >= lowestKnown &&
      missing.length < maxBackfill &&
      cursor.height > 0
    ) {
      cursor = await fetchHeader(cursor.parentHash);
      missing.push(cursor);
    }
    for (const ancestor of missing.reverse()) {
      emit(toBlock('block', ancestor));
      remember(ancestor.hash, ancestor.height);
    }
    emit(toBlock(type, header));
    remember(header.hash, header.height);
  };

  const poll = async () => {
    try {
      if (client === undefined && !clientUnknown) {
        const info = (await rpc.request('getnetworkinfo')).result as { subversion?: unknown } | null;
        if (info && typeof info === 'object' && typeof info.subversion === 'string') {
          client = info.subversion.replace(/^\/|\/$/g, '').slice(0, 80);
        } else {
          clientUnknown = true;
          emitError(
            new SourceError({
              code: 'invalid_response',
              shortMessage: `getnetworkinfo from ${rpc.url}: no subversion (client unknown)`,
            }),
          );
        }
      }
      const best = (await rpc.request('getbestblockhash')).result;
      if (typeof best !== 'string' || !HASH.test(best)) {
        throw new SourceError({
          code: 'invalid_response',
          shortMessage: `getbestblockhash from ${rpc.url}: not a block hash`,
        });
      }
      if (best !== lastHead || recovering) {
        await emitWithAncestors(await fetchHeader(best), 'head');
        lastHead = best;
        recovering = false;
      }
      if (unreachable) logger.info({ code: 'source_recovered', url: rpc.url }, 'node reachable again');
      unreachable = false;
      polls += 1;
      if (polls % tipsEveryPolls === 0) await pollTips(known.get(best) ?? 0);
    } catch (error) {
      recovering = true;
      const code = emitError(error);
      if (!unreachable && isTransportErrorCode(code)) {
        unreachable = true;
        logger.warn({ code: 'source_unreachable', url: rpc.url, errorCode: code }, 'node unreachable');
      }
    }
  };

  /** Emits `error` as an observation; returns its code. */
  const emitError = (error: unknown): string => {
    const observation = toErrorObservation(error, {
      chain: parameters.chain,
      node: parameters.node,
      client,
      observedAtMs: clock.nowMs(),
      where: rpc.url,
    });
    logger.debug({ code: 'source_error', errorCode: observation.code }, observation.message);
    emit(observation);
    return observation.code;
  };

  const pollTips = async (bestHeight: number) => {
    const tips = (await rpc.request('getchaintips')).result;
    if (!Array.isArray(tips)) {
      throw new SourceError({
        code: 'invalid_response',
        shortMessage: `getchaintips from ${rpc.url}: not an array`,
      });
    }
    for (const tip of tips as Array<Record<string, unknown>>) {
      if (tip === null || typeof tip !== 'object') continue;
      const { hash, status, height } = tip;
      if (typeof hash !== 'string' || !HASH.test(hash) || known.has(hash) || typeof height !== 'number')
        continue;
      if (status !== 'valid-fork' && status !== 'valid-headers' && status !== 'invalid') continue;
      if (height < bestHeight - maxBackfill) continue;
      await emitWithAncestors(await fetchHeader(hash), 'block');
    }
  };

  return source;
}
