import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A real EVM node started on loopback for a test. */
export type RunningNode = {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `ws://127.0.0.1:PORT` (same port). */
  wsUrl: string;
  port: number;
  pid: number;
  /** One JSON-RPC request over HTTP; throws on a JSON-RPC error. */
  rpc(method: string, params?: unknown[]): Promise<unknown>;
  /** Stops the process by pid (SIGTERM, then SIGKILL) and waits for it to exit. */
  stop(): Promise<void>;
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const readyTimeoutMs = 60_000;
const running = new Set<ChildProcess>();

function killAll(): void {
  for (const child of running) {
    if (child.pid !== undefined) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {}
    }
  }
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.kill(process.pid, signal);
  });
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function rpcAt(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message?: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message ?? 'error'}`);
  return body.result;
}

type Launch = { command: string; args: string[]; cwd?: string; cleanup?: () => void };

async function launch(
  name: string,
  port: number,
  { command, args, cwd, cleanup }: Launch,
): Promise<RunningNode> {
  const child = spawn(command, args, { cwd: cwd ?? root, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running.delete(child);
      resolve();
    });
  });
  const pid = child.pid;
  const url = `http://127.0.0.1:${port}`;
  const node: RunningNode = {
    url,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    pid: pid ?? -1,
    rpc: (method, params = []) => rpcAt(url, method, params),
    async stop() {
      if (child.exitCode === null && child.signalCode === null && pid !== undefined) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {}
        const timer = setTimeout(() => {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {}
        }, 5_000);
        await exited;
        clearTimeout(timer);
      }
      cleanup?.();
    },
  };
  const deadline = Date.now() + readyTimeoutMs;
  while (true) {
    if (child.exitCode !== null || child.signalCode !== null) {
      cleanup?.();
      throw new Error(`${name} exited before it was ready:\n${output}`);
    }
    try {
      await rpcAt(url, 'web3_clientVersion');
      return node;
    } catch {}
    if (Date.now() > deadline) {
      await node.stop();
      throw new Error(`${name} not ready after ${readyTimeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function anvilBinary(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  return join(root, 'node_modules', '@foundry-rs', `anvil-${process.platform}-${arch}`, 'bin', 'anvil');
}

export type StartAnvilOptions = {
  port?: number;
  /** Seconds between blocks; 0 mines only on demand. Default 1. */
  blockTimeS?: number;
  /** Default 4: `safe` = latest - 4, `finalized` = latest - 8. */
  slotsInAnEpoch?: number;
  /** Genesis timestamp, seconds. Default 1704067200 (2024-01-01). */
  timestamp?: number;
  /** State file loaded at start and written at exit (`--state`). */
  statePath?: string;
  args?: string[];
};

export async function startAnvil(options: StartAnvilOptions = {}): Promise<RunningNode> {
  const port = options.port ?? (await freePort());
  const args = [
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--slots-in-an-epoch',
    String(options.slotsInAnEpoch ?? 4),
    '--timestamp',
    String(options.timestamp ?? 1704067200),
  ];
  const blockTimeS = options.blockTimeS ?? 1;
  if (blockTimeS > 0) args.push('--block-time', String(blockTimeS));
  else args.push('--no-mining');
  if (options.statePath) args.push('--state', options.statePath);
  args.push(...(options.args ?? []));
  return launch('anvil', port, { command: anvilBinary(), args });
}

export type StartHardhatOptions = {
  port?: number;
  chainId?: number;
  /** Genesis date. Default 2024-01-01T00:00:00Z. */
  initialDate?: string;
  /** Milliseconds between blocks; 0 mines only on demand (automine off). Default 0. */
  intervalMs?: number;
};

export async function startHardhat(options: StartHardhatOptions = {}): Promise<RunningNode> {
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'cg-hardhat-'));
  const config = {
    networks: {
      hardhat: {
        chainId: options.chainId ?? 31337,
        initialDate: options.initialDate ?? '2024-01-01T00:00:00Z',
        mining: { auto: false, interval: options.intervalMs ?? 0 },
      },
    },
  };
  writeFileSync(join(dir, 'hardhat.config.cjs'), `module.exports = ${JSON.stringify(config)};\n`);
  return launch('hardhat', port, {
    command: process.execPath,
    args: [
      join(root, 'node_modules', 'hardhat', 'internal', 'cli', 'bootstrap.js'),
      '--config',
      join(dir, 'hardhat.config.cjs'),
      'node',
      '--hostname',
      '127.0.0.1',
      '--port',
      String(port),
    ],
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  });
}

export type StartGanacheOptions = {
  port?: number;
  /** Seconds between blocks; 0 mines on each transaction. Default 0. */
  blockTimeS?: number;
  args?: string[];
};

export async function startGanache(options: StartGanacheOptions = {}): Promise<RunningNode> {
  const port = options.port ?? (await freePort());
  const args = [
    join(root, 'node_modules', 'ganache', 'dist', 'node', 'cli.js'),
    '--server.host',
    '127.0.0.1',
    '--server.port',
    String(port),
    '--logging.quiet',
    '--wallet.deterministic',
    '--chain.time',
    '2024-01-01T00:00:00Z',
  ];
  if (options.blockTimeS) args.push('--miner.blockTime', String(options.blockTimeS));
  args.push(...(options.args ?? []));
  return launch('ganache', port, { command: process.execPath, args });
}
