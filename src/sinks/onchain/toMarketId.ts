import { type Hex, keccak256, stringToHex } from 'viem';

/**
 * The guard's id of a market named `name`: keccak256 of its UTF-8 bytes. Any 32-byte value works as
 * a market id; this is the convention the keeper's configuration and the docs use.
 *
 * @example
 * toMarketId('deribit:ETH-options') // '0x…' (32 bytes)
 */
export function toMarketId(name: string): Hex {
  return keccak256(stringToHex(name));
}
