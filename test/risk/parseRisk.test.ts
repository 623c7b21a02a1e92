import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import type { ChainState } from '../../src/core/chainView.ts';
import { createChainState } from '../../src/core/chainView.ts';
import { toChainParams } from '../../src/core/params.ts';
import type { ReorgSignal } from '../../src/core/signal.ts';
import { parseRiskStatus } from '../../src/risk/contagion/parseRiskStatus.ts';
import { parsePortfolioFile } from '../../src/risk/margin/parsePortfolioFile.ts';
import { toLedgerFacts } from '../../src/risk/settlement/toLedgerFacts.ts';

describe('parsePortfolioFile', () => {
  it('default: the example portfolio', () => {
    const text = readFileSync(new URL('../../examples/portfolio.yaml', import.meta.url), 'utf8');
    const { portfolio, policy, cover } = parsePortfolioFile(parse(text));
    assert.equal(portfolio.accounts.length, 4);
    const call = portfolio.accounts[0]!.positions[1]!;
    assert.equal(call.kind === 'option' && call.timeYears, 30 / 365);
    assert.deepEqual(policy, { horizonDays: 1 });
    assert.equal(cover?.policies.length, 4);
  });

  it('error: every problem with its path', () => {
    assert.throws(
      () =>
        parsePortfolioFile({
          markets: { ETH: { priceUsd: 1 } },
          accounts: [
            {
              id: 'a',
              positions: [
                { kind: 'option', underlying: 'ETH', type: 'call', strike: 1, expiryDays: 1, quantity: 1 },
                { kind: 'spot', asset: 'BTC', quantity: 1 },
              ],
            },
          ],
        }),
      {
        code: 'invalid_input',
        message:
          'invalid portfolio: accounts.0.positions.0.volAnnual: no volatility for ETH on the position or its market; accounts.0.positions.1: no market data for asset "BTC"',
      },
    );
    assert.throws(() => parsePortfolioFile({ markets: {}, accounts: [], extra: 1 }), {
      message: /accounts: .*; \(root\): Unrecognized key: "extra"/,
    });
  });
});

describe('parseRiskStatus', () => {
  it('default: levels, signals on their entry chain, base rates', () => {
    const status = parseRiskStatus({
      chains: {
        ethereum: { level: 'caution', signals: [{ kind: 'finality', severity: 'critical' }], basePerYear: 2 },
      },
    });
    assert.equal(status.ethereum?.level, 'caution');
    assert.equal(status.ethereum?.basePerYear, 2);
    assert.deepEqual(status.ethereum?.signals, [
      { kind: 'finality', severity: 'critical', chain: 'ethereum' },
    ]);
    assert.deepEqual(parseRiskStatus({ solana: { level: 'halt' } }), { solana: { level: 'halt' } });
  });

  it('behavior: a simulate --json document gives each breaker its current level', () => {
    const status = parseRiskStatus({
      signals: [{ kind: 'reorg', severity: 'critical', chain: 'ethereum' }],
      transitions: [],
      summary: { breakers: { ethereum: 'reduce_only' }, maxLevels: { ethereum: 'halt' } },
    });
    assert.deepEqual(status, { ethereum: { level: 'reduce_only' } });
  });

  it('error: an unknown level names its path', () => {
    assert.throws(() => parseRiskStatus({ chains: { ethereum: { level: 'panic' } } }), {
      code: 'invalid_input',
      field: 'chains.ethereum.level',
    });
  });
});

describe('toLedgerFacts', () => {
  function chain(): ChainState {
    const state = createChainState('devnet', toChainParams('devnet'), 0);
    const head = {
      hash: 'h12',
      parentHash: 'h11',
      number: 12n,
      timestamp: 1,
      firstSeenMs: 1,
      firstSeenBy: 'n',
    };
    state.canonical = head;
    state.finalized = { kind: 'finalized', hash: 'h4', number: 4n, observedAtMs: 1 };
    return state;
  }
  const reorg = (scope: 'chain' | 'node'): ReorgSignal => ({
    kind: 'reorg',
    chain: 'devnet',
    severity: 'warning',
    atMs: 5,
    message: '',
    scope,
    depth: 2,
    commonAncestor: { number: 10n, hash: 'h10' },
    oldHead: { number: 12n, hash: 'x12' },
    newHead: { number: 12n, hash: 'h12' },
    replaced: ['x11', 'x12'],
    finalizedReverted: false,
  });

  it('default: chain reorgs first, then the head and the finalized checkpoint', () => {
    const facts = toLedgerFacts({ chain: chain(), signals: [reorg('node'), reorg('chain')], atMs: 7 });
    assert.deepEqual(
      facts.map((f) => f.type),
      ['reorg', 'head', 'finalized'],
    );
    assert.deepEqual(facts[2], {
      type: 'finalized',
      chain: 'devnet',
      atMs: 7,
      checkpoint: { number: 4n, hash: 'h4' },
    });
  });

  it('args: last: only what changed', () => {
    assert.deepEqual(
      toLedgerFacts({ chain: chain(), signals: [], atMs: 7, last: { head: 'h12', finalized: 'h4' } }),
      [],
    );
  });
});
