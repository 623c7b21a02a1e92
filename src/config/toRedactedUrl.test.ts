import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toRedactedUrl } from './toRedactedUrl.ts';

describe('toRedactedUrl', () => {
  const cases: Array<[string, string]> = [
    ['http://127.0.0.1:8545', 'http://127.0.0.1:8545'],
    ['ws://127.0.0.1:8545/', 'ws://127.0.0.1:8545'],
    ['http://user:pass@127.0.0.1:8332/', 'http://***@127.0.0.1:8332'],
    ['https://user:secret@rpc.example.org/', 'https://***@rpc.example.org'],
    ['https://rpc.example/v1?apikey=abc', 'https://rpc.example/v1?***'],
    ['https://rpc.example.org/?apikey=secret', 'https://rpc.example.org?***'],
    ['https://rpc.example.org/eth#token', 'https://rpc.example.org/eth?***'],
    ['https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef', 'https://mainnet.infura.io/v3/***'],
    ['https://rpc.example/eth-mainnet/short', 'https://rpc.example/eth-mainnet/short'],
    [`https://rpc.example/v3/\${RPC_KEY}`, `https://rpc.example/v3/\${RPC_KEY}`],
    [`\${SCHEME}://user:pass@h/x?k=v`, `\${SCHEME}://***@h/x?***`],
    ['::user:pass@?k=v', '***@?***'],
    ['nope', 'nope'],
    ['http://[::1]:8545/eth', 'http://[::1]:8545/eth'],
  ];
  for (const [url, expected] of cases)
    it(`args: ${expected}`, () => assert.equal(toRedactedUrl(url), expected));

  it('args: originOnly keeps the scheme and the host', () => {
    assert.equal(
      toRedactedUrl('https://hooks.slack.example/services/T1/B2/secret?x=1', { originOnly: true }),
      'https://hooks.slack.example',
    );
    assert.equal(toRedactedUrl('https://u:pw@h.example/x', { originOnly: true }), 'https://***@h.example');
  });

  // Valid or not as URLs: the password must not show, whole or in part.
  const hostile: Array<[string, string]> = [
    ['ws://admin:Sup3r/Secret@127.0.0.1:18545', 'ws://***@127.0.0.1:18545'],
    ['ws://admin:Sup3r?Secret@127.0.0.1:18545', 'ws://***@127.0.0.1:18545'],
    ['ws://admin:Sup3r#Secret@127.0.0.1:18545/x', 'ws://***@127.0.0.1:18545/x'],
    ['https://admin:Sup3r@Secret@127.0.0.1:9/hook', 'https://***@127.0.0.1:9/hook'],
    ['http://admin:1234/Sup3rSecret@127.0.0.1:9', 'http://***@127.0.0.1:9'],
    ['admin:Sup3rSecret@127.0.0.1:18545', '***@127.0.0.1:18545'],
    ['//admin:Sup3rSecret@127.0.0.1:18545', '***@127.0.0.1:18545'],
    ['http://admin:Sup3r%2FSecret@[::1]:8545/', 'http://***@[::1]:8545'],
    ['http://admin:Sup3r/Secret@[::1]:8545/', 'http://***@[::1]:8545'],
    ['http:\\\\admin:Sup3r\\Secret@127.0.0.1:9', '***@127.0.0.1:9'],
    ['http://admin:Sup3r\nSecret@127.0.0.1:9', 'http://***@127.0.0.1:9'],
    ['https://rpc.example/v1/?token=Sup3rSecret', 'https://rpc.example/v1/?***'],
  ];
  for (const [url, expected] of hostile) {
    it(`behavior: no part of the password in ${JSON.stringify(url)}`, () => {
      const redacted = toRedactedUrl(url);
      assert.equal(redacted, expected);
      for (const part of ['admin', 'Sup3r', 'Secret', '1234']) assert.equal(redacted.includes(part), false);
    });
  }
});
