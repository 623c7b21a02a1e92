import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
