import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProofOfWork } from '../../core/params.ts';
import { toBitcoinHeader } from './bitcoinHeader.ts';
import { checkProofOfWork } from './checkProofOfWork.ts';
import { toBlockWork } from './toBlockWork.ts';
import { toTarget } from './toTarget.ts';

const bitcoin: ProofOfWork = {
  algorithm: 'sha256d',
  retarget: 'interval',
  retargetInterval: 2016,
  powLimitBits: 0x1d00ffff,
};
const litecoin: ProofOfWork = {
  algorithm: 'scrypt',
  retarget: 'interval',
  retargetInterval: 2016,
  powLimitBits: 0x1e0fffff,
};
const regtest: ProofOfWork = {
  algorithm: 'scrypt',
  retarget: 'fixed',
  retargetInterval: 2016,
  powLimitBits: 0x207fffff,
};

// Bitcoin mainnet genesis, as published in every Bitcoin Core release.
const BITCOIN_GENESIS =
  '0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c';
// Litecoin mainnet genesis (chainparams.cpp): version 1, merkle root 97ddfbba..., time 1317972665,
// bits 0x1e0ffff0, nonce 2084524493; its SHA-256d hash is 12a765e3...
const LITECOIN_GENESIS = [
  '01000000',
  '00'.repeat(32),
  Buffer.from('97ddfbbae6be97fd6cdf3e7ca13232a3afff2353e29badfab7f73011edd4ced9', 'hex')
    .reverse()
    .toString('hex'),
  'b9aa8e4e',
  'f0ff0f1e',
  'cd513f7c',
].join('');
// Heights 225430 and 225431 of Bitcoin mainnet (shared data, the March 2013 fork window).
const H225430 =
  '0200000006d04625789f74813125765744bf8c4e0900893328ca98ce66030000000000003e388c16b9a976b142c1b98eb5a2f3cb4ed46bdab5020cfcab83fc446dd6d5db0d5d3e514bd7031a7a48cb17';
const H225431 =
  '0200000023c080f42d110bc73a9498520c80448b6f5533ddfc65b1505c01000000000000c859fdead5df264978a0ae68fef2fc28d274f9acb5c15c98ea31d74ed2c5460bcb5e3e514bd7031a8be4f564';

const raw = (hex: string) => Buffer.from(hex, 'hex');

describe('toTarget and toBlockWork', () => {
  it('default: the genesis chainwork that Bitcoin Core and Litecoin Core report', () => {
    // getblockheader of each genesis: chainwork 0x100010001 (Bitcoin), 0x100010 (Litecoin); regtest adds 2 a block.
    assert.equal(toBlockWork(toTarget(0x1d00ffff)!), 0x100010001n);
    assert.equal(toBlockWork(toTarget(0x1e0ffff0)!), 0x100010n);
    assert.equal(toBlockWork(toTarget(0x207fffff)!), 2n);
  });
  it('error: negative, zero and overflowing encodings are refused', () => {
    assert.equal(toTarget(0x1d800000 | 0xffff), undefined);
    assert.equal(toTarget(0x1d000000), undefined);
    assert.equal(toTarget(0x2300ffff), undefined);
  });
});

describe('checkProofOfWork', () => {
  it('default: real mainnet headers pass (double SHA-256 and scrypt)', () => {
    assert.equal(
      toBitcoinHeader(LITECOIN_GENESIS)?.hash,
      '12a765e31ffd4059bada1e25190f6e98c99d9714d334efa41a195a7e7e04bfe2',
    );
    assert.equal(
      checkProofOfWork(bitcoin, { raw: raw(BITCOIN_GENESIS), bits: 0x1d00ffff, height: 0 }),
      undefined,
    );
    assert.equal(
      checkProofOfWork(litecoin, { raw: raw(LITECOIN_GENESIS), bits: 0x1e0ffff0, height: 0 }),
      undefined,
    );
    const parent = toBitcoinHeader(H225430)!;
    const child = toBitcoinHeader(H225431)!;
    assert.equal(
      checkProofOfWork(
        bitcoin,
        { raw: raw(H225431), bits: child.bits, height: 225431 },
        { bits: parent.bits, height: 225430 },
      ),
      undefined,
    );
  });
  it('behavior: the Litecoin genesis fails as double SHA-256 and the Bitcoin genesis as scrypt', () => {
    assert.match(
      checkProofOfWork(
        { ...litecoin, algorithm: 'sha256d' },
        { raw: raw(LITECOIN_GENESIS), bits: 0x1e0ffff0, height: 0 },
      ) ?? '',
      /above the target/,
    );
    assert.match(
      checkProofOfWork(
        { ...bitcoin, algorithm: 'scrypt' },
        { raw: raw(BITCOIN_GENESIS), bits: 0x1d00ffff, height: 0 },
      ) ?? '',
      /above the target/,
    );
  });
  it('error: a changed nonce breaks the proof of work', () => {
    const forged = `${BITCOIN_GENESIS.slice(0, 152)}00000000`;
    assert.match(
      checkProofOfWork(bitcoin, { raw: raw(forged), bits: 0x1d00ffff, height: 0 }) ?? '',
      /above the target/,
    );
  });
  it('error: bits that break the retarget rule', () => {
    const child = toBitcoinHeader(H225431)!;
    // Between retargets the bits must equal the parent's.
    assert.match(
      checkProofOfWork(
        bitcoin,
        { raw: raw(H225431), bits: child.bits, height: 225431 },
        { bits: 0x1a05db8b, height: 225430 },
      ) ?? '',
      /differs from the parent/,
    );
    // At a retarget, at most 4 times: block 32256's real retarget from 0x1d00ffff to 0x1d00d86a passes the rule.
    const atRetarget = { raw: raw(BITCOIN_GENESIS), bits: 0x1d00d86a, height: 32256 };
    assert.doesNotMatch(
      checkProofOfWork(bitcoin, atRetarget, { bits: 0x1d00ffff, height: 32255 }) ?? '',
      /retarget/,
    );
    assert.match(
      checkProofOfWork(bitcoin, { ...atRetarget, bits: 0x1c00ffff }, { bits: 0x1d00ffff, height: 32255 }) ??
        '',
      /more than 4 times/,
    );
    // Easier than the limit, or anything but the limit on a chain that never retargets.
    assert.match(
      checkProofOfWork(bitcoin, { raw: raw(BITCOIN_GENESIS), bits: 0x1e00ffff, height: 0 }) ?? '',
      /easier than the chain's limit/,
    );
    assert.match(
      checkProofOfWork(regtest, { raw: raw(BITCOIN_GENESIS), bits: 0x1f7fffff, height: 3 }) ?? '',
      /never retargets/,
    );
  });
});
