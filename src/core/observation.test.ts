import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSameHash, toHash } from './observation.ts';

describe('toHash', () => {
  const cases: Array<[string, string]> = [
    ['0xABCdef', 'abcdef'],
    ['abcdef', 'abcdef'],
    ['0X00ff', '00ff'],
  ];
  for (const [input, expected] of cases) {
    it(`args: ${input}`, () => assert.equal(toHash(input), expected));
  }
  it('behavior: compares with and without 0x, any case', () => {
    assert.equal(isSameHash('0xAB12', 'ab12'), true);
    assert.equal(isSameHash('0xAB12', 'ab13'), false);
  });
});
