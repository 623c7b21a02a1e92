import { createPublicClient, http, type PublicClient } from 'viem';
import { toRedactedUrl } from '../../config/toRedactedUrl.ts';
import { type Hash, toHash } from '../../core/observation.ts';
import type { BlockRef } from '../../core/signal.ts';
import { SourceError } from '../source.ts';
import { toSourceError } from './toSourceError.ts';

export type GetBlockTransactionHashesParameters = {
  /** JSON-RPC HTTP endpoint; credentials in it never reach an error. */
  url: string;
  /** The block, by number (`eth_getBlockByNumber`) or by hash (`eth_getBlockByHash`). */
  block: { number: bigint } | { hash: string };
  /** Time allowed for the request, in milliseconds. Default 5000. */
  timeoutMs?: number;
  /** A client to reuse across calls; one is created for `url` when absent. */
  client?: PublicClient;
};

export type GetBlockTransactionHashesReturnType = {
  block: BlockRef;
  parentHash: Hash;
  /** Transaction hashes of the block in block order, normalized (lower case, no `0x`). */
  txHashes: Hash[];
};

/**
 * The transaction hashes of one block: the "transaction seen in block" facts that the settlement
 * ledger needs (`block_txs`), for a canonical block by number or any block by hash.
 * JSON-RPC: `eth_getBlockByNumber` / `eth_getBlockByHash` with `false` (hashes only).
 *
 * @throws {SourceError} `timeout`, `unreachable`, `http_status`, `invalid_response` (no such block,
 *   or an answer without hashes), with the redacted URL and the viem error as `cause`.
 *
 * @example
 * const { block, txHashes } = await getBlockTransactionHashes({ url, block: { number: 12n } });
 */
export async function getBlockTransactionHashes(
  parameters: GetBlockTransactionHashesParameters,
): Promise<GetBlockTransactionHashesReturnType> {
  const url = toRedactedUrl(parameters.url);
  const operation = 'number' in parameters.block ? 'eth_getBlockByNumber' : 'eth_getBlockByHash';
  const client =
    parameters.client ??
    createPublicClient({
      transport: http(parameters.url, { timeout: parameters.timeoutMs ?? 5_000, retryCount: 0 }),
    });
  let answer: Awaited<ReturnType<PublicClient['getBlock']>>;
  try {
    answer =
      'number' in parameters.block
        ? await client.getBlock({ blockNumber: parameters.block.number })
        : await client.getBlock({ blockHash: `0x${toHash(parameters.block.hash)}` });
  } catch (error) {
    if ((error as { name?: string }).name === 'BlockNotFoundError') {
      throw new SourceError({
        code: 'invalid_response',
        shortMessage: `${operation} to ${url}: no such block`,
        cause: error,
      });
    }
    throw toSourceError(error, { operation, url });
  }
  if (answer.hash === null || answer.number === null || !Array.isArray(answer.transactions)) {
    throw new SourceError({
      code: 'invalid_response',
      shortMessage: `${operation} to ${url}: pending block or no transactions`,
    });
  }
  const txHashes = answer.transactions.map((tx) => toHash(typeof tx === 'string' ? tx : tx.hash));
  return {
    block: { number: answer.number, hash: toHash(answer.hash) },
    parentHash: toHash(answer.parentHash),
    txHashes,
  };
}
