import { createHash } from 'node:crypto';

/** The fields of an 80-byte Bitcoin block header, hashes in the usual display order. */
export type BitcoinHeader = {
  /** Double SHA-256 of the header, byte-reversed, lower-case hex. */
  hash: string;
  version: number;
  parentHash: string;
  merkleRoot: string;
  /** Seconds since the Unix epoch. */
  timestamp: number;
  bits: number;
  nonce: number;
};

/**
 * Decodes a serialized header (160 hex digits) and computes its hash. Returns `undefined` for
 * anything that is not exactly 80 bytes of hex.
 */
export function toBitcoinHeader(hex: string): BitcoinHeader | undefined {
  if (hex.length !== 160 || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
  const bytes = Buffer.from(hex, 'hex');
  const once = createHash('sha256').update(bytes).digest();
  const twice = createHash('sha256').update(once).digest();
  return {
    hash: reverseHex(twice),
    version: bytes.readInt32LE(0),
    parentHash: reverseHex(bytes.subarray(4, 36)),
    merkleRoot: reverseHex(bytes.subarray(36, 68)),
    timestamp: bytes.readUInt32LE(68),
    bits: bytes.readUInt32LE(72),
    nonce: bytes.readUInt32LE(76),
  };
}

function reverseHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).reverse().toString('hex');
}
