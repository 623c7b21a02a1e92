import type { ProofOfWork } from '../../core/params.ts';
import { toPowHash } from './toPowHash.ts';
import { toTarget } from './toTarget.ts';

/** What {@link checkProofOfWork} needs of a header: its 80 bytes, `bits` and height. */
export type PowHeader = { raw: Uint8Array; bits: number; height: number };

/**
 * Checks one header's proof of work: `bits` decodes to a valid target no easier than the chain's
 * limit, `bits` follows the retarget rule from the parent's (`fixed`: always the limit;
 * `interval`: the parent's between retarget heights, at most 4 times easier or harder at them,
 * with the compact encoding's rounding allowed), and the proof-of-work hash is at or below the
 * target. Returns why it fails, or `undefined` when it passes. Without the parent only the
 * `fixed` rule can be checked.
 *
 * @example
 * checkProofOfWork(regtest, { raw, bits: 0x207fffff, height: 5 }, { bits: 0x207fffff, height: 4 })
 */
export function checkProofOfWork(
  pow: ProofOfWork,
  header: PowHeader,
  parent?: { bits: number; height: number },
): string | undefined {
  const target = toTarget(header.bits);
  const limit = toTarget(pow.powLimitBits);
  if (target === undefined || limit === undefined)
    return `bits ${toBitsHex(header.bits)} is not a valid target`;
  if (target > limit)
    return `bits ${toBitsHex(header.bits)} is easier than the chain's limit ${toBitsHex(pow.powLimitBits)}`;
  if (pow.retarget === 'fixed') {
    if (header.bits !== pow.powLimitBits)
      return `bits ${toBitsHex(header.bits)} where the chain never retargets from ${toBitsHex(pow.powLimitBits)}`;
  } else if (parent !== undefined) {
    if (header.height % pow.retargetInterval !== 0) {
      if (header.bits !== parent.bits)
        return `bits ${toBitsHex(header.bits)} differs from the parent's ${toBitsHex(parent.bits)} between retargets`;
    } else {
      const previous = toTarget(parent.bits);
      if (previous === undefined) return `parent bits ${toBitsHex(parent.bits)} is not a valid target`;
      const lowest = previous / 4n - (previous >> 17n);
      if (target > previous * 4n || target < lowest)
        return `bits ${toBitsHex(header.bits)} moves the target by more than 4 times at a retarget`;
    }
  }
  const hash = toPowHash(pow.algorithm, header.raw);
  if (hash > target)
    return `proof-of-work hash ${hash.toString(16).padStart(64, '0').slice(0, 16)}… is above the target ${target.toString(16).padStart(64, '0').slice(0, 16)}…`;
  return undefined;
}

function toBitsHex(bits: number): string {
  return `0x${bits.toString(16).padStart(8, '0')}`;
}
