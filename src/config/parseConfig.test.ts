import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseConfig, toRedactedUrl } from './parseConfig.ts';

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

describe('toRedactedUrl', () => {
  const cases: Array<[string, string]> = [
    ['http://user:pass@127.0.0.1:8332/', 'http://***@127.0.0.1:8332'],
    ['https://rpc.example/v1?apikey=abc', 'https://rpc.example/v1?***'],
    ['ws://127.0.0.1:8545', 'ws://127.0.0.1:8545'],
  ];
  for (const [url, expected] of cases)
    it(`args: ${expected}`, () => assert.equal(toRedactedUrl(url), expected));
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
    assert.equal(config.sinks[1]?.url, sinkEnv.SLACK_URL);
    assert.equal(config.sinks[1]?.displayUrl.includes('secret'), false);
    assert.equal(config.sinks[2]?.routingKey, 'pdkey');
    assert.ok(Object.isFrozen(config.sinks));
  });

  it('default: no sinks and no store section', () => {
    const config = parseConfig(chains, 'guard.yaml', {});
    assert.deepEqual(config.sinks, []);
    assert.deepEqual(config.store, {});
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
    ['empty data dir', 'store: { dataDir: "" }', /store\.dataDir/],
  ];
  for (const [name, text, expected] of bad) {
    it(`error: ${name}`, () => {
      assert.throws(
        () => parseConfig(`${chains}${text}`, 'guard.yaml', { HOOK_SECRET: 'x' }),
        (error: unknown) => error instanceof ConfigError && expected.test(error.message),
      );
    });
  }
});
