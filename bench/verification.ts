import { readFileSync } from 'node:fs';
import type { Hex } from 'viem';
import type { ProofOfWork } from '../src/core/params.ts';
import {
  type CreateLightClientVerifierParameters,
  createLightClientVerifier,
} from '../src/sources/beacon/createLightClientVerifier.ts';
import { checkProofOfWork } from '../src/sources/bitcoin/checkProofOfWork.ts';
import { createBitcoinSource } from '../src/sources/bitcoin/createBitcoinSource.ts';
import { verifyStateProof } from '../src/sources/evm/verifyStateProof.ts';
import { hasLitecoind, startLitecoind } from '../test/peers/litecoind.ts';
import { startAnvil } from '../test/peers/nodes.ts';
import { createTestGuard, type TestGuard } from '../test/support/createTestGuard.ts';

const BITCOIN_GENESIS =
  '0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c';
const LITECOIN_GENESIS = `01000000${'00'.repeat(32)}d9ced4ed1130f7b7faad9be25323ffafa33232a17c3edf6cfd97bee6bafbdd97b9aa8e4ef0ff0f1ecd513f7c`;
const REGTEST: ProofOfWork = {
  algorithm: 'scrypt',
  retarget: 'fixed',
  retargetInterval: 2016,
  powLimitBits: 0x207fffff,
};

/**
 * Cost of verification: per header (proof of work, double SHA-256 and scrypt), per state proof
 * (an account and a storage slot from Anvil), and the detection latency of a new head on
 * litecoind regtest with proof-of-work verification on against off, both watching the same node
 * in the same run (from the mining request returning to the head stepped by the engine), and
 * per light-client update (optimistic and finality, recorded from a Lodestar dev chain).
 */
export async function runVerificationBench(log: (line: string) => void = console.log): Promise<void> {
  const perCallUs = (n: number, f: () => unknown) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) f();
    return ((performance.now() - t0) * 1000) / n;
  };
  const btc = Buffer.from(BITCOIN_GENESIS, 'hex');
  const ltc = Buffer.from(LITECOIN_GENESIS, 'hex');
  const sha = perCallUs(20_000, () =>
    checkProofOfWork(
      { algorithm: 'sha256d', retarget: 'interval', retargetInterval: 2016, powLimitBits: 0x1d00ffff },
      { raw: btc, bits: 0x1d00ffff, height: 0 },
    ),
  );
  const scrypt = perCallUs(2_000, () =>
    checkProofOfWork(
      { algorithm: 'scrypt', retarget: 'interval', retargetInterval: 2016, powLimitBits: 0x1e0fffff },
      { raw: ltc, bits: 0x1e0ffff0, height: 0 },
    ),
  );
  log(`proof of work per header: double SHA-256 ${sha.toFixed(1)} µs, scrypt ${scrypt.toFixed(1)} µs`);

  const anvil = await startAnvil({ blockTimeS: 0 });
  try {
    const from = ((await anvil.rpc('eth_accounts')) as Hex[])[0]!;
    const tx = await anvil.rpc('eth_sendTransaction', [{ from, data: '0x602a60005500', gas: '0x30000' }]);
    await anvil.rpc('evm_mine');
    const contract = ((await anvil.rpc('eth_getTransactionReceipt', [tx])) as { contractAddress: Hex })
      .contractAddress;
    const block = (await anvil.rpc('eth_getBlockByNumber', ['latest', false])) as {
      number: Hex;
      stateRoot: Hex;
    };
    const slot: Hex = `0x${'00'.repeat(32)}`;
    const proof = await anvil.rpc('eth_getProof', [contract, [slot], block.number]);
    const n = 500;
    const t0 = performance.now();
    for (let i = 0; i < n; i++)
      await verifyStateProof(block.stateRoot, proof, { address: contract, slots: [slot] });
    log(
      `state proof (account and one slot) per verification: ${(((performance.now() - t0) * 1000) / n).toFixed(1)} µs`,
    );
  } finally {
    await anvil.stop();
  }
  // Recorded from a Lodestar dev chain (bench/fixtures/lightClientUpdates.json): the same updates
  // verified again and again (the store does not change), BLS aggregate verification included.
  const recorded = JSON.parse(
    readFileSync(new URL('./fixtures/lightClientUpdates.json', import.meta.url), 'utf8'),
  ) as CreateLightClientVerifierParameters & { optimisticUpdate: unknown; finalityUpdate: unknown };
  const lcT0 = performance.now();
  const lc = await createLightClientVerifier(recorded);
  const bootstrapMs = performance.now() - lcT0;
  const far = 1e9;
  lc.verifyOptimisticUpdate(recorded.optimisticUpdate, far);
  const optimisticUs = perCallUs(200, () => lc.verifyOptimisticUpdate(recorded.optimisticUpdate, far));
  const finalityUs = perCallUs(200, () => lc.verifyFinalityUpdate(recorded.finalityUpdate, far));
  log(
    `light client update per verification: optimistic ${optimisticUs.toFixed(0)} µs, finality ${finalityUs.toFixed(0)} µs (bootstrap, with loading @lodestar/light-client, ${bootstrapMs.toFixed(0)} ms)`,
  );

  if (!hasLitecoind()) {
    log('detection latency with proof of work on/off: skipped (no litecoind)');
    return;
  }
  const node = await startLitecoind();
  const guards: TestGuard[] = [];
  try {
    await node.rpc('generatetodescriptor', [20, 'raw(51)#8lvh9jxk']);
    const seen = { on: new Map<bigint, number>(), off: new Map<bigint, number>() };
    for (const mode of ['on', 'off'] as const) {
      const guard = createTestGuard({
        engine: { chains: { ltc: { preset: 'bitcoin', params: mode === 'on' ? { pow: REGTEST } : {} } } },
        sources: [
          createBitcoinSource({
            chain: 'ltc',
            node: mode,
            url: node.url,
            pollIntervalMs: 20,
            ...(mode === 'on' ? { pow: REGTEST } : {}),
          }),
        ],
        onObservation: (o) => {
          if (o.type === 'head') seen[mode].set(o.number, performance.now());
        },
      });
      guards.push(guard);
      await guard.start();
    }
    const rounds = 30;
    const on: number[] = [];
    const off: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const height = BigInt(21 + i);
      await node.rpc('generatetodescriptor', [1, 'raw(51)#8lvh9jxk']);
      const t0 = performance.now();
      while (!seen.on.has(height) || !seen.off.has(height)) await new Promise((r) => setTimeout(r, 2));
      on.push(Math.max(0, seen.on.get(height)! - t0));
      off.push(Math.max(0, seen.off.get(height)! - t0));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    log(
      `litecoind head detection (poll 20 ms, ${rounds} blocks): verification on median ${median(on).toFixed(1)} ms, off ${median(off).toFixed(1)} ms`,
    );
  } finally {
    for (const guard of guards) await guard.stop();
    await node.stop();
  }
}
