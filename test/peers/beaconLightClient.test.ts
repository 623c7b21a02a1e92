import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Observation } from '../../src/core/observation.ts';
import type { Signal } from '../../src/core/signal.ts';
import type { EngineConfig } from '../../src/engine/config.ts';
import { createBeaconSource } from '../../src/sources/beacon/createBeaconSource.ts';
import { createTestGuard, type TestGuard } from '../support/createTestGuard.ts';
import { waitFor } from './litecoind.ts';
import { type RunningLodestar, startLodestar } from './lodestar.ts';
import {
  type RunningLyingBeaconProxy,
  startLyingBeaconProxy,
  type UpdateRewrite,
} from './lyingBeaconProxy.ts';

const engine: EngineConfig = {
  chains: {
    beacon: {
      preset: 'ethereum',
      params: {
        blockTime: { kind: 'slots', slotMs: 2_000, slotsPerEpoch: 8 },
        finality: { warningEpochs: 3, criticalEpochs: 6, warningAgeMs: 48_000, criticalAgeMs: 96_000 },
      },
    },
  },
};

type Header = { beacon: Record<string, string> };
const flip = (hex: string) => `${hex.slice(0, -1)}${hex.endsWith('0') ? '1' : '0'}`;

/** Each liar, and what its proxy changes. */
const liars: Record<string, UpdateRewrite> = {
  'forged-state-root': (_kind, update) => {
    const beacon = (update.attested_header as Header).beacon;
    beacon.state_root = flip(beacon.state_root ?? '');
  },
  'forged-slot': (_kind, update) => {
    const beacon = (update.attested_header as Header).beacon;
    beacon.slot = String(Math.max(0, Number(beacon.slot) - 1));
  },
  'forged-finalized': (kind, update) => {
    if (kind !== 'finality') return;
    // Claims finality one epoch further than the node proves.
    const beacon = (update.finalized_header as Header).beacon;
    beacon.slot = String(Number(beacon.slot) + 8);
  },
};

/** Why each liar fails: the committee's signature, or the finalized header's Merkle branch. */
const reasons: Record<string, RegExp> = {
  'forged-state-root': /Invalid aggregate signature/,
  'forged-slot': /Invalid aggregate signature/,
  'forged-finalized': /finality header merkle branch|must be after finalized header slot/,
  'fake-chain': /Invalid aggregate signature/,
};

describe('Beacon light-client verification against Lodestar devnets', { timeout: 400_000 }, () => {
  let honest: RunningLodestar;
  let fake: RunningLodestar;
  const proxies: RunningLyingBeaconProxy[] = [];
  let guard: TestGuard;
  let trustedRoot = '';
  const observations: Observation[] = [];
  const signals: Signal[] = [];
  const canonical = new Set<string>();
  const of = (node: string) => observations.filter((o) => o.type !== 'tick' && o.node === node);

  before(async () => {
    // The fake chain runs 16 interop keys: its sync committee is not the honest one's.
    [honest, fake] = await Promise.all([
      startLodestar('0..7', { altair: true }),
      startLodestar('0..15', { altair: true, genesisValidators: 16 }),
    ]);
    // The operator's trusted root: a finalized checkpoint of the honest chain, read out of band.
    trustedRoot = await waitFor(
      'a finalized checkpoint of the honest chain',
      async () => {
        const body = (await (
          await fetch(`${honest.url}/eth/v1/beacon/states/head/finality_checkpoints`)
        ).json()) as { data: { finalized: { epoch: string; root: string } } };
        return Number(body.data.finalized.epoch) >= 1 ? body.data.finalized.root : undefined;
      },
      300_000,
      1_000,
    );
    const urls: Record<string, string> = { honest: honest.url };
    for (const [name, rewrite] of Object.entries(liars)) {
      const proxy = await startLyingBeaconProxy({ target: honest.url, rewrite });
      proxies.push(proxy);
      urls[name] = proxy.url;
    }
    // The fake chain's proxy serves the honest chain's bootstrap (public data), then its own updates.
    const fakeProxy = await startLyingBeaconProxy({ target: fake.url, bootstrapFrom: honest.url });
    proxies.push(fakeProxy);
    urls['fake-chain'] = fakeProxy.url;
    engine.chains.beacon!.nodes = Object.keys(urls);
    guard = createTestGuard({
      engine,
      sources: Object.entries(urls).map(([node, url]) =>
        createBeaconSource({
          chain: 'beacon',
          node,
          url,
          trustedCheckpointRoot: trustedRoot,
          pollIntervalMs: 2_000,
        }),
      ),
      onObservation: (o) => {
        observations.push(o);
        const head = guard?.state.chains.get('beacon')?.canonical?.hash;
        if (head) canonical.add(head);
      },
      onSignal: (s) => signals.push(s),
    });
    await guard.start();
  });

  after(async () => {
    await guard?.stop();
    await Promise.allSettled(proxies.map((p) => p.close()));
    await Promise.allSettled([honest?.stop(), fake?.stop()]);
  });

  it('default: honest updates verify into heads and a finalized checkpoint', async () => {
    const finalized = await waitFor(
      'a verified finalized checkpoint from the honest node',
      () => of('honest').find((o) => o.type === 'checkpoint' && o.kind === 'finalized'),
      120_000,
    );
    assert.ok(finalized.type === 'checkpoint');
    await waitFor('three verified heads', () =>
      of('honest').filter((o) => o.type === 'head').length >= 3 ? true : undefined,
    );
    // The verified finalized root is a block of the honest chain.
    const answer = await fetch(`${honest.url}/eth/v1/beacon/headers/0x${finalized.hash}`);
    assert.equal(answer.status, 200);
    assert.equal(of('honest').filter((o) => o.type === 'error' && o.code === 'light_client').length, 0);
  });

  for (const name of [...Object.keys(liars), 'fake-chain']) {
    it(`error: ${name} is caught as integrity with check light_client`, async () => {
      const signal = await waitFor(
        `a light_client integrity signal for ${name}`,
        () => signals.find((s) => s.kind === 'integrity' && s.check === 'light_client' && s.node === name),
        120_000,
      );
      assert.ok(signal.kind === 'integrity');
      assert.equal(signal.severity, 'critical');
      // The error names the answer and the check that failed.
      const error = of(name).find((o) => o.type === 'error' && o.code === 'light_client');
      assert.ok(error?.type === 'error');
      assert.match(
        error.message,
        /^(light_client\/\S+|light_client_\w+ event) from http:\/\/127\.0\.0\.1:\d+: light-client check failed: /,
      );
      assert.match(error.message, reasons[name] ?? /^$/);
      if (name !== 'forged-finalized')
        assert.equal(
          of(name).some((o) => o.type === 'head'),
          false,
        );
      else
        assert.equal(
          of(name).some((o) => o.type === 'checkpoint'),
          false,
        );
    });
  }

  it('behavior: the canonical head only ever names blocks of the honest chain', async () => {
    assert.ok(canonical.size > 0);
    for (const hash of canonical) {
      const answer = await fetch(`${honest.url}/eth/v1/beacon/headers/0x${hash}`);
      assert.equal(answer.status, 200, `canonical head 0x${hash} is not an honest block`);
    }
    const fakeHead = (await (await fetch(`${fake.url}/eth/v1/beacon/headers/head`)).json()) as {
      data: { root: string };
    };
    assert.equal(canonical.has(fakeHead.data.root.slice(2)), false);
  });
});
