import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createConfigReader, type UrlRule } from './createConfigReader.ts';
import { ConfigError, parseConfig } from './parseConfig.ts';

const http: UrlRule = {
  protocols: ['http:', 'https:'],
  wrongProtocol: (protocol) => `takes http:// or https:// URLs, got ${protocol}//`,
};
const noCredentials: UrlRule = { ...http, credentials: () => 'no user name or password here' };

describe('createConfigReader', () => {
  const env = { SET: 'value', EMPTY: '', HOST: 'node.example:8545', AUTH: 'admin:Sup3rSecret' };

  const envCases: Array<[string, string, string | undefined, string[]]> = [
    ['a set variable', 'SET', 'value', []],
    ['an unset variable', 'NOPE', undefined, ['x.env: environment variable NOPE is not set']],
    ['an empty variable is unset', 'EMPTY', undefined, ['x.env: environment variable EMPTY is not set']],
  ];
  for (const [name, variable, value, issues] of envCases) {
    it(`args: env of ${name}`, () => {
      const found: string[] = [];
      assert.equal(createConfigReader(env, found).env(variable, 'x.env'), value);
      assert.deepEqual(found, issues);
    });
  }

  it('args: env with a hint after "is not set"', () => {
    const found: string[] = [];
    createConfigReader(env, found).env('NOPE', 'x', ': it must hold the key');
    assert.deepEqual(found, ['x: environment variable NOPE is not set: it must hold the key']);
  });

  const urlCases: Array<[string, string, UrlRule, string, string[]]> = [
    ['a plain URL', 'https://node.example', http, 'https://node.example', []],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own ${NAME} syntax
    ['a variable expanded', 'http://${HOST}/rpc', http, 'http://node.example:8545/rpc', []],
    [
      'an unset variable, and nothing more',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own ${NAME} syntax
      '${NOPE}',
      http,
      '',
      ['x.url: environment variable NOPE is not set'],
    ],
    [
      'an empty variable is unset',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own ${NAME} syntax
      'https://h/${EMPTY}',
      http,
      'https://h/',
      ['x.url: environment variable EMPTY is not set'],
    ],
    ['not a URL', 'nope', http, 'nope', ['x.url: not a valid URL (nope)']],
    [
      'no // after the scheme',
      'user:pw@host',
      http,
      'user:pw@host',
      [
        'x.url: not a valid URL (***@host): a / ? # or @ in a user name or password must be percent-encoded (%2F %3F %23 %40)',
      ],
    ],
    ['another scheme', 'ws://h', http, 'ws://h', ['x.url: takes http:// or https:// URLs, got ws://']],
    ['credentials allowed', 'https://a:b@h', http, 'https://a:b@h', []],
    [
      'credentials refused',
      'https://a:b@h',
      noCredentials,
      'https://a:b@h',
      ['x.url: no user name or password here'],
    ],
    [
      'credentials from a variable refused',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own ${NAME} syntax
      'https://${AUTH}@h',
      noCredentials,
      'https://admin:Sup3rSecret@h',
      ['x.url: no user name or password here'],
    ],
  ];
  for (const [name, text, rule, url, issues] of urlCases) {
    it(`args: url of ${name}`, () => {
      const found: string[] = [];
      assert.equal(createConfigReader(env, found).url(text, 'x.url', rule), url);
      assert.deepEqual(found, issues);
    });
  }

  it('behavior: parseConfig counts an empty variable as unset in every place it reads one', () => {
    const text = [
      'chains:',
      '  x:',
      '    preset: devnet',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the config's own ${NAME} syntax
      '    nodes: [{ name: a, url: "http://h/${E1}", usernameEnv: E2, passwordEnv: E3, headersEnv: { X-Key: E4 } }]',
      'sinks:',
      '  - { name: hook, shape: pagerduty, url: "https://h", secretEnv: E5, routingKeyEnv: E6 }',
      `  - { name: keeper, kind: onchain, rpcUrl: "http://h", guardAddress: "0x${'11'.repeat(20)}", privateKeyEnv: E7, markets: { x: m } }`,
      'store: { kind: postgres, urlEnv: E8 }',
    ].join('\n');
    const env = Object.fromEntries(['E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E7', 'E8'].map((n) => [n, '']));
    assert.throws(
      () => parseConfig(text, 'guard.yaml', env),
      (error: { issues: string[] }) => {
        const unset = error.issues.map((issue) => /environment variable (E\d) is not set/.exec(issue)?.[1]);
        assert.deepEqual(unset, ['E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E7', 'E8']);
        return true;
      },
    );
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
});
