import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keccak256, stringToHex } from 'viem';
import { ConfigError, parseConfig } from './parseConfig.ts';

const good = `
chains:
  ethereum:
    preset: ethereum
    params:
      liveness: { maxMissedSlots: 4 }
    nodes:
      - { name: geth-1, url: "wss://eth.example/\${API_KEY}", weight: 2 }
      - { name: lighthouse, kind: beacon, url: "http://127.0.0.1:5052" }
  bitcoin:
    preset: bitcoin
    nodes:
      - { name: core, kind: bitcoin, url: "http://127.0.0.1:8332", usernameEnv: BTC_USER, passwordEnv: BTC_PASS }
breaker:
  recovery: { graceMs: 120000 }
  breakers:
    - { name: options, chains: [ethereum, bitcoin] }
`;

const env = { API_KEY: 'sekret', BTC_USER: 'u', BTC_PASS: 'p' };

describe('parseConfig', () => {
  it('default: a valid file gives engine config and nodes, secrets only where needed', () => {
    const config = parseConfig(good, 'guard.yaml', env);
    assert.equal(config.engine.chains.ethereum?.preset, 'ethereum');
    assert.deepEqual(config.engine.chains.ethereum?.params?.weights, { 'geth-1': 2, lighthouse: 1 });
    assert.equal(config.engine.chains.ethereum?.params?.liveness?.maxMissedSlots, 4);
    const geth = config.nodes.ethereum?.[0];
    assert.equal(geth?.url, 'wss://eth.example/sekret');
    assert.equal(geth?.displayUrl.includes('sekret'), false);
    assert.equal(config.nodes.bitcoin?.[0]?.password, 'p');
    assert.deepEqual(config.engine.breaker?.breakers, [{ name: 'options', chains: ['ethereum', 'bitcoin'] }]);
    assert.ok(Object.isFrozen(config.engine));
  });

  const bad: Array<[string, string, RegExp]> = [
    ['not YAML', 'chains: [', /not valid YAML/],
    ['not a mapping', '42', /expected a mapping/],
    ['no chains', 'breaker: {}', /chains: /],
    [
      'unknown preset',
      'chains: { x: { preset: solana, nodes: [{ name: a, url: "http://h" }] } }',
      /chains\.x\.preset: unknown preset/,
    ],
    ['no nodes', 'chains: { x: { preset: devnet, nodes: [] } }', /chains\.x\.nodes: at least one node/],
    [
      'bad url',
      'chains: { x: { preset: devnet, nodes: [{ name: a, url: "nope" }] } }',
      /chains\.x\.nodes\[0\]\.url: not a valid URL/,
    ],
    [
      'ws for bitcoin',
      'chains: { x: { preset: bitcoin, nodes: [{ name: a, kind: bitcoin, url: "ws://h" }] } }',
      /bitcoin nodes take http:\/\/ or https:\/\/ URLs/,
    ],
    [
      'missing env',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own ${NAME} syntax, read from YAML
      'chains: { x: { preset: devnet, nodes: [{ name: a, url: "http://h/${NOPE}" }] } }',
      /environment variable NOPE is not set/,
    ],
    [
      'duplicate node',
      'chains: { x: { preset: devnet, nodes: [{ name: a, url: "http://h" }, { name: a, url: "http://i" }] } }',
      /duplicate node name "a"/,
    ],
    [
      'unknown field',
      'chains: { x: { preset: devnet, nodez: 1, nodes: [{ name: a, url: "http://h" }] } }',
      /chains\.x: Unrecognized key: "nodez"/,
    ],
    [
      'bad param',
      'chains: { x: { preset: devnet, params: { lag: { graceMs: -1 } }, nodes: [{ name: a, url: "http://h" }] } }',
      /chains\.x\.params\.lag\.graceMs/,
    ],
    [
      'bad rule level',
      'chains: { x: { preset: devnet, nodes: [{ name: a, url: "http://h" }] } }\nbreaker: { rules: [{ kind: reorg, minSeverity: warning, level: panic }] }',
      /breaker\.rules\[0\]\.level/,
    ],
    [
      'breaker on unknown chain',
      'chains: { x: { preset: devnet, nodes: [{ name: a, url: "http://h" }] } }\nbreaker: { breakers: [{ name: b, chains: [y] }] }',
      /unknown chain "y"/,
    ],
  ];
  const chainRule = '1 to 64 letters, digits, . _ or -, starting with a letter or digit';
  const memberRule = '1 to 64 letters, digits, . _ : or -, starting with a letter or digit';
  const node = '{ preset: devnet, nodes: [{ name: a, url: "http://h" }] }';
  /** Names that must be refused, each with the one issue it gives. */
  const badNames: Array<[string, string, string]> = [
    [
      'empty chains',
      'chains: {}',
      'chains: no chain: a guard without chains has nothing to watch; give at least one chain with its nodes',
    ],
    [
      'chain named __proto__',
      `chains: { __proto__: ${node} }`,
      `chains.__proto__: not a valid chain name: ${chainRule}`,
    ],
    [
      'chain named __proto__ beside a good one',
      `chains: { x: ${node}, __proto__: ${node} }`,
      `chains.__proto__: not a valid chain name: ${chainRule}`,
    ],
    [
      'chain name with a space',
      `chains: { "a b": ${node} }`,
      `chains["a b"]: not a valid chain name: ${chainRule}`,
    ],
    [
      'chain name with a newline',
      `chains: { "a\\nb": ${node} }`,
      `chains["a\\nb"]: not a valid chain name: ${chainRule}`,
    ],
    [
      'chain name with a colon',
      `chains: { "a:b": ${node} }`,
      `chains.a:b: not a valid chain name: ${chainRule}`,
    ],
    [
      'chain name too long',
      `chains: { ${'c'.repeat(65)}: ${node} }`,
      `chains["${'c'.repeat(64)}…"]: not a valid chain name: ${chainRule}`,
    ],
    [
      'node name starting with -',
      'chains: { x: { preset: devnet, nodes: [{ name: -a, url: "http://h" }] } }',
      `chains.x.nodes[0].name: not a valid node name: ${memberRule}`,
    ],
    [
      'node named __proto__',
      'chains: { x: { preset: devnet, nodes: [{ name: __proto__, url: "http://h" }] } }',
      `chains.x.nodes[0].name: not a valid node name: ${memberRule}`,
    ],
    [
      'empty node name',
      'chains: { x: { preset: devnet, nodes: [{ name: "", url: "http://h" }] } }',
      `chains.x.nodes[0].name: not a valid node name: ${memberRule}`,
    ],
    [
      'sink named __proto__',
      `chains: { x: ${node} }\nsinks: [{ name: __proto__, url: "https://h", secretEnv: S }]`,
      `sinks[0].name: not a valid sink name: ${memberRule}`,
    ],
    [
      'breaker named __proto__',
      `chains: { x: ${node} }\nbreaker: { breakers: [{ name: __proto__, chains: [x] }] }`,
      `breaker.breakers[0].name: not a valid breaker name: ${chainRule}`,
    ],
  ];
  for (const [name, text, expected] of badNames) {
    it(`error: ${name}`, () => {
      assert.throws(
        () => parseConfig(text, 'guard.yaml', { S: 's' }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.deepEqual(error.issues, [expected]);
          return true;
        },
      );
    });
  }

  it('default: names of 64 characters, with . _ - (and : for nodes), are taken', () => {
    const chain = `E${'x'.repeat(62)}9`;
    const config = parseConfig(
      `chains: { ${chain}: { preset: devnet, nodes: [{ name: "127.0.0.1:8545", url: "http://h" }] }, eth_2.a-b: ${node} }`,
      'guard.yaml',
      {},
    );
    assert.deepEqual(Object.keys(config.nodes), [chain, 'eth_2.a-b']);
    assert.equal(config.nodes[chain]?.[0]?.name, '127.0.0.1:8545');
  });

  for (const [name, text, expected] of bad) {
    it(`error: ${name}`, () => {
      assert.throws(
        () => parseConfig(text, 'guard.yaml', {}),
        (error: unknown) =>
          error instanceof ConfigError &&
          expected.test(error.message) &&
          error.message.startsWith('guard.yaml: '),
      );
    });
  }
});

describe('parseConfig: sinks and store', () => {
  const chains = 'chains: { x: { preset: devnet, nodes: [{ name: a, url: "http://h" }] } }\n';
  const sinkEnv = {
    HOOK_SECRET: 's3cret',
    SLACK_URL: 'https://hooks.slack.example/services/T/B/secret',
    PD_KEY: 'pdkey',
  };

  it('default: webhook sinks with secrets from the environment, and the store data directory', () => {
    const config = parseConfig(
      `${chains}store: { dataDir: /var/lib/guard }
sinks:
  - { name: ops, url: "https://ops.example/hook", secretEnv: HOOK_SECRET, timeoutMs: 5000 }
  - { name: slack, shape: slack, url: "\${SLACK_URL}" }
  - { name: pager, shape: pagerduty, url: "https://events.pagerduty.example/v2/enqueue", routingKeyEnv: PD_KEY }
`,
      'guard.yaml',
      sinkEnv,
    );
    assert.deepEqual(config.store, { dataDir: '/var/lib/guard' });
    assert.deepEqual(config.sinks[0], {
      name: 'ops',
      kind: 'webhook',
      url: 'https://ops.example/hook',
      displayUrl: 'https://ops.example',
      shape: 'generic',
      secret: 's3cret',
      timeoutMs: 5000,
    });
    const webhooks = config.sinks.flatMap((s) => (s.kind === 'webhook' ? [s] : []));
    assert.equal(webhooks.length, 3);
    assert.equal(webhooks[1]?.url, sinkEnv.SLACK_URL);
    assert.equal(webhooks[1]?.displayUrl.includes('secret'), false);
    assert.equal(webhooks[2]?.routingKey, 'pdkey');
    assert.ok(Object.isFrozen(config.sinks));
  });

  it('default: no sinks and no store section', () => {
    const config = parseConfig(chains, 'guard.yaml', {});
    assert.deepEqual(config.sinks, []);
    assert.deepEqual(config.store, {});
  });

  it('args: store kind postgres takes its URL from urlEnv, kept and shown redacted; kind memory', () => {
    const url = 'postgres://guard:pw-in-url@db.internal:5432/guard';
    const config = parseConfig(`${chains}store: { kind: postgres, urlEnv: GUARD_DB }\n`, 'guard.yaml', {
      GUARD_DB: url,
    });
    assert.deepEqual(config.store, {
      kind: 'postgres',
      urlEnv: 'GUARD_DB',
      url,
      displayUrl: 'postgres://***@db.internal:5432/guard',
    });
    assert.deepEqual(parseConfig(`${chains}store: { kind: memory }\n`, 'guard.yaml', {}).store, {
      kind: 'memory',
    });
  });

  const bad: Array<[string, string, RegExp]> = [
    [
      'unsigned generic webhook',
      'sinks: [{ name: a, url: "https://h" }]',
      /sinks\[0\]\.secretEnv: a generic webhook is signed/,
    ],
    [
      'secret not set',
      'sinks: [{ name: a, url: "https://h", secretEnv: NOPE }]',
      /sinks\[0\]\.secretEnv: environment variable NOPE is not set/,
    ],
    [
      'pagerduty without key',
      'sinks: [{ name: a, shape: pagerduty, url: "https://h" }]',
      /sinks\[0\]\.routingKeyEnv: a pagerduty webhook needs/,
    ],
    [
      'unknown shape',
      'sinks: [{ name: a, shape: teams, url: "https://h", secretEnv: HOOK_SECRET }]',
      /sinks\[0\]\.shape/,
    ],
    [
      'not http',
      'sinks: [{ name: a, url: "ftp://h", secretEnv: HOOK_SECRET }]',
      /sinks\[0\]\.url: webhooks take http:\/\/ or https:\/\//,
    ],
    [
      'bad url',
      'sinks: [{ name: a, url: "nope", secretEnv: HOOK_SECRET }]',
      /sinks\[0\]\.url: not a valid URL/,
    ],
    [
      'url env not set',
      `sinks: [{ name: a, shape: slack, url: "\${NOPE_URL}" }]`,
      /sinks\[0\]\.url: environment variable NOPE_URL is not set/,
    ],
    [
      'duplicate sink',
      'sinks: [{ name: a, url: "https://h", secretEnv: HOOK_SECRET }, { name: a, url: "https://i", secretEnv: HOOK_SECRET }]',
      /sinks\[1\]\.name: duplicate sink name "a"/,
    ],
    [
      'bad timeout',
      'sinks: [{ name: a, url: "https://h", secretEnv: HOOK_SECRET, timeoutMs: 0 }]',
      /sinks\[0\]\.timeoutMs/,
    ],
    [
      'unknown sink field',
      'sinks: [{ name: a, url: "https://h", secret: abc }]',
      /sinks\[0\]: Unrecognized key: "secret"/,
    ],
    [
      'a whsec_ secret that is not base64 of 24 to 64 bytes',
      'sinks: [{ name: a, url: "https://h", secretEnv: SHORT_SECRET }]',
      /^guard\.yaml: sinks\[0\]\.secretEnv: environment variable SHORT_SECRET: webhook secret: a whsec_ secret holds 24 to 64 bytes, this one 5: make one with createWebhookSecret\(\)$/m,
    ],
    ['empty data dir', 'store: { dataDir: "" }', /store\.dataDir/],
    ['unknown store kind', 'store: { kind: mysql }', /store\.kind/],
    ['postgres without urlEnv', 'store: { kind: postgres }', /store\.urlEnv: kind postgres needs urlEnv/],
    [
      'urlEnv not set',
      'store: { kind: postgres, urlEnv: NOPE_DB }',
      /store\.urlEnv: environment variable NOPE_DB is not set/,
    ],
    [
      'urlEnv not a postgres URL',
      'store: { kind: postgres, urlEnv: HOOK_SECRET }',
      /store\.urlEnv: environment variable HOOK_SECRET does not hold a postgres:\/\/ URL/,
    ],
    ['urlEnv on sqlite', 'store: { urlEnv: HOOK_SECRET }', /store\.urlEnv: only for kind postgres/],
    ['dataDir on memory', 'store: { kind: memory, dataDir: /x }', /store\.dataDir: only for kind sqlite/],
    ['unknown store field', 'store: { url: "postgres://x" }', /store: Unrecognized key: "url"/],
  ];
  for (const [name, text, expected] of bad) {
    it(`error: ${name}`, () => {
      assert.throws(
        () =>
          parseConfig(`${chains}${text}`, 'guard.yaml', { HOOK_SECRET: 'x', SHORT_SECRET: 'whsec_c2hvcnQ=' }),
        (error: unknown) => error instanceof ConfigError && expected.test(error.message),
      );
    });
  }
});

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

describe('parseConfig: credentials in URLs never printed', () => {
  // Hostile URLs, valid or not: `/`, `?`, `#` and `@` in the password, no scheme, IPv6 hosts.
  const hostile = [
    'ws://admin:Sup3r/Secret@127.0.0.1:18545',
    'ws://admin:Sup3r?Secret@127.0.0.1:18545',
    'ws://admin:Sup3r#Secret@127.0.0.1:18545',
    'ws://admin:Sup3r@Secret@127.0.0.1:18545',
    'ws://admin:Sup3r%2FSecret@127.0.0.1:18545',
    'admin:Sup3rSecret@127.0.0.1:18545',
    'ws://admin:Sup3r/Secret@[::1]:18545',
    'ws://admin:Sup3rSecret@[::1]:18545/',
    'ftp://admin:Sup3r/Secret@127.0.0.1:18545',
  ];
  const parts = ['admin', 'Sup3r', 'Secret'];
  /** Everything an error or a config could show: message, stack, issues, display URLs. */
  const shown = (run: () => unknown): string => {
    try {
      const config = run() as { nodes: Record<string, Array<{ displayUrl: string }>> };
      return JSON.stringify(Object.values(config.nodes).flatMap((nodes) => nodes.map((n) => n.displayUrl)));
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      return `${error.message}\n${error.stack}\n${JSON.stringify(error)}`;
    }
  };

  for (const url of hostile) {
    it(`error: no part of the credentials of node URL ${JSON.stringify(url)} in what is printed`, () => {
      for (const kind of ['evm', 'bitcoin']) {
        const text = `chains: { x: { preset: devnet, nodes: [{ name: a, kind: ${kind}, url: ${JSON.stringify(url)} }] } }`;
        const out = shown(() => parseConfig(text, 'guard.yaml', {}));
        for (const part of parts) assert.equal(out.includes(part), false, `${part} in ${out}`);
      }
    });
  }

  it('error: an invalid node URL is named redacted, with the likely cause', () => {
    assert.throws(
      () =>
        parseConfig(
          'chains: { x: { preset: devnet, nodes: [{ name: a, url: "ws://admin:Sup3r/Secret@127.0.0.1:18545" }] } }',
          'guard.yaml',
          {},
        ),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.issues, [
          'chains.x.nodes[0].url: not a valid URL (ws://***@127.0.0.1:18545): a / ? # or @ in a user name or password must be percent-encoded (%2F %3F %23 %40)',
        ]);
        return true;
      },
    );
  });

  it('error: a webhook URL with a user name or password is refused, with where the secret goes', () => {
    const text =
      'chains: { x: { preset: devnet, nodes: [{ name: a, url: "http://h" }] } }\n' +
      'sinks: [{ name: ops, url: "https://user:Sup3rSecret@127.0.0.1:9/hook", secretEnv: HOOK_SECRET }]';
    assert.throws(
      () => parseConfig(text, 'guard.yaml', { HOOK_SECRET: 'k' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.issues, [
          `sinks[0].url: a user name or password in a webhook URL is refused, nothing would be delivered (https://***@127.0.0.1:9): sign with secretEnv, or keep a token in the path from an environment variable (\${NAME})`,
        ]);
        return true;
      },
    );
  });

  it('error: a webhook URL with credentials from a variable is refused, the value never printed', () => {
    const text =
      'chains: { x: { preset: devnet, nodes: [{ name: a, url: "http://h" }] } }\n' +
      `sinks: [{ name: ops, url: "https://\${HOOK_AUTH}@127.0.0.1:9/hook", secretEnv: HOOK_SECRET }]`;
    assert.throws(
      () => parseConfig(text, 'guard.yaml', { HOOK_SECRET: 'k', HOOK_AUTH: 'admin:Sup3rSecret' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(
          error.message,
          /^guard\.yaml: sinks\[0\]\.url: a user name or password in a webhook URL is refused/,
        );
        for (const part of parts) assert.equal(error.message.includes(part), false, error.message);
        return true;
      },
    );
  });

  for (const url of hostile.map((u) => u.replace(/^ws:/, 'https:'))) {
    it(`error: webhook URL ${JSON.stringify(url)} refused, no part of its credentials printed`, () => {
      const text =
        'chains: { x: { preset: devnet, nodes: [{ name: a, url: "http://h" }] } }\n' +
        `sinks: [{ name: ops, url: ${JSON.stringify(url)}, secretEnv: HOOK_SECRET }]`;
      assert.throws(
        () => parseConfig(text, 'guard.yaml', { HOOK_SECRET: 'k' }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          const all = `${error.message}\n${error.stack}\n${JSON.stringify(error)}`;
          for (const part of parts) assert.equal(all.includes(part), false, `${part} in ${error.message}`);
          return true;
        },
      );
    });
  }

  it('error: no part of the credentials of an onchain sink URL in what is printed', () => {
    const chains = 'chains: { x: { preset: devnet, nodes: [{ name: a, url: "http://h" }] } }\n';
    for (const url of hostile) {
      const text = `${chains}sinks: [{ name: g, kind: onchain, rpcUrl: ${JSON.stringify(url)}, guardAddress: "0x12", privateKeyEnv: K, markets: { x: m } }]`;
      const out = shown(() => parseConfig(text, 'guard.yaml', {}));
      for (const part of parts) assert.equal(out.includes(part), false, `${part} in ${out}`);
    }
  });

  describe('stateProofs', () => {
    const oracle = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
    const withProofs = (stateProofs: string, nodes = '[{ name: a, url: "http://h" }]') =>
      `chains:\n  x:\n    preset: devnet\n    nodes: ${nodes}\n    stateProofs:\n${stateProofs}\n`;

    it('default: addresses checksummed, slots padded to 32 bytes, interval defaulted', () => {
      const config = parseConfig(
        withProofs(
          `      accounts:\n        - { name: oracle, address: "${oracle}", slots: ["0x1", 2, "0x${'AB'.repeat(32)}"] }\n        - { name: bridge, address: "0x${'00'.repeat(19)}01" }`,
        ),
        'guard.yaml',
        {},
      );
      assert.deepEqual(config.stateProofs, {
        x: {
          intervalMs: 5000,
          accounts: [
            {
              name: 'oracle',
              address: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
              slots: [`0x${'00'.repeat(31)}01`, `0x${'00'.repeat(31)}02`, `0x${'ab'.repeat(32)}`],
            },
            { name: 'bridge', address: `0x${'00'.repeat(19)}01`, slots: [] },
          ],
        },
      });
      assert.deepEqual(parseConfig(good, 'guard.yaml', env).stateProofs, {});
    });

    const cases: Array<[string, string, string, string?]> = [
      [
        'wrong checksum',
        `      accounts: [{ name: o, address: "0x5FbDB2315678afecb367f032d93F642f64180AA3" }]`,
        'chains.x.stateProofs.accounts[0].address: the mixed-case checksum (EIP-55) does not match: check the address, or write it in lower case',
      ],
      [
        'short address',
        `      accounts: [{ name: o, address: "0x12" }]`,
        'chains.x.stateProofs.accounts[0].address: not an address (0x and 40 hex digits): "0x12"',
      ],
      [
        'unquoted address',
        `      accounts: [{ name: o, address: ${oracle} }]`,
        'chains.x.stateProofs.accounts[0].address: write the address in quotes: YAML reads an unquoted 0x… as a number',
      ],
      [
        'slot longer than 32 bytes',
        `      accounts: [{ name: o, address: "${oracle}", slots: ["0x${'1'.repeat(65)}"] }]`,
        `chains.x.stateProofs.accounts[0].slots[0]: not a storage slot (0x and 1 to 64 hex digits): "0x${'1'.repeat(65)}"`,
      ],
      [
        'unquoted slot past 2^53',
        `      accounts: [{ name: o, address: "${oracle}", slots: [0x${'f'.repeat(20)}] }]`,
        'chains.x.stateProofs.accounts[0].slots[0]: not a slot: write it as quoted hex ("0x…"), YAML reads an unquoted 0x… as a number (1.2089258196146292e+24)',
      ],
      [
        'slot twice',
        `      accounts: [{ name: o, address: "${oracle}", slots: ["0x1", 1] }]`,
        `chains.x.stateProofs.accounts[0].slots[1]: slot 0x${'00'.repeat(31)}01 is listed twice`,
      ],
      [
        'duplicate account',
        `      accounts: [{ name: o, address: "${oracle}" }, { name: o, address: "${oracle}" }]`,
        'chains.x.stateProofs.accounts[1].name: duplicate account name "o"',
      ],
      ['no account', '      accounts: []', 'chains.x.stateProofs.accounts: at least one account to prove'],
      [
        'bad interval',
        `      intervalMs: 0\n      accounts: [{ name: o, address: "${oracle}" }]`,
        'chains.x.stateProofs.intervalMs: Too small: expected number to be >0',
      ],
      [
        'websocket node',
        `      accounts: [{ name: o, address: "${oracle}" }]`,
        'chains.x.nodes[1].url: state proofs are asked over HTTP: give this EVM node an http:// or https:// URL',
        '[{ name: a, url: "http://h" }, { name: b, url: "ws://h" }]',
      ],
      [
        'no EVM node',
        `      accounts: [{ name: o, address: "${oracle}" }]`,
        'chains.x.stateProofs: state proofs need an EVM node on the chain, it has none',
        '[{ name: a, kind: beacon, url: "http://h" }]',
      ],
    ];
    for (const [name, stateProofs, issue, nodes] of cases) {
      it(`error: ${name}`, () => {
        assert.throws(
          () => parseConfig(withProofs(stateProofs, nodes), 'guard.yaml', {}),
          (error: unknown) => {
            assert.ok(error instanceof ConfigError);
            assert.deepEqual(error.issues, [issue]);
            return true;
          },
        );
      });
    }
  });
});
