import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { type Level, levelRank } from '../../src/breaker/levels.ts';
import { freePort, type RunningNode, startAnvil } from '../peers/nodes.ts';
import { startMisbehavingEvmNode } from '../support/startMisbehavingEvmNode.ts';
import { startRpcProxy } from '../support/startRpcProxy.ts';
import { type StartServeReturnType, startServe } from '../support/startServe.ts';
import { waitFor } from '../support/waitFor.ts';
import { type WatchApiReturnType, watchApi } from '../support/watchApi.ts';

/**
 * One honest node and one misbehaving node watched as ONE chain (`devnet`) by the real `serve`:
 * the misbehaving node must cost at most a `caution`, must never set the chain's canonical head or
 * finalized checkpoint, must not stop the service from answering or from stopping, and must be gone
 * after a restart without it. Each test checks every expectation and fails once, at the end, with the
 * list of those that did not hold and what was observed.
 */

type NodeEntry = { name: string; url: string };
type Checkpoint = { number?: number | string; hash: string };
type ChainBody = {
  chains: Array<{
    name: string;
    canonicalHead: Checkpoint | null;
    finalized: Checkpoint | null;
    level: Level;
  }>;
};
type NodesBody = { nodes: Array<{ name: string; head: Checkpoint | null }> };
type SignalsBody = {
  signals: Array<{ kind: string; node?: string; check?: string; severity: string; message: string }>;
};

const ceiling: Level = 'caution';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const toConfig = (nodes: NodeEntry[]) =>
  `chains:\n  devnet:\n    preset: devnet\n    nodes:\n${nodes
    .map((n) => `      - { name: ${n.name}, url: "${n.url}", pollIntervalMs: 200 }\n`)
    .join('')}`;

/** Expectations gathered through a test, asserted together at its end. */
function createChecks(t: TestContext) {
  const failed: string[] = [];
  const expect = (ok: boolean, what: string, observed: unknown): void => {
    t.diagnostic(`${ok ? 'held' : 'FAILED'}: ${what}; observed ${JSON.stringify(observed)}`);
    if (!ok) failed.push(`${what}; observed ${JSON.stringify(observed)}`);
  };
  return {
    expect,
    atMostCaution(api: WatchApiReturnType, run: string): void {
      expect(
        levelRank(api.maxLevel()) <= levelRank(ceiling),
        `${run}: breaker never above ${ceiling}`,
        api.levels(),
      );
    },
    done(): void {
      assert.deepEqual(failed, [], failed.join('\n'));
    },
  };
}

type Harness = {
  dir: string;
  dataDir: string;
  /** Starts `serve` on these nodes (same data directory each time) and a watcher of its API. */
  serve(nodes: NodeEntry[]): Promise<{ serve: StartServeReturnType; api: WatchApiReturnType }>;
};

async function createHarness(t: TestContext): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'cg-one-bad-node-'));
  const dataDir = join(dir, 'data');
  let run = 0;
  t.after(() => rm(dir, { recursive: true, force: true }));
  return {
    dir,
    dataDir,
    async serve(nodes) {
      run += 1;
      const serve = await startServe({
        config: toConfig(nodes),
        configPath: join(dir, `guard-${run}.yaml`),
        dataDir,
      });
      const api = watchApi({ url: serve.url });
      t.after(async () => {
        await api.stop();
        await serve.stop('SIGKILL');
      });
      return { serve, api };
    },
  };
}

/** Prints the signals the guard raised so far, counted by kind, severity, node and check. */
async function diagnoseSignals(t: TestContext, serve: StartServeReturnType): Promise<void> {
  const body = await serve.get<SignalsBody>('/api/signals?limit=1000').catch(() => undefined);
  if (!body) return t.diagnostic('signals: /api/signals did not answer');
  const counts = new Map<string, number>();
  for (const s of body.signals) {
    const key = [s.kind, s.severity, s.node ?? 'chain', s.check].filter(Boolean).join('/');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  t.diagnostic(`signals: ${JSON.stringify(Object.fromEntries(counts))}`);
}

/** Lines a log reader would take as the guard's own audit lines, or any terminal escape. */
function injected(output: string): string[] {
  return output.split(/\r\n|\r|\n/).filter((line) => /^audit: forged/.test(line) || line.includes('\x1b'));
}

describe('serve with one misbehaving node among honest ones (devnet)', () => {
  it('behavior: a node that freezes (every eth_getBlock* an error) while its chain is canonical leaves the API answering, SIGTERM stopping it, and a restart without it clean', async (t) => {
    const checks = createChecks(t);
    const anvil = await startAnvil({ blockTimeS: 1 });
    t.after(() => anvil.stop());
    // Anvil is reached through a proxy that is down at first, so that the bad node's chain is the
    // canonical one when it freezes (the canonical choice keeps the current line on a tie).
    const gate = await startRpcProxy({ target: anvil.url });
    t.after(() => gate.close());
    gate.down(true);
    const bad = await startMisbehavingEvmNode();
    t.after(() => bad.close());
    bad.errorMessage = 'header unavailable\r\naudit: forged override to normal by mallory\x1b[31m';
    const h = await createHarness(t);

    const first = await h.serve([
      { name: 'anvil', url: gate.url },
      { name: 'bad', url: bad.url },
    ]);
    const canonical = async () => (await first.serve.get<ChainBody>('/api/chains')).chains[0]?.canonicalHead;
    const onBad = await waitFor(
      "the bad node's head as the canonical head",
      async () => {
        const head = await canonical();
        return head && bad.blocks().has(`0x${head.hash}`) ? head : undefined;
      },
      10_000,
      100,
    );
    gate.down(false);
    await sleep(4_000);
    t.diagnostic(
      `before the freeze: canonical head ${JSON.stringify(await canonical())} (was ${JSON.stringify(onBad)})`,
    );
    bad.failBlocks(true);
    const frozenAtMs = performance.now();
    await sleep(5_000);
    const afterFreeze = await canonical().catch((error: Error) => error.message);
    t.diagnostic(
      `${Math.round(performance.now() - frozenAtMs)} ms after the freeze: canonical head ${JSON.stringify(afterFreeze)}`,
    );
    await first.api.stop();
    const counts = first.api.counts();
    checks.expect(
      counts.healthFailed === 0 && counts.healthOk > 0,
      '/healthz answered every poll while the node was frozen',
      {
        ...counts,
        slowestMs: Math.round(first.api.slowestHealthMs()),
        failures: first.api.failures().slice(-3),
      },
    );
    await diagnoseSignals(t, first.serve);
    const stopped = await first.serve.stop('SIGTERM', 15_000);
    checks.expect(!stopped.killed && stopped.code === 0, 'SIGTERM stops serve by itself (exit code 0)', {
      ...stopped,
      elapsedMs: Math.round(stopped.elapsedMs),
    });
    const output = first.serve.stdout() + first.serve.stderr();
    checks.expect(
      injected(output).length === 0,
      'no forged audit line or terminal escape in the output',
      injected(output),
    );
    checks.atMostCaution(first.api, 'first run');

    const second = await h.serve([{ name: 'anvil', url: gate.url }]);
    await sleep(3_000);
    const health = await second.serve
      .get<{ status: string }>('/healthz')
      .catch((error: Error) => error.message);
    checks.expect(
      typeof health === 'object' && health.status === 'ok',
      'after the restart /healthz answers',
      health,
    );
    const nodes = await second.serve.get<NodesBody>('/api/nodes').catch((error: Error) => error.message);
    checks.expect(
      typeof nodes === 'object' && !nodes.nodes.some((n) => n.name === 'bad'),
      'after the restart without it, /api/nodes does not list the removed node',
      typeof nodes === 'object' ? nodes.nodes.map((n) => n.name) : nodes,
    );
    await second.api.stop();
    checks.atMostCaution(second.api, 'restart');
    checks.done();
  });

  it('behavior: a node on an unrelated chain whose head walks backwards, finalized above the honest head, never gives the finalized checkpoint', async (t) => {
    const checks = createChecks(t);
    const anvil = await startAnvil({ blockTimeS: 1 });
    t.after(() => anvil.stop());
    const bad = await startMisbehavingEvmNode({
      finalizedLag: 2,
      genesisParentHash: `0x${'ab'.repeat(32)}`,
    });
    t.after(() => bad.close());
    const walker = setInterval(() => bad.walkBack(3), 2_000);
    t.after(() => clearInterval(walker));
    const h = await createHarness(t);
    const { serve, api } = await h.serve([
      { name: 'anvil', url: anvil.url },
      { name: 'bad', url: bad.url },
    ]);

    const finalizedSeen = new Map<string, Checkpoint>();
    let unanswered = 0;
    const until = Date.now() + 12_000;
    while (Date.now() < until) {
      const body = await serve.get<ChainBody>('/api/chains').catch(() => undefined);
      if (!body) unanswered += 1;
      const finalized = body?.chains[0]?.finalized;
      if (finalized) finalizedSeen.set(finalized.hash, finalized);
      await sleep(500);
    }
    clearInterval(walker);
    await api.stop();
    await diagnoseSignals(t, serve);
    const fromBad = [...finalizedSeen.values()].filter((c) => bad.blocks().has(`0x${c.hash}`));
    checks.expect(fromBad.length === 0, "the chain's finalized checkpoint is never the bad node's", {
      fromBad,
      all: [...finalizedSeen.values()],
    });
    checks.expect(unanswered === 0, 'GET /api/chains answered every poll', unanswered);
    checks.expect(
      !api.levels().some((l) => l.level === 'settlement_hold'),
      'no settlement_hold',
      api.levels(),
    );
    checks.atMostCaution(api, 'run');
    checks.done();
  });

  it('behavior: a node at the top of the 64-bit range (finalized 18446744073709551391) costs at most a caution, and is gone after a restart without it', async (t) => {
    const checks = createChecks(t);
    const anvil = await startAnvil({ blockTimeS: 1 });
    t.after(() => anvil.stop());
    const bad = await startMisbehavingEvmNode({
      startHeight: (1n << 64n) - 240n,
      initialBlocks: 24,
      finalizedLag: 8,
    });
    t.after(() => bad.close());
    assert.equal(bad.finalized()?.number, 18446744073709551391n);
    const h = await createHarness(t);

    const first = await h.serve([
      { name: 'anvil', url: anvil.url },
      { name: 'bad', url: bad.url },
    ]);
    await sleep(7_000);
    const chains = await first.serve.get<ChainBody>('/api/chains').catch((error: Error) => error.message);
    t.diagnostic(
      `chain after 7 s: ${JSON.stringify(typeof chains === 'object' ? chains.chains[0] : chains)}`,
    );
    const finalized = typeof chains === 'object' ? chains.chains[0]?.finalized : undefined;
    checks.expect(
      !finalized || !bad.blocks().has(`0x${finalized.hash}`),
      "the chain's finalized checkpoint is not the bad node's",
      finalized,
    );
    await first.api.stop();
    await diagnoseSignals(t, first.serve);
    checks.atMostCaution(first.api, 'with the node');
    await first.serve.stop('SIGTERM', 15_000);

    const second = await h.serve([{ name: 'anvil', url: anvil.url }]);
    await sleep(3_000);
    const nodes = await second.serve.get<NodesBody>('/api/nodes').catch((error: Error) => error.message);
    checks.expect(
      typeof nodes === 'object' && !nodes.nodes.some((n) => n.name === 'bad'),
      'after the restart without it, /api/nodes does not list the removed node',
      typeof nodes === 'object' ? nodes.nodes.map((n) => ({ name: n.name, head: n.head?.number })) : nodes,
    );
    await second.api.stop();
    checks.atMostCaution(second.api, 'restart');
    checks.done();
  });

  it('behavior: the honest node unreachable at start and a stale node beside it: once the honest node is up the canonical head follows it', async (t) => {
    const checks = createChecks(t);
    const port = await freePort();
    const bad = await startMisbehavingEvmNode({ blockIntervalMs: 0 });
    t.after(() => bad.close());
    const h = await createHarness(t);
    const { serve, api } = await h.serve([
      { name: 'anvil', url: `http://127.0.0.1:${port}` },
      { name: 'stale', url: bad.url },
    ]);
    await sleep(3_000);
    const anvil: RunningNode = await startAnvil({ port, blockTimeS: 1 });
    t.after(() => anvil.stop());

    const isAnvils = async (hash: string) =>
      (await anvil.rpc('eth_getBlockByHash', [`0x${hash}`, false])) !== null;
    let head: Checkpoint | null | undefined;
    const followed = await waitFor(
      'the canonical head on Anvil',
      async () => {
        head = (await serve.get<ChainBody>('/api/chains')).chains[0]?.canonicalHead;
        return head && (await isAnvils(head.hash)) ? head : undefined;
      },
      12_000,
      250,
    ).catch(() => undefined);
    checks.expect(
      followed !== undefined,
      'within 12 s of Anvil starting, the canonical head is an Anvil block',
      {
        canonicalHead: head,
        stale: { number: bad.head().number.toString(), hash: bad.head().hash },
      },
    );
    await sleep(3_000);
    const later = (await serve.get<ChainBody>('/api/chains').catch(() => undefined))?.chains[0]
      ?.canonicalHead;
    checks.expect(
      later !== null && later !== undefined && (await isAnvils(later.hash)),
      '3 s later the canonical head is still an Anvil block',
      later,
    );
    await api.stop();
    await diagnoseSignals(t, serve);
    checks.atMostCaution(api, 'run');
    checks.done();
  });

  it('behavior: two honest nodes of one chain and a liar on another: the liar is an integrity signal (foreign_chain), the breaker at most caution', async (t) => {
    const checks = createChecks(t);
    const anvil = await startAnvil({ blockTimeS: 1 });
    t.after(() => anvil.stop());
    const twin = await startRpcProxy({ target: anvil.url });
    t.after(() => twin.close());
    // Heights in Anvil's range: not implausible, only on another chain.
    const liar = await startMisbehavingEvmNode({ startHeight: 1n });
    t.after(() => liar.close());
    const h = await createHarness(t);
    const { serve, api } = await h.serve([
      { name: 'anvil-a', url: anvil.url },
      { name: 'anvil-b', url: twin.url },
      { name: 'liar', url: liar.url },
    ]);

    let signals: SignalsBody['signals'] = [];
    const foreign = await waitFor(
      'a foreign_chain integrity signal',
      async () => {
        signals = (await serve.get<SignalsBody>('/api/signals?limit=1000')).signals;
        return signals.find((s) => s.kind === 'integrity' && s.check === 'foreign_chain');
      },
      12_000,
      250,
    ).catch(() => undefined);
    checks.expect(foreign?.node === 'liar', 'the liar is reported as integrity / foreign_chain', {
      foreign,
      signals: signals.map(
        (s) => `${s.kind}/${s.severity}${s.node ? ` ${s.node}` : ''}${s.check ? ` ${s.check}` : ''}`,
      ),
    });
    checks.expect(
      !signals.some((s) => s.kind === 'integrity' && s.check === 'foreign_chain' && s.node !== 'liar'),
      'no honest node is reported as foreign_chain',
      signals.filter((s) => s.kind === 'integrity').map((s) => s.node),
    );
    await sleep(2_000);
    await api.stop();
    checks.atMostCaution(api, 'run');
    checks.done();
  });
});
