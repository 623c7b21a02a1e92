import { type Hash, toHash } from '../../core/observation.ts';
import { SourceError } from '../source.ts';
import { blockHash } from './blockHash.ts';
import { parseRpcBlockHeader } from './parseRpcBlockHeader.ts';

/** A block header whose hash was checked against its contents. */
export type VerifiedBlock = {
  hash: Hash;
  parentHash: Hash;
  number: bigint;
  timestamp: number;
};

/**
 * A block header answer of `operation` to `rpcUrl` (redacted), validated and with its hash checked:
 * throws a {@link SourceError} `invalid_response` when it is malformed, `integrity` when the header
 * does not hash to the hash the node gives it.
 */
export function toVerifiedBlock(payload: unknown, operation: string, rpcUrl: string): VerifiedBlock {
  const parsed = parseRpcBlockHeader(payload);
  if (!parsed.ok) {
    throw new SourceError({
      code: 'invalid_response',
      shortMessage: `${operation} to ${rpcUrl}: invalid block header: ${parsed.reason}`,
    });
  }
  const served = toHash(parsed.header.hash);
  const computed = toHash(blockHash(parsed.header));
  if (served !== computed) {
    throw new SourceError({
      code: 'integrity',
      shortMessage: `${operation} to ${rpcUrl}: block ${parsed.number} served with hash 0x${served} but its header hashes to 0x${computed}`,
    });
  }
  return {
    hash: served,
    parentHash: toHash(parsed.header.parentHash),
    number: parsed.number,
    timestamp: parsed.timestamp,
  };
}
