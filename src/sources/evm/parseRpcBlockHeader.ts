import type { Hex } from 'viem';
import { z } from 'zod';
import { type BlockHashParameters, OPTIONAL_HEADER_FIELDS } from './blockHash.ts';

/** A block header as served by `eth_getBlockByNumber`, `eth_getBlockByHash` or `newHeads`, validated. */
export type RpcBlockHeader = BlockHashParameters & {
  hash: Hex;
};

export type ParseRpcBlockHeaderReturnType =
  | { ok: true; header: RpcBlockHeader; number: bigint; timestamp: number }
  | { ok: false; reason: string };

/** Longest `extraData` accepted, in bytes (Ethereum allows 32; proof-of-authority chains use more). */
const maxExtraDataBytes = 4096;

const bytes = (length: number) => z.string().regex(new RegExp(`^0x[0-9a-fA-F]{${length * 2}}$`));
const hash = bytes(32);
const quantity = z.string().regex(/^0x[0-9a-fA-F]{1,64}$/);

const headerSchema = z.object({
  hash,
  parentHash: hash,
  sha3Uncles: hash,
  miner: bytes(20),
  stateRoot: hash,
  transactionsRoot: hash,
  receiptsRoot: hash,
  logsBloom: bytes(256),
  difficulty: quantity,
  number: z.string().regex(/^0x[0-9a-fA-F]{1,16}$/),
  gasLimit: quantity,
  gasUsed: quantity,
  timestamp: z.string().regex(/^0x[0-9a-fA-F]{1,12}$/),
  extraData: z.string().regex(new RegExp(`^0x(?:[0-9a-fA-F]{2}){0,${maxExtraDataBytes}}$`)),
  mixHash: hash,
  nonce: bytes(8),
  baseFeePerGas: quantity.optional(),
  withdrawalsRoot: hash.optional(),
  blobGasUsed: quantity.optional(),
  excessBlobGas: quantity.optional(),
  parentBeaconBlockRoot: hash.optional(),
  requestsHash: hash.optional(),
});

/**
 * Validates a block header answer from a node: every field the hash covers must be present and well
 * formed (hashes of 32 bytes, addresses of 20, the bloom of 256, hex quantities), and the fork fields
 * after `nonce` must be contiguous. Never throws: an invalid answer gives `{ ok: false, reason }`.
 */
export function parseRpcBlockHeader(value: unknown): ParseRpcBlockHeaderReturnType {
  if (value === null) return { ok: false, reason: 'block not found (null)' };
  const parsed = headerSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') || 'answer';
    return { ok: false, reason: `${path}: ${issue?.message ?? 'invalid'}` };
  }
  const data = parsed.data;
  let missing: string | undefined;
  for (const [name] of OPTIONAL_HEADER_FIELDS) {
    if (data[name] === undefined) missing ??= name;
    else if (missing !== undefined) return { ok: false, reason: `${name} present without ${missing}` };
  }
  const header: RpcBlockHeader = {
    hash: data.hash as Hex,
    parentHash: data.parentHash as Hex,
    sha3Uncles: data.sha3Uncles as Hex,
    miner: data.miner as Hex,
    stateRoot: data.stateRoot as Hex,
    transactionsRoot: data.transactionsRoot as Hex,
    receiptsRoot: data.receiptsRoot as Hex,
    logsBloom: data.logsBloom as Hex,
    difficulty: data.difficulty as Hex,
    number: data.number as Hex,
    gasLimit: data.gasLimit as Hex,
    gasUsed: data.gasUsed as Hex,
    timestamp: data.timestamp as Hex,
    extraData: data.extraData as Hex,
    mixHash: data.mixHash as Hex,
    nonce: data.nonce as Hex,
  };
  for (const [name] of OPTIONAL_HEADER_FIELDS) {
    const field = data[name];
    if (field !== undefined) header[name] = field as Hex;
  }
  return { ok: true, header, number: BigInt(data.number), timestamp: Number(BigInt(data.timestamp)) };
}
