import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NODE_HEADERS } from '../../../test/peers/nodeHeaders.ts';
import { parseRpcBlockHeader } from './parseRpcBlockHeader.ts';

describe('parseRpcBlockHeader', () => {
  it('default: a node header parses, with number and timestamp', () => {
    const parsed = parseRpcBlockHeader({ ...NODE_HEADERS.anvil, transactions: [], size: '0x1' });
    assert.equal(parsed.ok, true);
    if (!parsed.ok) return;
    assert.equal(parsed.number, BigInt(NODE_HEADERS.anvil.number));
    assert.equal(parsed.timestamp, Number(NODE_HEADERS.anvil.timestamp));
    assert.equal('transactions' in parsed.header, false);
  });

  const invalid: Array<[string, unknown, RegExp]> = [
    ['null (no such block)', null, /not found/],
    ['a string', 'latest', /answer/],
    ['a short hash', { ...NODE_HEADERS.anvil, hash: '0x1234' }, /^hash/],
    ['a hash that is not hex', { ...NODE_HEADERS.anvil, hash: `0x${'zz'.repeat(32)}` }, /^hash/],
    ['a number as a JSON number', { ...NODE_HEADERS.anvil, number: 5 }, /^number/],
    ['a huge number', { ...NODE_HEADERS.anvil, number: `0x${'f'.repeat(17)}` }, /^number/],
    ['a missing stateRoot', { ...NODE_HEADERS.anvil, stateRoot: undefined }, /^stateRoot/],
    ['an odd-length extraData', { ...NODE_HEADERS.anvil, extraData: '0x123' }, /^extraData/],
    ['a short logsBloom', { ...NODE_HEADERS.anvil, logsBloom: '0x00' }, /^logsBloom/],
    [
      'a fork field after a missing one',
      { ...NODE_HEADERS.anvil, blobGasUsed: undefined },
      /without blobGasUsed/,
    ],
  ];
  for (const [name, value, reason] of invalid) {
    it(`error: ${name}`, () => {
      const parsed = parseRpcBlockHeader(value);
      assert.equal(parsed.ok, false);
      if (parsed.ok) return;
      assert.match(parsed.reason, reason);
    });
  }
});
