import type { RpcBlockHeader } from '../../src/sources/evm/parseRpcBlockHeader.ts';

const quantities = new Set([
  'difficulty',
  'number',
  'gasLimit',
  'gasUsed',
  'timestamp',
  'baseFeePerGas',
  'blobGasUsed',
  'excessBlobGas',
]);

/** `value` carries every field of `reference`, up to hex case and leading zeros of quantities. */
export function isSameHeader(value: unknown, reference: RpcBlockHeader): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(reference).every(([key, expected]) => {
    const actual = (value as Record<string, unknown>)[key];
    if (typeof actual !== 'string' || typeof expected !== 'string') return false;
    if (!quantities.has(key)) return actual.toLowerCase() === expected.toLowerCase();
    return /^0x[0-9a-fA-F]+$/.test(actual) && BigInt(actual) === BigInt(expected);
  });
}
