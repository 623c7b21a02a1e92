import { type Hex, pad } from 'viem';
import type { StateProofConfig } from '../config/toStateProofConfig.ts';
import type { StateProofFailure, VerifiedStateReport } from '../sources/evm/createStateProofSource.ts';

/** The values proved for one account (wei, 32-byte slots). */
export type ProvenAccountValues = {
  nonce: bigint;
  /** Wei. */
  balance: bigint;
  codeHash: Hex;
  storageHash: Hex;
  storage: Array<{ slot: Hex; value: bigint }>;
};

/** A node whose last check of an account failed, and why. */
export type StateProofNodeFailure = {
  node: string;
  /** `state_proof`: the proof does not verify; other codes: the check could not run (`timeout`, …). */
  code: string;
  message: string;
  block: { number: bigint; hash: string };
  atMs: number;
};

/** What is known of one configured account: its last verified values and who proved them. */
export type StateProofAccountView = {
  name: string;
  /** As configured, with its EIP-55 checksum. */
  address: Hex;
  /** The highest agreed block at which a node proved the account; null before the first proof. */
  block: { number: bigint; hash: string; timestamp: number } | null;
  /** When the first node proved it at that block, ms. */
  verifiedAtMs: number | null;
  values: ProvenAccountValues | null;
  /** Nodes whose proofs at `block` verified (and so prove the same values), in name order. */
  nodes: string[];
  /** Nodes whose last check failed since they last proved this account, in name order. */
  failed: StateProofNodeFailure[];
};

export type StateProofChainView = { chain: string; intervalMs: number; accounts: StateProofAccountView[] };

/** One storage value as the oracle reads it (see `toStorageQuote`). */
export type VerifiedStorageValue = {
  value: bigint;
  block: { number: bigint; hash: string; timestamp: number };
  verifiedAtMs: number;
  nodes: string[];
};

export type StateProofBook = {
  /** Takes a node's verified report (`createStateProofSource`'s `onVerified`). */
  record(report: VerifiedStateReport): void;
  /** Takes a node's failed check (`createStateProofSource`'s `onFailed`). */
  fail(failure: StateProofFailure): void;
  /** The configured accounts of `chain`, or undefined for a chain without state proofs. */
  chain(name: string): StateProofChainView | undefined;
  /**
   * The last verified value of `slot` (any hex, padded to 32 bytes) of the account named `account`
   * on `chain`, or undefined when no node has proved it yet or it is not configured.
   */
  readStorage(chain: string, account: string, slot: Hex): VerifiedStorageValue | undefined;
};

type NodeProof = {
  block: { number: bigint; hash: string; timestamp: number };
  atMs: number;
  values: ProvenAccountValues;
};
type AccountEntry = {
  name: string;
  /** As configured (EIP-55). */
  address: Hex;
  key: string;
  proofs: Map<string, NodeProof>;
  failures: Map<string, StateProofNodeFailure>;
};

/**
 * The last verified state of every configured account, per node: the service's record of the
 * state-proof checks, read by the API (`GET /api/chains/{chain}/proofs`) and the oracle. An
 * account's values are those proved at the highest agreed block any node proved it at; the nodes
 * listed with them are those whose proofs at that very block verified. A node's failure stays
 * listed until it proves the account again.
 *
 * @example
 * const book = createStateProofBook(config.stateProofs);
 * createStateProofSource({ ..., onVerified: book.record, onFailed: book.fail });
 * book.readStorage('mainnet', 'oracle', '0x0')?.value;
 */
export function createStateProofBook(config: Readonly<Record<string, StateProofConfig>>): StateProofBook {
  const chains = new Map<string, { intervalMs: number; accounts: AccountEntry[] }>();
  for (const [chain, proofs] of Object.entries(config)) {
    chains.set(chain, {
      intervalMs: proofs.intervalMs,
      accounts: proofs.accounts.map((a) => ({
        name: a.name,
        address: a.address,
        key: a.address.toLowerCase(),
        proofs: new Map(),
        failures: new Map(),
      })),
    });
  }
  const find = (chain: string, address: string) =>
    chains.get(chain)?.accounts.filter((a) => a.key === address.toLowerCase()) ?? [];

  const toView = (entry: AccountEntry): StateProofAccountView => {
    let best: NodeProof | undefined;
    for (const proof of entry.proofs.values()) {
      if (!best || proof.block.number > best.block.number) best = proof;
      else if (proof.block.number === best.block.number && proof.atMs > best.atMs) best = proof;
    }
    const agreeing = best
      ? [...entry.proofs].filter(([, p]) => p.block.hash === best.block.hash).sort(byName)
      : [];
    return {
      name: entry.name,
      address: entry.address,
      block: best ? best.block : null,
      verifiedAtMs: agreeing.length > 0 ? Math.min(...agreeing.map(([, p]) => p.atMs)) : null,
      values: best ? best.values : null,
      nodes: agreeing.map(([node]) => node),
      failed: [...entry.failures.values()].sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0)),
    };
  };

  return {
    record(report) {
      for (const state of report.accounts) {
        for (const entry of find(report.chain, state.address)) {
          entry.proofs.set(report.node, {
            block: { ...report.block, timestamp: report.blockTimestamp },
            atMs: report.observedAtMs,
            values: {
              nonce: state.nonce,
              balance: state.balance,
              codeHash: state.codeHash,
              storageHash: state.storageHash,
              storage: state.storage,
            },
          });
          entry.failures.delete(report.node);
        }
      }
    },
    fail(failure) {
      const entries =
        failure.address === undefined
          ? (chains.get(failure.chain)?.accounts ?? [])
          : find(failure.chain, failure.address);
      for (const entry of entries) {
        entry.failures.set(failure.node, {
          node: failure.node,
          code: failure.code,
          message: failure.message,
          block: failure.block,
          atMs: failure.observedAtMs,
        });
      }
    },
    chain(name) {
      const chain = chains.get(name);
      if (!chain) return undefined;
      return { chain: name, intervalMs: chain.intervalMs, accounts: chain.accounts.map(toView) };
    },
    readStorage(chain, account, slot) {
      const entry = chains.get(chain)?.accounts.find((a) => a.name === account);
      if (!entry) return undefined;
      const view = toView(entry);
      const key = pad(slot.toLowerCase() as Hex, { size: 32 });
      const stored = view.values?.storage.find((s) => s.slot === key);
      if (!stored || !view.block || view.verifiedAtMs === null) return undefined;
      return { value: stored.value, block: view.block, verifiedAtMs: view.verifiedAtMs, nodes: view.nodes };
    },
  };
}

function byName([a]: [string, unknown], [b]: [string, unknown]): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
