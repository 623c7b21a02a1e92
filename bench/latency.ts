import { createEvmSource } from '../src/sources/evm/createEvmSource.ts';
import { startAnvil } from '../test/peers/nodes.ts';
import { createTestGuard } from '../test/support/createTestGuard.ts';

/**
 * Detection latency against a real node: Anvil mining on demand, watched over its WebSocket
 * (`newHeads`). For a head: from the `evm_mine` request to the engine having stepped the new
 * head; for a reorg: from the `anvil_reorg` request to the reorg signal leaving the engine.
 * Both include the RPC round trip that makes the event, so they overstate the pure detection time.
 */
export async function runLatencyBench(
  options: { heads?: number; reorgs?: number; log?: (line: string) => void } = {},
): Promise<{ headMedianMs: number; reorgMedianMs: number }> {
  const log = options.log ?? console.log;
  const heads = options.heads ?? 60;
  const reorgs = options.reorgs ?? 20;
  const anvil = await startAnvil({ blockTimeS: 0 });
  let onHead: ((number: bigint) => void) | undefined;
  let onReorg: (() => void) | undefined;
  const guard = createTestGuard({
    engine: {
      chains: {
        devnet: {
          preset: 'devnet',
          params: { liveness: { maxMissedSlots: 1_000, criticalMissedSlots: 2_000 } },
        },
      },
    },
    // Heads are mined back to back here, far faster than a real chain: lift the per-node request budget.
    sources: [
      createEvmSource({
        chain: 'devnet',
        node: 'anvil',
        url: anvil.wsUrl,
        pollIntervalMs: 60_000,
        maxRequestsPerSecond: 10_000,
      }),
    ],
    onObservation: (o) => {
      if (o.type === 'head') queueMicrotask(() => onHead?.(o.number));
    },
    onSignal: (s) => {
      if (s.kind === 'reorg' && s.scope === 'chain') onReorg?.();
    },
  });
  try {
    await guard.start();
    const headMs: number[] = [];
    const reorgMs: number[] = [];
    for (let i = 0; i < 5; i++) await anvil.rpc('evm_mine');
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (let i = 0; i < heads + reorgs; i++) {
      const before = BigInt((await anvil.rpc('eth_blockNumber')) as string);
      const seen = new Promise<void>((resolve) => {
        onHead = (n) => {
          if (n > before) resolve();
        };
      });
      const t0 = performance.now();
      await anvil.rpc('evm_mine');
      await seen;
      headMs.push(performance.now() - t0);
      if (i % 3 === 2 && reorgMs.length < reorgs) {
        const reported = new Promise<void>((resolve) => {
          onReorg = resolve;
        });
        const t1 = performance.now();
        await anvil.rpc('anvil_reorg', [2, []]);
        await reported;
        reorgMs.push(performance.now() - t1);
        onReorg = undefined;
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
    const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)] ?? Number.NaN;
    log(
      `latency: new head seen by the engine: median ${median(headMs).toFixed(1)} ms, p90 ${p90(headMs).toFixed(1)} ms over ${headMs.length} heads`,
    );
    log(
      `latency: reorg signal out of the engine: median ${median(reorgMs).toFixed(1)} ms, p90 ${p90(reorgMs).toFixed(1)} ms over ${reorgMs.length} reorgs`,
    );
    return { headMedianMs: median(headMs), reorgMedianMs: median(reorgMs) };
  } finally {
    await guard.stop();
    await anvil.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runLatencyBench();
