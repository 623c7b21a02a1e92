import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../peers/nodes.ts';
import { waitFor } from './waitFor.ts';

export type StartServeParameters = {
  /** The guard config (YAML text), written to `configPath`. */
  config: string;
  configPath: string;
  dataDir: string;
  /** Extra environment variables for the child. */
  env?: Record<string, string>;
  /** Interval of time ticks (`--tick-ms`). Default 1000 as `serve`. */
  tickMs?: number;
  /** How long to wait for the API to listen. Default 60 s. */
  readyTimeoutMs?: number;
  /** More options for `serve`, e.g. `--log-level debug`. */
  args?: readonly string[];
};

export type StopServeReturnType = {
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** From the signal sent to the exit. */
  elapsedMs: number;
  /** Whether it had to be killed with SIGKILL after `timeoutMs`. */
  killed: boolean;
};

export type StartServeReturnType = {
  /** `http://127.0.0.1:PORT`, the API. */
  url: string;
  pid: number;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** GET a path of the API; resolves with the parsed JSON body, rejects on a non-2xx or after `timeoutMs`. */
  get<T = unknown>(path: string, timeoutMs?: number): Promise<T>;
  /**
   * Sends `signal` (default SIGTERM) and waits up to `timeoutMs` (default 30 s) for the exit; after that
   * it sends SIGKILL and reports `killed`.
   */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<StopServeReturnType>;
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) {
    if (child.pid !== undefined) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {}
    }
  }
});

/**
 * Runs the real CLI, `consensus-guard serve --config F --data-dir D --json --http 127.0.0.1:PORT`, in a
 * child process (the bin, through tsx when not built) and resolves once the API listens. The child is
 * killed by its pid when the test process exits.
 */
export async function startServe(parameters: StartServeParameters): Promise<StartServeReturnType> {
  await writeFile(parameters.configPath, parameters.config);
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      join(root, 'bin', 'consensus-guard.js'),
      'serve',
      '--config',
      parameters.configPath,
      '--data-dir',
      parameters.dataDir,
      '--json',
      '--tick-ms',
      String(parameters.tickMs ?? 1000),
      '--http',
      `127.0.0.1:${port}`,
      ...(parameters.args ?? []),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...parameters.env } },
  );
  if (child.pid === undefined) throw new Error('serve did not start');
  const pid = child.pid;
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  const isRunning = () => child.exitCode === null && child.signalCode === null;
  const url = `http://127.0.0.1:${port}`;
  const get = async <T>(path: string, timeoutMs = 5_000): Promise<T> => {
    const response = await fetch(url + path, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${text.slice(0, 200)}`);
    return JSON.parse(text) as T;
  };
  const stop = async (
    signal: NodeJS.Signals = 'SIGTERM',
    timeoutMs = 30_000,
  ): Promise<StopServeReturnType> => {
    const startedMs = performance.now();
    if (!isRunning()) return { ...(await exited), elapsedMs: 0, killed: false };
    process.kill(pid, signal);
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }, timeoutMs);
    const result = await exited;
    clearTimeout(timer);
    return { ...result, elapsedMs: performance.now() - startedMs, killed };
  };
  try {
    await waitFor(
      'serve to listen',
      () => {
        if (!isRunning()) throw new Error(`serve exited before it listened:\n${stderr}`);
        return /dashboard and API on/.test(stderr) ? true : undefined;
      },
      parameters.readyTimeoutMs ?? 60_000,
      25,
    );
  } catch (error) {
    await stop('SIGKILL');
    throw error;
  }
  return { url, pid, child, stdout: () => stdout, stderr: () => stderr, get, stop };
}
