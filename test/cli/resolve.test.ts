import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../../src/cli/main.ts';
import type { Observation } from '../../src/core/observation.ts';
import { createEngineState, step } from '../../src/engine/step.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { toEngineConfig } from '../../src/sim/toEngineConfig.ts';
import { writeObservationLog } from '../../src/sources/replay/writeObservationLog.ts';

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'cg-resolve-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('consensus-guard resolve', () => {
  // client-split, recorded up to the divergence of the second old Geth node.
  const { scenario, observations } = simulate('client-split', { seed: 1 });
  const state = createEngineState(toEngineConfig(scenario));
  const recorded: Observation[] = [];
  for (const observation of observations) {
    recorded.push(observation);
    if (step(state, observation).signals.some((s) => s.kind === 'divergence' && s.node === 'infura-geth-2'))
      break;
  }
  const log = join(dir, 'split.jsonl');
  const config = join(dir, 'guard.yaml');
  const watched = scenario.nodes.filter((n) => n.watched).map((n) => n.name);
  writeFileSync(
    config,
    `chains:\n  ethereum:\n    preset: ethereum\n    nodes:\n${watched.map((n) => `      - { name: ${n}, url: "http://127.0.0.1:1" }`).join('\n')}\n`,
  );

  it('default: a recorded split names the branch, the nodes to drain and the rollback height', async () => {
    await writeObservationLog(log, recorded);
    const run = await cli('resolve', '--config', config, '--log', log, '--chain', 'ethereum', '--json');
    assert.equal(run.code, 0, run.err);
    const doc = JSON.parse(run.out) as {
      resolutions: Array<{
        status: string;
        winner: { nodes: string[] };
        drain: string[];
        rollbackHeight: number;
      }>;
    };
    assert.equal(doc.resolutions[0]?.status, 'follow');
    assert.deepEqual(doc.resolutions[0]?.winner.nodes, ['geth-new-1', 'geth-new-2', 'openethereum-1']);
    assert.deepEqual(doc.resolutions[0]?.drain, ['infura-geth-1', 'infura-geth-2']);
    assert.equal(doc.resolutions[0]?.rollbackHeight, 11_234_873);
    const text = await cli('resolve', '--config', config, '--log', log);
    assert.match(
      text.out,
      /ethereum: follow .*\n.*\n {2}follow: .*\n {2}drain: infura-geth-1, infura-geth-2\n {2}roll back from height 11234873/,
    );
  });

  it('error: neither --log nor --store is a usage error', async () => {
    const run = await cli('resolve', '--config', config);
    assert.equal(run.code, 2);
    assert.match(run.err, /--log FILE or --store DIR/);
  });
});
