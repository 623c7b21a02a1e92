import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NODE_HEADERS } from '../../../test/peers/nodeHeaders.ts';
import { blockHash } from './blockHash.ts';
import type { RpcBlockHeader } from './parseRpcBlockHeader.ts';

/**
 * Ethereum mainnet block 0 (30 July 2015): hash 0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3,
 * the genesis of every Ethereum client (go-ethereum params.MainnetGenesisHash; etherscan.io/block/0).
 * A pre-London header: no optional fields.
 */
const mainnetGenesis: RpcBlockHeader = {
  hash: '0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3',
  parentHash: '0x0000000000000000000000000000000000000000000000000000000000000000',
  sha3Uncles: '0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347',
  miner: '0x0000000000000000000000000000000000000000',
  stateRoot: '0xd7f8974fb5ac78d9ac099b9ad5018bedc2ce0a72dad1827a1709da30580f0544',
  transactionsRoot: '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421',
  receiptsRoot: '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421',
  logsBloom: `0x${'00'.repeat(256)}`,
  difficulty: '0x400000000',
  number: '0x0',
  gasLimit: '0x1388',
  gasUsed: '0x0',
  timestamp: '0x0',
  extraData: '0x11bbe8db4e347b4e8c937c1c8370e4b5ed33adb3db69cbdb7a38e1e50b1b82fa',
  mixHash: '0x0000000000000000000000000000000000000000000000000000000000000000',
  nonce: '0x0000000000000042',
};

describe('blockHash', () => {
  it('default: Ethereum mainnet genesis', () => {
    assert.equal(blockHash(mainnetGenesis), mainnetGenesis.hash);
  });

  const cases: Array<[string, RpcBlockHeader]> = [
    ['Anvil (Prague fields, one transaction)', NODE_HEADERS.anvil],
    ['Hardhat EDR (Prague fields, one transaction)', NODE_HEADERS.hardhat],
    ['Ganache (Shanghai fields, one transaction)', NODE_HEADERS.ganache],
  ];
  for (const [name, header] of cases) {
    it(`args: header served by ${name}`, () => {
      assert.equal(blockHash(header), header.hash);
    });
  }

  const tampered: Array<[keyof RpcBlockHeader, string]> = [
    ['parentHash', `0x${'11'.repeat(32)}`],
    ['stateRoot', `0x${'22'.repeat(32)}`],
    ['number', '0x2'],
    ['timestamp', '0x65920001'],
    ['extraData', '0x01'],
    ['baseFeePerGas', '0x8'],
    ['parentBeaconBlockRoot', `0x${'33'.repeat(32)}`],
  ];
  for (const [field, value] of tampered) {
    it(`behavior: a changed ${field} changes the hash`, () => {
      assert.notEqual(blockHash({ ...NODE_HEADERS.anvil, [field]: value }), NODE_HEADERS.anvil.hash);
    });
  }

  it('behavior: a dropped fork field (requestsHash) changes the hash', () => {
    const { requestsHash: _, ...withoutRequests } = NODE_HEADERS.anvil;
    assert.notEqual(blockHash(withoutRequests), NODE_HEADERS.anvil.hash);
  });

  it('behavior: quantities with leading zeros encode as their value', () => {
    assert.equal(blockHash({ ...mainnetGenesis, gasLimit: '0x01388' }), mainnetGenesis.hash);
  });
});
