import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toRedactedUrl } from './toRedactedUrl.ts';

describe('toRedactedUrl', () => {
  const cases: Array<[string, string]> = [
    ['http://127.0.0.1:8545', 'http://127.0.0.1:8545/'],
    ['https://user:secret@rpc.example.org/', 'https://rpc.example.org/'],
    ['wss://mainnet.example.io/v3/0123456789abcdef0123456789abcdef', 'wss://mainnet.example.io/v3/…'],
    ['https://rpc.example.org/?apikey=secret', 'https://rpc.example.org/?…'],
    ['https://rpc.example.org/eth#token', 'https://rpc.example.org/eth?…'],
    ['not a url', '<invalid url>'],
  ];
  for (const [input, expected] of cases) {
    it(`args: ${expected}`, () => {
      const redacted = toRedactedUrl(input);
      assert.equal(redacted, expected);
      assert.equal(redacted.includes('secret'), false);
    });
  }
});
