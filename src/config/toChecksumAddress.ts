import { type Address, getAddress } from 'viem';

/**
 * An address of the config with its EIP-55 checksum. `value` must be `0x` and 40 hex digits, in
 * one case (lower or upper) or in mixed case with a valid checksum; otherwise an issue at `path`
 * is pushed and `value` comes back unchanged.
 *
 * @example
 * toChecksumAddress('0x5fbdb2315678afecb367f032d93f642f64180aa3', 'sinks[0].guardAddress', issues)
 * // '0x5FbDB2315678afecb367f032d93F642f64180aa3'
 */
export function toChecksumAddress(value: string, path: string, issues: string[]): Address {
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) {
    issues.push(`${path}: not an address (0x and 40 hex digits): "${value}"`);
    return value as Address;
  }
  const digits = value.slice(2);
  const mixedCase = digits !== digits.toLowerCase() && digits !== digits.toUpperCase();
  const address = getAddress(value);
  if (mixedCase && address !== value) {
    issues.push(
      `${path}: the mixed-case checksum (EIP-55) does not match: check the address, or write it in lower case`,
    );
  }
  return address;
}
