import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keccak256, stringToHex } from 'viem';
import { ConfigError, parseConfig } from './parseConfig.ts';

describe('parseConfig: onchain sinks', () => {
  const chains = `chains:
  ethereum: { preset: ethereum, nodes: [{ name: geth, url: "http://h" }] }
  bitcoin: { preset: bitcoin, nodes: [{ name: core, kind: bitcoin, url: "http://b" }] }
`;
  const keeperKey = `0x${'ab'.repeat(32)}`;
  const marketId = `0x${'00'.repeat(31)}01`;
  const guard = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
  const onchainEnv = { GUARD_KEEPER_KEY: keeperKey, RPC_KEY: 'rpc-api-key', HOOK_SECRET: 's' };
  /** One onchain sink with `fields` replacing or adding to the valid ones (YAML flow mapping entries). */
  const sink = (fields: Record<string, string> = {}) => {
    const all: Record<string, string> = {
      name: 'guard',
      kind: 'onchain',
      rpcUrl: '"http://127.0.0.1:8545"',
      guardAddress: `"${guard}"`,
      privateKeyEnv: 'GUARD_KEEPER_KEY',
      markets: '{ ethereum: ETH-options }',
      ...fields,
    };
    const entries = Object.entries(all).filter(([, value]) => value !== '');
    return `sinks: [{ ${entries.map(([key, value]) => `${key}: ${value}`).join(', ')} }]\n`;
  };

  it('default: an onchain sink beside a webhook; market names become ids, hex ids are kept', () => {
    const config = parseConfig(
      `${chains}sinks:
  - name: guard
    kind: onchain
    rpcUrl: "https://rpc.example/v3/\${RPC_KEY}"
    guardAddress: "${guard}"
    privateKeyEnv: GUARD_KEEPER_KEY
    markets:
      ethereum: ETH-options
      bitcoin: "${marketId.toUpperCase().replace('0X', '0x')}"
    confirmations: 2
    timeoutMs: 30000
    heartbeatIntervalMs: 120000
  - { name: ops, url: "https://ops.example/hook", secretEnv: HOOK_SECRET }
  - { name: ops2, kind: webhook, url: "https://ops.example/hook2", secretEnv: HOOK_SECRET }
`,
      'guard.yaml',
      onchainEnv,
    );
    assert.deepEqual(config.sinks[0], {
      name: 'guard',
      kind: 'onchain',
      rpcUrl: 'https://rpc.example/v3/rpc-api-key',
      displayUrl: `https://rpc.example/v3/\${RPC_KEY}`,
      guardAddress: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
      privateKeyEnv: 'GUARD_KEEPER_KEY',
      privateKey: keeperKey,
      markets: { ethereum: keccak256(stringToHex('ETH-options')), bitcoin: marketId },
      confirmations: 2,
      timeoutMs: 30000,
      heartbeatIntervalMs: 120000,
    });
    assert.deepEqual(
      config.sinks.map((s) => [s.name, s.kind]),
      [
        ['guard', 'onchain'],
        ['ops', 'webhook'],
        ['ops2', 'webhook'],
      ],
    );
    assert.ok(Object.isFrozen(config.sinks[0]));
  });

  it('args: a key without 0x, a checksummed address, credentials in the URL kept out of displayUrl', () => {
    const config = parseConfig(
      `${chains}${sink({
        rpcUrl: '"https://keeper:pw@rpc.example/?apikey=abc"',
        guardAddress: '"0x5FbDB2315678afecb367f032d93F642f64180aa3"',
      })}`,
      'guard.yaml',
      { GUARD_KEEPER_KEY: ` ${keeperKey.slice(2)}\n` },
    );
    const [onchain] = config.sinks;
    assert.equal(onchain?.kind, 'onchain');
    if (onchain?.kind !== 'onchain') return;
    assert.equal(onchain.privateKey, keeperKey);
    assert.equal(onchain.guardAddress, '0x5FbDB2315678afecb367f032d93F642f64180aa3');
    assert.equal(onchain.rpcUrl, 'https://keeper:pw@rpc.example/?apikey=abc');
    assert.equal(onchain.displayUrl, 'https://***@rpc.example?***');
  });

  it('behavior: markets name the breakers of breaker.breakers and the chains none of them covers', () => {
    const breakers = 'breaker: { breakers: [{ name: options, chains: [ethereum] }] }\n';
    const config = parseConfig(
      `${chains}${breakers}${sink({ markets: '{ options: ETH-options, bitcoin: BTC-options }' })}`,
      'guard.yaml',
      onchainEnv,
    );
    const [onchain] = config.sinks;
    assert.deepEqual(onchain?.kind === 'onchain' ? Object.keys(onchain.markets) : [], ['options', 'bitcoin']);
    assert.throws(
      () => parseConfig(`${chains}${breakers}${sink()}`, 'guard.yaml', onchainEnv),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.issues.join('\n') ===
          'sinks[0].markets.ethereum: unknown breaker "ethereum": the breakers are options, bitcoin',
    );
  });

  it('error: a markets key named __proto__ is refused, not dropped', () => {
    assert.throws(
      () =>
        parseConfig(
          `${chains}${sink({ markets: '{ __proto__: X, ethereum: Y }' })}`,
          'guard.yaml',
          onchainEnv,
        ),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.issues.join('\n') ===
          'sinks[0].markets.__proto__: not a valid breaker name: 1 to 64 letters, digits, . _ or -, starting with a letter or digit',
    );
  });

  const bad: Array<[string, Record<string, string>, Record<string, string>, string]> = [
    [
      'unknown kind',
      { kind: 'chain' },
      {},
      'sinks[0].kind: unknown sink kind: use webhook (the default) or onchain',
    ],
    [
      'ws rpcUrl',
      { rpcUrl: '"ws://127.0.0.1:8546"' },
      {},
      'sinks[0].rpcUrl: the on-chain guard takes http:// or https:// URLs, got ws://',
    ],
    ['invalid rpcUrl', { rpcUrl: 'nope' }, {}, 'sinks[0].rpcUrl: not a valid URL (nope)'],
    [
      'rpcUrl variable not set',
      { rpcUrl: `"https://rpc.example/\${NOPE_RPC}"` },
      {},
      'sinks[0].rpcUrl: environment variable NOPE_RPC is not set',
    ],
    [
      'short address',
      { guardAddress: '"0x5fbdb2315678"' },
      {},
      'sinks[0].guardAddress: not an address (0x and 40 hex digits): "0x5fbdb2315678"',
    ],
    [
      'address not hex',
      { guardAddress: 'guard.eth' },
      {},
      'sinks[0].guardAddress: not an address (0x and 40 hex digits): "guard.eth"',
    ],
    [
      'unquoted address',
      { guardAddress: guard },
      {},
      'sinks[0].guardAddress: write the address in quotes: YAML reads an unquoted 0x… as a number',
    ],
    [
      'wrong checksum',
      { guardAddress: '"0x5FbDB2315678afecb367f032d93F642f64180AA3"' },
      {},
      'sinks[0].guardAddress: the mixed-case checksum (EIP-55) does not match: check the address, or write it in lower case',
    ],
    [
      'key variable not set',
      { privateKeyEnv: 'NOPE_KEY' },
      {},
      "sinks[0].privateKeyEnv: environment variable NOPE_KEY is not set: it must hold the keeper's private key",
    ],
    [
      'key not hex',
      { privateKeyEnv: 'BAD_KEY' },
      { BAD_KEY: 'correct horse battery staple' },
      'sinks[0].privateKeyEnv: environment variable BAD_KEY does not hold a private key (32 bytes of hex)',
    ],
    [
      'key too short',
      { privateKeyEnv: 'BAD_KEY' },
      { BAD_KEY: `0x${'ab'.repeat(31)}` },
      'sinks[0].privateKeyEnv: environment variable BAD_KEY does not hold a private key (32 bytes of hex)',
    ],
    [
      'key out of range',
      { privateKeyEnv: 'BAD_KEY' },
      { BAD_KEY: `0x${'ff'.repeat(32)}` },
      'sinks[0].privateKeyEnv: environment variable BAD_KEY does not hold a valid secp256k1 private key',
    ],
    [
      'no key variable',
      { privateKeyEnv: '' },
      {},
      'sinks[0].privateKeyEnv: Invalid input: expected string, received undefined',
    ],
    ['no markets', { markets: '{}' }, {}, 'sinks[0].markets: at least one breaker -> market'],
    [
      'short market id',
      { markets: '{ ethereum: "0x1234" }' },
      {},
      'sinks[0].markets.ethereum: "0x1234" is not a market id: give 32 bytes of hex (0x and 64 hex digits), or a market name',
    ],
    [
      'unquoted market id',
      { markets: `{ ethereum: ${marketId} }` },
      {},
      'sinks[0].markets.ethereum: write the market id in quotes: YAML reads an unquoted 0x… as a number',
    ],
    [
      'unknown breaker',
      { markets: '{ solana: SOL-perps }' },
      {},
      'sinks[0].markets.solana: unknown breaker "solana": the breakers are ethereum, bitcoin',
    ],
    [
      'one market for two breakers',
      { markets: `{ ethereum: ETH-options, bitcoin: "${keccak256(stringToHex('ETH-options'))}" }` },
      {},
      `sinks[0].markets.bitcoin: market "${keccak256(stringToHex('ETH-options'))}" is already the market of breaker "ethereum": each market follows one breaker`,
    ],
    [
      'zero confirmations',
      { confirmations: '0' },
      {},
      'sinks[0].confirmations: Too small: expected number to be >0',
    ],
    [
      'bad timeout',
      { timeoutMs: '1.5' },
      {},
      'sinks[0].timeoutMs: Invalid input: expected int, received number',
    ],
    [
      'negative heartbeat interval',
      { heartbeatIntervalMs: '-1' },
      {},
      'sinks[0].heartbeatIntervalMs: Too small: expected number to be >=0',
    ],
    ['webhook field', { url: '"https://h"' }, {}, 'sinks[0]: Unrecognized key: "url"'],
  ];
  for (const [name, fields, extraEnv, expected] of bad) {
    it(`error: ${name}`, () => {
      assert.throws(
        () => parseConfig(`${chains}${sink(fields)}`, 'guard.yaml', { ...onchainEnv, ...extraEnv }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.deepEqual(error.issues, [expected]);
          assert.equal(error.message, `guard.yaml: ${expected}`);
          return true;
        },
      );
    });
  }

  it('error: no secret in any message (key, URL variable, credentials in the URL)', () => {
    const secrets = {
      GUARD_KEEPER_KEY: `0x${'ff'.repeat(32)}`,
      RPC_KEY: 'rpc-secret-token',
    };
    const cases = [
      sink({ rpcUrl: `"ftp://rpc.example/\${RPC_KEY}"` }),
      sink({ rpcUrl: '"https://keeper:hunter2@rpc.example/?apikey=query-secret"' }),
      sink({ rpcUrl: '"ftp://keeper:hunter2@rpc.example/?apikey=query-secret"' }),
      sink({ rpcUrl: '"::keeper:hunter2@?apikey=query-secret"' }),
      sink({ guardAddress: '"0x12"' }),
    ];
    for (const text of cases) {
      assert.throws(
        () => parseConfig(`${chains}${text}`, 'guard.yaml', secrets),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          const all = `${error.message}\n${error.stack}\n${JSON.stringify(error)}`.toLowerCase();
          for (const secret of ['ff'.repeat(32), 'rpc-secret-token', 'hunter2', 'query-secret'])
            assert.equal(all.includes(secret), false, `${secret} in ${error.message}`);
          assert.match(error.message, /GUARD_KEEPER_KEY does not hold a valid secp256k1 private key/);
          return true;
        },
      );
    }
  });
});
