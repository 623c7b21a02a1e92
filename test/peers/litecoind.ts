import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './nodes.ts';

/** A litecoind regtest node started on loopback for a test. */
export type RunningLitecoind = {
  /** `http://u:p@127.0.0.1:RPCPORT` */
  url: string;
  p2pPort: number;
  pid: number;
  rpc(method: string, params?: unknown[]): Promise<unknown>;
  stop(): Promise<void>;
};

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) {
    try {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    } catch {}
  }
});

export function hasLitecoind(): boolean {
  try {
    return spawn('litecoind', ['-version']).pid !== undefined;
  } catch {
    return false;
  }
}

/** Starts `litecoind -regtest` with its own data directory and ports; resolves when RPC answers. */
export async function startLitecoind(options: { addnode?: number } = {}): Promise<RunningLitecoind> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cg-ltc-'));
  const rpcPort = await freePort();
  const p2pPort = await freePort();
  const onionPort = await freePort();
  const args = [
    '-regtest',
    '-daemon=0',
    `-datadir=${dataDir}`,
    '-rpcuser=u',
    '-rpcpassword=p',
    '-rpcbind=127.0.0.1',
    '-rpcallowip=127.0.0.1',
    `-rpcport=${rpcPort}`,
    '-listen=1',
    `-port=${p2pPort}`,
    `-bind=127.0.0.1:${p2pPort}`,
    `-bind=127.0.0.1:${onionPort}=onion`,
    '-discover=0',
    '-dnsseed=0',
    '-listenonion=0',
    '-fallbackfee=0.0001',
    '-printtoconsole=0',
  ];
  if (options.addnode !== undefined) args.push(`-addnode=127.0.0.1:${options.addnode}`);
  const child = spawn('litecoind', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-2000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://u:p@127.0.0.1:${rpcPort}`;
  const rpc = async (method: string, params: unknown[] = []) => {
    const response = await fetch(`http://127.0.0.1:${rpcPort}`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('u:p').toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ jsonrpc: '1.0', id: 1, method, params }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await response.json()) as { result?: unknown; error?: { message?: string } | null };
    if (body.error) throw new Error(`${method}: ${body.error.message ?? 'error'}`);
    return body.result;
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(child.pid, 'SIGTERM');
      } catch {}
      const timer = setTimeout(() => {
        try {
          if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
        } catch {}
      }, 10_000);
      await exited;
      clearTimeout(timer);
    }
    running.delete(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`litecoind exited before it was ready: ${output}`);
    try {
      await rpc('getblockchaininfo');
      return { url, p2pPort, pid: child.pid ?? -1, rpc, stop };
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`litecoind not ready: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export { waitFor } from '../support/waitFor.ts';
