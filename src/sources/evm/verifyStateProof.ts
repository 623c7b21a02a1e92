import { verifyMerkleProof } from '@ethereumjs/mpt';
import { bytesToBigInt, bytesToHex, fromRlp, type Hex, hexToBytes, isHex, keccak256, pad } from 'viem';

/** An `eth_getProof` answer (EIP-1186), as the node sent it. */
export type StateProofAnswer = {
  address: Hex;
  accountProof: Hex[];
  balance: Hex;
  codeHash: Hex;
  nonce: Hex;
  storageHash: Hex;
  storageProof: Array<{ key: Hex; value: Hex; proof: Hex[] }>;
};

/** Values proven against a state root. */
export type VerifiedState = {
  address: Hex;
  nonce: bigint;
  /** Wei. */
  balance: bigint;
  codeHash: Hex;
  storageHash: Hex;
  /** Slot (32-byte hex) to value. */
  storage: Array<{ slot: Hex; value: bigint }>;
};

export type VerifyStateProofReturnType = { ok: true; state: VerifiedState } | { ok: false; reason: string };

const EMPTY_TRIE_ROOT: Hex = '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421';
const EMPTY_CODE_HASH: Hex = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470';

/**
 * Verifies an `eth_getProof` answer against a block's `stateRoot`: the account proof must lead from
 * the state root to the account's RLP `[nonce, balance, storageRoot, codeHash]` (keyed by
 * keccak256 of the address), and each storage proof from that storage root to the slot's value
 * (keyed by keccak256 of the 32-byte slot), through `@ethereumjs/mpt`. Every value the node states
 * beside its proof (balance, nonce, code hash, storage hash, storage values) must equal the proven
 * one. A missing account or slot is proven by a proof of absence (value 0).
 *
 * @example
 * const answer = await rpc('eth_getProof', [address, [slot], blockNumberHex]);
 * const result = await verifyStateProof(block.stateRoot, answer, { address, slots: [slot] });
 */
export async function verifyStateProof(
  stateRoot: Hex,
  answer: unknown,
  request: { address: Hex; slots: readonly Hex[] },
): Promise<VerifyStateProofReturnType> {
  const shape = toAnswer(answer, request);
  if (typeof shape === 'string') return { ok: false, reason: shape };
  const address = request.address.toLowerCase() as Hex;
  let accountRlp: Uint8Array | null;
  try {
    accountRlp = await verifyMerkleProof(
      hexToBytes(keccak256(address)),
      shape.accountProof.map((n) => hexToBytes(n)),
      { root: hexToBytes(stateRoot) },
    );
  } catch {
    return { ok: false, reason: `the account proof of ${address} does not lead to state root ${stateRoot}` };
  }
  let proven: { nonce: bigint; balance: bigint; storageHash: Hex; codeHash: Hex };
  if (accountRlp === null) {
    proven = { nonce: 0n, balance: 0n, storageHash: EMPTY_TRIE_ROOT, codeHash: EMPTY_CODE_HASH };
  } else {
    const fields = fromRlp(accountRlp, 'bytes') as Uint8Array[];
    if (!Array.isArray(fields) || fields.length !== 4)
      return { ok: false, reason: `the proven account of ${address} is not a 4-field RLP list` };
    proven = {
      nonce: toBigInt(fields[0]!),
      balance: toBigInt(fields[1]!),
      storageHash: bytesToHex(fields[2]!),
      codeHash: bytesToHex(fields[3]!),
    };
  }
  const stated = {
    nonce: BigInt(shape.nonce),
    balance: BigInt(shape.balance),
    storageHash: shape.storageHash.toLowerCase(),
    codeHash: shape.codeHash.toLowerCase(),
  };
  for (const field of ['nonce', 'balance', 'storageHash', 'codeHash'] as const) {
    if (stated[field] !== proven[field])
      return {
        ok: false,
        reason: `${address}: the node states ${field} ${String(stated[field])}, its proof proves ${String(proven[field])}`,
      };
  }
  const storage: VerifiedState['storage'] = [];
  for (const [i, slot] of request.slots.entries()) {
    const entry = shape.storageProof[i]!;
    const key = pad(slot, { size: 32 });
    let value: bigint;
    if (entry.proof.length === 0 && proven.storageHash === EMPTY_TRIE_ROOT) {
      value = 0n;
    } else {
      let raw: Uint8Array | null;
      try {
        raw = await verifyMerkleProof(
          hexToBytes(keccak256(key)),
          entry.proof.map((n) => hexToBytes(n)),
          { root: hexToBytes(proven.storageHash) },
        );
      } catch {
        return {
          ok: false,
          reason: `the storage proof of ${address} slot ${key} does not lead to storage root ${proven.storageHash}`,
        };
      }
      value = raw === null ? 0n : toBigInt(fromRlp(raw, 'bytes') as Uint8Array);
    }
    if (BigInt(entry.value) !== value)
      return {
        ok: false,
        reason: `${address} slot ${key}: the node states ${BigInt(entry.value)}, its proof proves ${value}`,
      };
    storage.push({ slot: key, value });
  }
  return {
    ok: true,
    state: { address, ...proven, storageHash: proven.storageHash, codeHash: proven.codeHash, storage },
  };
}

function toAnswer(
  answer: unknown,
  request: { address: Hex; slots: readonly Hex[] },
): StateProofAnswer | string {
  if (answer === null || typeof answer !== 'object') return 'eth_getProof answered no proof object';
  const a = answer as Record<string, unknown>;
  const isHexList = (v: unknown): v is Hex[] =>
    Array.isArray(v) && v.every((x) => typeof x === 'string' && isHex(x));
  for (const field of ['balance', 'codeHash', 'nonce', 'storageHash'] as const)
    if (typeof a[field] !== 'string' || !isHex(a[field])) return `eth_getProof: field ${field} is not hex`;
  if (!isHexList(a.accountProof)) return 'eth_getProof: accountProof is not a list of hex nodes';
  if (!Array.isArray(a.storageProof) || a.storageProof.length !== request.slots.length)
    return `eth_getProof: ${request.slots.length} storage proofs asked, ${Array.isArray(a.storageProof) ? a.storageProof.length : 'none'} answered`;
  for (const entry of a.storageProof as unknown[]) {
    const e = entry as Record<string, unknown> | null;
    if (!e || typeof e.value !== 'string' || !isHex(e.value) || !isHexList(e.proof))
      return 'eth_getProof: a storage proof is malformed';
  }
  return a as unknown as StateProofAnswer;
}

/** RLP integers are minimal big-endian bytes; zero is empty. */
function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : bytesToBigInt(bytes);
}
