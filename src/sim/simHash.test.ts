import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toSimHash } from './simHash.ts';

describe('toSimHash', () => {
  it('default: 64 lower-case hex digits, stable', () => {
    const hash = toSimHash('parent/1/2/v/3', 9);
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.equal(toSimHash('parent/1/2/v/3', 9), hash);
  });

  it('behavior: another content or salt, another hash', () => {
    const hashes = new Set<string>();
    for (let i = 0; i < 2_000; i++) hashes.add(toSimHash(`block/${i}`, 1));
    for (let salt = 2; salt < 100; salt++) hashes.add(toSimHash('block/0', salt));
    assert.equal(hashes.size, 2_000 + 98);
  });
});
