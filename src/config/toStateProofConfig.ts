import { type Address, type Hex, pad } from 'viem';
import { toChecksumAddress } from './toChecksumAddress.ts';

/** An account of a venue's contract (the on-chain guard, an oracle, a bridge) to prove, and its slots. */
export type StateProofAccountConfig = {
  /** Unique within the chain; names the account in the API and for the oracle. */
  name: string;
  /** With its EIP-55 checksum. */
  address: Address;
  /** Storage slots, each 32 bytes of lower-case hex. */
  slots: Hex[];
};

/** The state proofs of one EVM chain (docs/sources.md, "State proofs"). */
export type StateProofConfig = {
  /** How often each EVM node is checked, ms. */
  intervalMs: number;
  accounts: StateProofAccountConfig[];
};

/** `chains.<name>.stateProofs` as the schema lets it through. */
export type StateProofConfigInput = {
  intervalMs: number;
  accounts: Array<{ name: string; address: string; slots: Array<string | number> }>;
};

/**
 * Validates a chain's `stateProofs` into a {@link StateProofConfig}; each problem is an issue at
 * its path under `path` (`chains.<name>.stateProofs`). Addresses are checksummed (or in one case);
 * slots are hex strings of at most 32 bytes or integers up to 2^53, padded to 32 bytes. The chain
 * needs an EVM node, and every EVM node of it an `http(s)://` URL: proofs are asked over HTTP.
 */
export function toStateProofConfig(
  input: StateProofConfigInput,
  path: string,
  nodes: ReadonlyArray<{ kind: string; url: string }>,
  nodesPath: string,
  issues: string[],
): StateProofConfig {
  const names = new Set<string>();
  const accounts = input.accounts.map((account, i): StateProofAccountConfig => {
    const at = `${path}.accounts[${i}]`;
    if (names.has(account.name)) issues.push(`${at}.name: duplicate account name "${account.name}"`);
    names.add(account.name);
    const address = toChecksumAddress(account.address, `${at}.address`, issues);
    const seen = new Set<Hex>();
    const slots = account.slots.map((slot, j) => {
      const padded = toSlot(slot, `${at}.slots[${j}]`, issues);
      if (seen.has(padded)) issues.push(`${at}.slots[${j}]: slot ${padded} is listed twice`);
      seen.add(padded);
      return padded;
    });
    return { name: account.name, address, slots };
  });
  if (!nodes.some((node) => node.kind === 'evm'))
    issues.push(`${path}: state proofs need an EVM node on the chain, it has none`);
  nodes.forEach((node, i) => {
    if (node.kind === 'evm' && !/^https?:\/\//i.test(node.url))
      issues.push(
        `${nodesPath}[${i}].url: state proofs are asked over HTTP: give this EVM node an http:// or https:// URL`,
      );
  });
  return { intervalMs: input.intervalMs, accounts };
}

function toSlot(slot: string | number, path: string, issues: string[]): Hex {
  if (typeof slot === 'number') {
    if (Number.isSafeInteger(slot) && slot >= 0) return pad(`0x${slot.toString(16)}`, { size: 32 });
    issues.push(
      `${path}: not a slot: write it as quoted hex ("0x…"), YAML reads an unquoted 0x… as a number (${slot})`,
    );
    return `0x${'00'.repeat(32)}`;
  }
  if (!/^0x[0-9a-fA-F]{1,64}$/.test(slot)) {
    issues.push(`${path}: not a storage slot (0x and 1 to 64 hex digits): "${slot}"`);
    return `0x${'00'.repeat(32)}`;
  }
  return pad(slot.toLowerCase() as Hex, { size: 32 });
}
