import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toBitcoinHeader } from './bitcoinHeader.ts';

describe('toBitcoinHeader', () => {
  it('default: the genesis block header hashes to the well-known genesis hash', () => {
    // Bitcoin mainnet genesis block (height 0), header as published in every Bitcoin Core release.
    const genesis =
      '0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c';
    const header = toBitcoinHeader(genesis);
    assert.equal(header?.hash, '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f');
    assert.equal(header?.parentHash, '0'.repeat(64));
    assert.equal(header?.timestamp, 1231006505);
    assert.equal(header?.nonce, 2083236893);
  });

  it('behavior: real stale headers from the data set hash to their recorded hashes', () => {
    // shared data: bitcoin/stale_blocks_2013-03_fork_window_h225430-225460_decoded.csv, heights 225430 and 225431.
    const rows: Array<[string, string, string]> = [
      [
        '0200000006d04625789f74813125765744bf8c4e0900893328ca98ce66030000000000003e388c16b9a976b142c1b98eb5a2f3cb4ed46bdab5020cfcab83fc446dd6d5db0d5d3e514bd7031a7a48cb17',
        '000000000000015c50b165fcdd33556f8b44800c5298943ac70b112df480c023',
        '0000000000000366ce98ca28338900094e8cbf445776253181749f782546d006',
      ],
      [
        '0200000023c080f42d110bc73a9498520c80448b6f5533ddfc65b1505c01000000000000c859fdead5df264978a0ae68fef2fc28d274f9acb5c15c98ea31d74ed2c5460bcb5e3e514bd7031a8be4f564',
        '00000000000002d2012cc1b3fc0cceb8c156f0e698db40bf4413a210eca056c3',
        '000000000000015c50b165fcdd33556f8b44800c5298943ac70b112df480c023',
      ],
    ];
    for (const [hex, hash, parent] of rows) {
      const header = toBitcoinHeader(hex);
      assert.equal(header?.hash, hash);
      assert.equal(header?.parentHash, parent);
    }
  });

  const bad: Array<[string, string]> = [
    ['too short', '00'],
    ['not hex', 'zz'.repeat(80)],
    ['81 bytes', '00'.repeat(81)],
  ];
  for (const [name, hex] of bad) it(`error: ${name}`, () => assert.equal(toBitcoinHeader(hex), undefined));
});
