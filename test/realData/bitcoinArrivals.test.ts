import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Observation } from '../../src/core/observation.ts';
import { PRESETS } from '../../src/core/params.ts';
import type { ReorgSignal } from '../../src/core/signal.ts';
import { type RunResult, runObservations } from '../../src/engine/run.ts';
import type { ObservationLineError } from '../../src/sources/replay/parseObservation.ts';
import { readObservationLogBatches } from '../../src/sources/replay/readObservationLogBatches.ts';
import { writeObservationLog } from '../../src/sources/replay/writeObservationLog.ts';
import { readBitcoinArrivalInput, readIncidentFile, toArrivalRows, toStaleHeaders } from './incidentData.ts';
import { parseCsvRecords } from './parseCsv.ts';
import { toBitcoinArrivalLog } from './toBitcoinArrivalLog.ts';

/**
 * Nine months of two real Bitcoin nodes (2023-02-20..2023-12-10): their block arrival times and
 * the stale blocks among them, turned into an observation log (toBitcoinArrivalLog), written to a
 * JSON Lines file, read back and run through the engine with the `bitcoin` preset.
 *
 * Expectations come from the data alone:
 * - observed_forks_two_nodes_2023.csv lists, for each fork height, the competing hashes each node
 *   received with their arrival times. A node that received the stale block first had it as its
 *   head and reorganized one block deep (common ancestor h - 1) when the canonical branch grew.
 * - The canonical chain as a two-node monitor sees it reorganizes where the first block that
 *   either node received at that height is the stale one (same-second arrivals: the order of the
 *   nodes in the log, darosior first).
 * - The longest wait between new canonical heights, from the raw arrival files.
 */

const NODES = ['darosior_node0', 'vostrnad_node1'];

type Expected = { node?: string; height: bigint; staleHash: string; ancestorHash: string };

function expectedReorgs(): { node: Expected[]; chain: Expected[] } {
  const rows = parseCsvRecords(readIncidentFile('bitcoin/observed_forks_two_nodes_2023.csv'));
  const node: Expected[] = [];
  const chain: Expected[] = [];
  const heights = [...new Set(rows.map((r) => r.height!))];
  for (const height of heights) {
    const atHeight = rows.filter((r) => r.height === height);
    const byArrival = [...atHeight].sort(
      (a, b) =>
        Number(a.arrival_ms) - Number(b.arrival_ms) || NODES.indexOf(a.node!) - NODES.indexOf(b.node!),
    );
    const stale = atHeight.find((r) => r.in_stale_dataset === 'yes');
    assert.ok(stale, `a stale block at ${height}`);
    const reorg = {
      height: BigInt(height),
      staleHash: stale.hash!,
      ancestorHash: stale.canonical_prev_hash_from_node_chain!,
    };
    for (const name of NODES) {
      const first = byArrival.find((r) => r.node === name);
      if (first?.in_stale_dataset === 'yes') node.push({ node: name, ...reorg });
    }
    if (byArrival[0]!.in_stale_dataset === 'yes') chain.push(reorg);
  }
  return { node, chain };
}

/** The longest wait between two new canonical heights, over both nodes' arrivals. */
function longestGap(): { ms: number; beforeHeight: bigint; atMs: number } {
  const stale = new Set(
    toStaleHeaders(readIncidentFile('bitcoin/stale_blocks_subset_h777550-820819_decoded.csv')).map(
      (h) => h.hash,
    ),
  );
  const rows = NODES.flatMap((name) =>
    toArrivalRows(readIncidentFile(`bitcoin/block-arrival-times_${name}.csv`)),
  ).filter((r) => !stale.has(r.hash));
  rows.sort((a, b) => a.arrivalMs - b.arrivalMs);
  let best = { ms: 0, beforeHeight: 0n, atMs: 0 };
  let top: bigint | undefined;
  let topMs = 0;
  for (const row of rows) {
    if (top !== undefined && row.height <= top) continue;
    if (top !== undefined && row.arrivalMs - topMs > best.ms) {
      best = { ms: row.arrivalMs - topMs, beforeHeight: row.height, atMs: row.arrivalMs };
    }
    top = row.height;
    topMs = row.arrivalMs;
  }
  return best;
}

const expected = expectedReorgs();
const gap = longestGap();
const gapHours = (gap.ms / 3_600_000).toFixed(2);
const gapDate = new Date(gap.atMs).toISOString().slice(0, 10);
const bitcoin = PRESETS.bitcoin!;
const meanBlockMs = bitcoin.blockTime.kind === 'exponential' ? bitcoin.blockTime.meanBlockMs : Number.NaN;
/** P(gap > t) = exp(-t / mean) for exponential arrivals: the warning threshold of the preset. */
const warningMs = meanBlockMs * Math.log(1 / bitcoin.liveness.warningFalseAlarm);

describe('real data: two Bitcoin nodes, 2023', () => {
  let result: RunResult;
  let logLines = 0;
  const malformed: ObservationLineError[] = [];

  before(async () => {
    const log = toBitcoinArrivalLog(readBitcoinArrivalInput());
    const dir = await mkdtemp(join(tmpdir(), 'consensus-guard-bitcoin-'));
    try {
      const path = join(dir, 'bitcoin-2023.jsonl');
      logLines = await writeObservationLog(path, log);
      const replayed: Observation[] = [];
      for await (const batch of readObservationLogBatches(path, { onError: (e) => malformed.push(e) })) {
        for (const o of batch) replayed.push(o);
      }
      assert.equal(replayed.length, log.length);
      result = runObservations({ chains: { bitcoin: { preset: 'bitcoin' } } }, replayed);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('default: the log replays from its file without a malformed line', () => {
    assert.deepEqual(malformed, []);
    assert.equal(result.summary.observations, logLines);
  });

  it(`behavior: exactly the ${expected.node.length} node-level one-block reorgs the nodes saw`, () => {
    const reorgs = result.signals.filter((s): s is ReorgSignal => s.kind === 'reorg' && s.scope === 'node');
    const got = reorgs
      .map((s) => ({
        node: s.node,
        height: s.oldHead.number,
        staleHash: s.oldHead.hash,
        ancestorHash: s.commonAncestor.hash,
        depth: s.depth,
        ancestorHeight: s.commonAncestor.number,
        replaced: s.replaced,
      }))
      .sort((a, b) =>
        a.height === b.height
          ? NODES.indexOf(a.node!) - NODES.indexOf(b.node!)
          : a.height < b.height
            ? -1
            : 1,
      );
    const want = expected.node.map((e) => ({
      ...e,
      depth: 1,
      ancestorHeight: e.height - 1n,
      replaced: [e.staleHash],
    }));
    assert.deepEqual(got, want);
    assert.ok(reorgs.every((s) => s.severity === 'info'));
  });

  it(`behavior: ${expected.chain.length} chain-level one-block reorgs where the stale block came first`, () => {
    const reorgs = result.signals.filter((s): s is ReorgSignal => s.kind === 'reorg' && s.scope === 'chain');
    assert.deepEqual(
      reorgs.map((s) => ({
        height: s.oldHead.number,
        staleHash: s.oldHead.hash,
        ancestorHash: s.commonAncestor.hash,
        depth: s.depth,
      })),
      expected.chain.map((e) => ({ ...e, depth: 1 })),
    );
  });

  it(`behavior: no liveness signal and no halt; longest real gap ${gapHours} h before block ${gap.beforeHeight} (${gapDate})`, () => {
    assert.ok(gap.ms < warningMs, `longest gap ${gap.ms} ms under the warning threshold ${warningMs} ms`);
    assert.deepEqual(
      result.signals.filter((s) => s.kind === 'liveness'),
      [],
    );
    assert.deepEqual(
      result.transitions.filter((t) => t.to === 'halt' || t.to === 'settlement_hold'),
      [],
    );
  });

  it('behavior: a node lagging far behind (gaps in its recording) is lag, not divergence', () => {
    assert.deepEqual(
      result.signals.filter((s) => s.kind === 'divergence').map((s) => s.message),
      [],
    );
    assert.deepEqual(result.transitions, []);
  });
});
