import { createHash, scryptSync } from 'node:crypto';
import type { ProofOfWork } from '../../core/params.ts';

/**
 * The proof-of-work hash of an 80-byte serialized header, read as a little-endian 256-bit number
 * (the number compared with the target): double SHA-256 for `sha256d`, scrypt with N=1024, r=1,
 * p=1 and the header as both password and salt for `scrypt` (Litecoin's `GetPoWHash`).
 */
export function toPowHash(algorithm: ProofOfWork['algorithm'], header: Uint8Array): bigint {
  const digest =
    algorithm === 'scrypt'
      ? scryptSync(header, header, 32, { N: 1024, r: 1, p: 1 })
      : createHash('sha256').update(createHash('sha256').update(header).digest()).digest();
  return BigInt(`0x${Buffer.from(digest).reverse().toString('hex')}`);
}
