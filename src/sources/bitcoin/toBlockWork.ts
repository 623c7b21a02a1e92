const TWO_256 = 1n << 256n;

/**
 * The expected number of hashes to find a header at `target`: `2^256 / (target + 1)`, as Bitcoin
 * Core's `GetBlockProof`. Chainwork is the sum of this over a chain's headers.
 *
 * @example
 * toBlockWork(0x7fffffn << 232n) // 2n: every regtest header adds 2 to the chainwork
 */
export function toBlockWork(target: bigint): bigint {
  return TWO_256 / (target + 1n);
}
