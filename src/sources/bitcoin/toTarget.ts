/**
 * Decodes compact `bits` (a header's difficulty target, Bitcoin's `SetCompact`) into the target.
 * Returns `undefined` for an encoding that Bitcoin Core refuses: negative, zero or overflowing.
 *
 * @example
 * toTarget(0x1d00ffff) // 0xffff n << 208n: the easiest target of Bitcoin mainnet
 */
export function toTarget(bits: number): bigint | undefined {
  const exponent = bits >>> 24;
  const mantissa = bits & 0x007fffff;
  const negative = (bits & 0x00800000) !== 0;
  if (mantissa === 0 || negative) return undefined;
  if (exponent > 34 || (mantissa > 0xff && exponent > 33) || (mantissa > 0xffff && exponent > 32))
    return undefined;
  return exponent <= 3
    ? BigInt(mantissa) >> BigInt(8 * (3 - exponent))
    : BigInt(mantissa) << BigInt(8 * (exponent - 3));
}
