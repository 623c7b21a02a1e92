import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './nodes.ts';

/** A Lodestar beacon node (minimal preset, 2 s slots, 8 slots per epoch) started for a test. */
export type RunningLodestar = { url: string; pid: number; stop(): Promise<void> };

const peerDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'peers', 'lodestar');
const binary = join(peerDir, 'node_modules', '.bin', 'lodestar');
const running = new Set<ChildProcess>();
for (const signal of ['exit', 'SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of running) {
      try {
        if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      } catch {}
    }
    if (signal !== 'exit') process.exit(1);
  });
}

export type StartLodestarOptions = {
  /** Genesis validators (interop keys 0..n-1): another count makes a chain with other keys. Default 8. */
  genesisValidators?: number;
  /** Start in Altair (`--params.ALTAIR_FORK_EPOCH 0`), so that the node serves light-client data. */
  altair?: boolean;
};

/** Starts `lodestar dev` with 8 genesis validators, running `validators` (e.g. `0..7` or `0..4`). */
export async function startLodestar(
  validators: string,
  options: StartLodestarOptions = {},
): Promise<RunningLodestar> {
  if (!existsSync(binary))
    throw new Error(`Lodestar is not installed: run scripts/install-peers.sh (looked for ${binary})`);
  const dataDir = mkdtempSync(join(tmpdir(), 'cg-lodestar-'));
  const restPort = await freePort();
  const p2pPort = await freePort();
  const url = `http://127.0.0.1:${restPort}`;
  const args = [
    'dev',
    '--dataDir',
    dataDir,
    '--genesisValidators',
    String(options.genesisValidators ?? 8),
    '--startValidators',
    validators,
    '--reset',
    '--rest',
    '--rest.address',
    '127.0.0.1',
    '--rest.port',
    String(restPort),
    '--rest.namespace',
    '*',
    '--listenAddress',
    '127.0.0.1',
    '--port',
    String(p2pPort),
    '--discv5=false',
    '--params.SECONDS_PER_SLOT',
    '2',
    ...(options.altair ? ['--params.ALTAIR_FORK_EPOCH', '0'] : []),
    '--execution.engineMock',
    '--eth1=false',
    '--logFile',
    'none',
    '--server',
    url,
  ];
  const child = spawn(binary, args, {
    cwd: dataDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: `--require ${join(peerDir, 'polyfill.cjs')}` },
  });
  running.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-3000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      // Lodestar can hang on the first SIGTERM: send a second one, then SIGKILL.
      const pid = child.pid;
      const signalLater = (signal: NodeJS.Signals, ms: number) =>
        setTimeout(() => {
          try {
            process.kill(pid, signal);
          } catch {}
        }, ms);
      try {
        process.kill(pid, 'SIGTERM');
      } catch {}
      const second = signalLater('SIGTERM', 3_000);
      const kill = signalLater('SIGKILL', 10_000);
      await exited;
      clearTimeout(second);
      clearTimeout(kill);
    }
    running.delete(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`lodestar exited before it was ready:\n${output}`);
    try {
      const response = await fetch(`${url}/eth/v1/node/version`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return { url, pid: child.pid ?? -1, stop };
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`lodestar not ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
