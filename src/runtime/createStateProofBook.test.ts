import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Hex } from 'viem';
import type { StateProofFailure, VerifiedStateReport } from '../sources/evm/createStateProofSource.ts';
import { createStateProofBook } from './createStateProofBook.ts';

const ORACLE: Hex = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const BRIDGE: Hex = '0x0000000000000000000000000000000000000001';
const SLOT_1: Hex = `0x${'00'.repeat(31)}01`;
const block = (n: number) => ({ number: BigInt(n), hash: n.toString(16).padStart(64, '0') });

function report(
  node: string,
  n: number,
  price: bigint,
  hash = block(n).hash,
  lateMs = 0,
): VerifiedStateReport {
  return {
    chain: 'mainnet',
    node,
    block: { number: BigInt(n), hash },
    blockTimestamp: 1_000 + n,
    observedAtMs: 10_000 + n + lateMs,
    accounts: [
      {
        address: ORACLE.toLowerCase() as Hex,
        nonce: 1n,
        balance: 0n,
        codeHash: `0x${'11'.repeat(32)}`,
        storageHash: `0x${'22'.repeat(32)}`,
        storage: [{ slot: SLOT_1, value: price }],
      },
    ],
  };
}
function failure(node: string, n: number, address?: Hex): StateProofFailure {
  const f: StateProofFailure = {
    chain: 'mainnet',
    node,
    code: address ? 'state_proof' : 'timeout',
    message: 'm',
    block: block(n),
    observedAtMs: 20_000 + n,
  };
  if (address) f.address = address;
  return f;
}

type Event = ['record', VerifiedStateReport] | ['fail', StateProofFailure];

describe('createStateProofBook', () => {
  // Events in, the oracle account's block, provers and failed nodes out.
  const cases: Array<[string, Event[], number | null, string[], string[], bigint | undefined]> = [
    ['nothing proved yet', [], null, [], [], undefined],
    ['one node', [['record', report('a', 5, 42n)]], 5, ['a'], [], 42n],
    [
      'the highest block wins, provers are the nodes at that very block',
      [
        ['record', report('c', 6, 43n)],
        ['record', report('a', 5, 42n)],
        ['record', report('b', 6, 43n)],
      ],
      6,
      ['b', 'c'],
      [],
      43n,
    ],
    [
      'another block at the same height: the later proof',
      [
        ['record', report('a', 6, 42n)],
        ['record', report('b', 6, 44n, 'ff'.repeat(32), 1)],
      ],
      6,
      ['b'],
      [],
      44n,
    ],
    [
      "a node's failure on the account stays until it proves it again",
      [
        ['record', report('a', 5, 42n)],
        ['fail', failure('b', 5, ORACLE)],
        ['record', report('a', 6, 42n)],
      ],
      6,
      ['a'],
      ['b'],
      42n,
    ],
    [
      'proving again clears the failure',
      [
        ['fail', failure('b', 5, ORACLE)],
        ['record', report('b', 6, 42n)],
      ],
      6,
      ['b'],
      [],
      42n,
    ],
    [
      "another account's failure is not this one's",
      [
        ['record', report('a', 5, 42n)],
        ['fail', failure('b', 5, BRIDGE)],
      ],
      5,
      ['a'],
      [],
      42n,
    ],
    ['a failure of no account is every account’s', [['fail', failure('b', 5)]], null, [], ['b'], undefined],
  ];
  for (const [name, events, height, nodes, failed, price] of cases) {
    it(`default: ${name}`, () => {
      const book = createStateProofBook({
        mainnet: {
          intervalMs: 1000,
          accounts: [
            { name: 'oracle', address: ORACLE, slots: [SLOT_1] },
            { name: 'bridge', address: BRIDGE, slots: [] },
          ],
        },
      });
      for (const [type, event] of events) {
        if (type === 'record') book.record(event);
        else book.fail(event);
      }
      const oracle = book.chain('mainnet')?.accounts[0];
      assert.equal(oracle?.address, ORACLE);
      assert.equal(oracle?.block?.number ?? null, height === null ? null : BigInt(height));
      assert.deepEqual(oracle?.nodes, nodes);
      assert.deepEqual(
        oracle?.failed.map((f) => f.node),
        failed,
      );
      assert.equal(book.readStorage('mainnet', 'oracle', '0x1')?.value, price);
    });
  }

  it('behavior: readStorage gives the block time and provers; unknown chains, accounts, slots are undefined', () => {
    const book = createStateProofBook({
      mainnet: { intervalMs: 1000, accounts: [{ name: 'oracle', address: ORACLE, slots: [SLOT_1] }] },
    });
    book.record(report('a', 7, 42n));
    assert.deepEqual(book.readStorage('mainnet', 'oracle', SLOT_1), {
      value: 42n,
      block: { ...block(7), timestamp: 1_007 },
      verifiedAtMs: 10_007,
      nodes: ['a'],
    });
    assert.equal(book.readStorage('mainnet', 'oracle', '0x2'), undefined);
    assert.equal(book.readStorage('mainnet', 'bridge', SLOT_1), undefined);
    assert.equal(book.readStorage('other', 'oracle', SLOT_1), undefined);
    assert.equal(book.chain('other'), undefined);
  });
});
