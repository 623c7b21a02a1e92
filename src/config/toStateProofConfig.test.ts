import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseConfig } from './parseConfig.ts';

describe('toStateProofConfig (through parseConfig)', () => {
  const oracle = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
  const withoutProofs = 'chains: { x: { preset: devnet, nodes: [{ name: a, url: "http://h" }] } }';
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
    assert.deepEqual(parseConfig(withoutProofs, 'guard.yaml', {}).stateProofs, {});
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
