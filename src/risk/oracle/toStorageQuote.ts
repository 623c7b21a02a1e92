import { RiskError } from '../contagion/riskError.ts';
import type { OracleQuote } from './aggregateOracle.ts';

export type ToStorageQuoteParameters = {
  /** Unique name of the quote's source, e.g. `venue-oracle-slot0`. */
  source: string;
  /** The chain whose state holds the value: its breaker decides whether the quote counts. */
  chain: string;
  /**
   * A storage word proved against an agreed block (`StateProofBook.readStorage`): the word, and
   * the block's timestamp in seconds.
   */
  verified: { value: bigint; block: { timestamp: number } };
  /** The price is `word / 10^decimals` USD (8 for Chainlink-style feeds, 18 for wad). */
  decimals: number;
  /** For a price packed with other fields in the word: the bits below it. Default 0. */
  shiftBits?: number;
  /** For a packed price: its width in bits. Default: the rest of the word. */
  bits?: number;
};

/**
 * An {@link OracleQuote} from a storage slot whose value a state proof verified (docs/sources.md,
 * "State proofs"): the unsigned fixed-point price in the word (or in `bits` bits of it above
 * `shiftBits`) divided by `10^decimals`, timestamped with the proving block's time, so that
 * `aggregateOracle` drops it as stale when the proofs stop advancing.
 *
 * @example
 * const verified = proofs.readStorage('mainnet', 'oracle', '0x0');
 * const quotes = verified ? [toStorageQuote({ source: 'oracle', chain: 'mainnet', verified, decimals: 8 })] : [];
 * aggregateOracle({ asset: 'ETH-USD', quotes: [...quotes, ...others], nowMs });
 *
 * @throws {RiskError} `invalid_input` for decimals or bit ranges outside a 256-bit word.
 */
export function toStorageQuote(parameters: ToStorageQuoteParameters): OracleQuote {
  const shiftBits = parameters.shiftBits ?? 0;
  const bits = parameters.bits ?? 256 - shiftBits;
  for (const [field, value, max] of [
    ['decimals', parameters.decimals, 77],
    ['shiftBits', shiftBits, 255],
    ['bits', bits, 256 - shiftBits],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > max)
      throw new RiskError('invalid_input', `${field} must be an integer from 0 to ${max}, got ${value}`, {
        field,
        value,
      });
  }
  const word = (parameters.verified.value >> BigInt(shiftBits)) & ((1n << BigInt(bits)) - 1n);
  const scale = 10n ** BigInt(parameters.decimals);
  const valueUsd = Number(word / scale) + Number(word % scale) / Number(scale);
  return {
    source: parameters.source,
    chain: parameters.chain,
    valueUsd,
    timestampMs: parameters.verified.block.timestamp * 1000,
  };
}
