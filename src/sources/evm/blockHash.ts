import { type Hex, keccak256, toRlp } from 'viem';

/**
 * The header fields that make an EVM block hash, as JSON-RPC serves them (`0x` hex strings).
 * Quantities (`difficulty`, `number`, `gasLimit`, `gasUsed`, `timestamp`, `baseFeePerGas`,
 * `blobGasUsed`, `excessBlobGas`) are hex numbers; the rest are byte strings.
 */
export type BlockHashParameters = {
  parentHash: Hex;
  sha3Uncles: Hex;
  miner: Hex;
  stateRoot: Hex;
  transactionsRoot: Hex;
  receiptsRoot: Hex;
  logsBloom: Hex;
  difficulty: Hex;
  number: Hex;
  gasLimit: Hex;
  gasUsed: Hex;
  timestamp: Hex;
  extraData: Hex;
  mixHash: Hex;
  nonce: Hex;
  /** London (EIP-1559). */
  baseFeePerGas?: Hex | undefined;
  /** Shanghai (EIP-4895). */
  withdrawalsRoot?: Hex | undefined;
  /** Cancun (EIP-4844). */
  blobGasUsed?: Hex | undefined;
  /** Cancun (EIP-4844). */
  excessBlobGas?: Hex | undefined;
  /** Cancun (EIP-4788). */
  parentBeaconBlockRoot?: Hex | undefined;
  /** Prague (EIP-7685). */
  requestsHash?: Hex | undefined;
};

export type BlockHashReturnType = Hex;

/** The fork fields appended after `nonce`, in header order, and whether each is a quantity. */
export const OPTIONAL_HEADER_FIELDS = [
  ['baseFeePerGas', true],
  ['withdrawalsRoot', false],
  ['blobGasUsed', true],
  ['excessBlobGas', true],
  ['parentBeaconBlockRoot', false],
  ['requestsHash', false],
] as const;

/**
 * Computes an EVM block hash from its header: keccak256 of the RLP list of the header fields, with
 * each fork's fields appended when present (London, Shanghai, Cancun, Prague). Quantities are
 * encoded as minimal big-endian bytes (zero as the empty string).
 *
 * @example
 * blockHash(header) === header.hash // the node served a header consistent with its hash
 */
export function blockHash(header: BlockHashParameters): BlockHashReturnType {
  const fields: Hex[] = [
    header.parentHash,
    header.sha3Uncles,
    header.miner,
    header.stateRoot,
    header.transactionsRoot,
    header.receiptsRoot,
    header.logsBloom,
    toRlpQuantity(header.difficulty),
    toRlpQuantity(header.number),
    toRlpQuantity(header.gasLimit),
    toRlpQuantity(header.gasUsed),
    toRlpQuantity(header.timestamp),
    header.extraData,
    header.mixHash,
    header.nonce,
  ];
  for (const [name, isQuantity] of OPTIONAL_HEADER_FIELDS) {
    const value = header[name];
    if (value === undefined) break;
    fields.push(isQuantity ? toRlpQuantity(value) : value);
  }
  return keccak256(toRlp(fields));
}

function toRlpQuantity(value: Hex): Hex {
  const digits = BigInt(value).toString(16);
  if (digits === '0') return '0x';
  return `0x${digits.length % 2 === 0 ? digits : `0${digits}`}`;
}
