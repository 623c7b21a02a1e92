import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as api from '../src/index.ts';

describe('public API', () => {
  it('default: the sorted runtime exports are the documented ones', () => {
    const names = Object.keys(api).sort();
    // The engine, its inputs and outputs, the sources, the simulator, the service and the risk library.
    for (const name of [
      'createEngineState',
      'step',
      'runObservations',
      'PRESETS',
      'toChainParams',
      'LEVELS',
      'DEFAULT_RULES',
      'parseConfig',
      'createEvmSource',
      'createBitcoinSource',
      'createBeaconSource',
      'readObservationLog',
      'toObservationLine',
      'simulate',
      'listScenarios',
      'bsmPrice',
      'crrPrice',
      'mertonPrice',
      'impliedVol',
      'hazardPerYear',
      'iterateReflexiveLoop',
      'createService',
      'createServiceFromConfig',
      'openSqliteStore',
      'openPostgresStore',
      'openMemoryStore',
      'openStore',
      'openSqliteLedgerStore',
      'createWebhookSink',
      'createWebhookReceiver',
      'createWebhookSecret',
      'verifyWebhook',
      'createOnchainGuardSink',
      'toMarketId',
      'createApp',
      'startHttpServer',
      'createMetrics',
      'createPlaybackSource',
      'assessVenueRisk',
      'aggregateOracle',
      'reduceLedger',
      'priceCover',
      'applyOracleResult',
      'createStateProofBook',
      'toStorageQuote',
    ]) {
      assert.ok(names.includes(name), `missing export ${name}`);
    }
    assert.equal(new Set(names).size, names.length);
  });

  it('behavior: the engine runs from the public API alone', () => {
    const state = api.createEngineState({ chains: { eth: { preset: 'ethereum' } } });
    const out = api.step(state, {
      type: 'head',
      chain: 'eth',
      node: 'a',
      number: 1n,
      hash: api.toHash('0xAB'),
      parentHash: '00',
      timestamp: 1,
      observedAtMs: 1000,
    });
    assert.deepEqual(out.signals, []);
    assert.equal(state.chains.get('eth')?.canonical?.hash, 'ab');
  });
});
