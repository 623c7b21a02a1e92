import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SourceError } from '../source.ts';
import { toRpcResult } from './toRpcResult.ts';

const at = { operation: 'eth_getBlockByNumber', url: 'http://127.0.0.1:8545/', id: 7 };

describe('toRpcResult', () => {
  it('default: returns the result', () => {
    assert.equal(toRpcResult({ jsonrpc: '2.0', id: 7, result: '0x1' }, at), '0x1');
  });
  it('behavior: a null result is a result', () => {
    assert.equal(toRpcResult({ jsonrpc: '2.0', id: 7, result: null }, at), null);
  });

  const failures: Array<[string, unknown, string]> = [
    ['an error object', { id: 7, error: { code: -32601, message: 'method not found' } }, 'rpc_error'],
    ['a string', 'oops', 'invalid_response'],
    ['an array', [{ id: 7, result: 1 }], 'invalid_response'],
    ['a wrong id', { id: 8, result: '0x1' }, 'invalid_response'],
    ['neither result nor error', { id: 7 }, 'invalid_response'],
    ['an error that is a string', { id: 7, error: 'boom' }, 'invalid_response'],
  ];
  for (const [name, answer, code] of failures) {
    it(`error: ${name} → ${code}`, () => {
      assert.throws(
        () => toRpcResult(answer, at),
        (error) => error instanceof SourceError && error.code === code && error.message.includes(at.url),
      );
    });
  }
});
