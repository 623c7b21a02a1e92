import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './waitFor.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export type ServeProcess = {
  name: string;
  child: ChildProcess;
  stderr(): string;
  /** Each line printed on stdout (with `--json`: signals and transitions), parsed. */
  printed: Array<Record<string, unknown>>;
  /** Resolves once stderr matches `pattern`; rejects if the process exits first. */
  waitForStderr(pattern: RegExp, limitMs?: number): Promise<void>;
  /** Sends `signal` and waits for the exit (nothing for SIGSTOP and SIGCONT). */
  kill(signal: NodeJS.Signals): Promise<void>;
};

/** Runs the real CLI, `consensus-guard serve ARGS…`, in a child process killed when the test exits. */
export function spawnServe(
  name: string,
  args: readonly string[],
  env: Record<string, string> = {},
): ServeProcess {
  const child = spawn(process.execPath, [join(root, 'bin', 'consensus-guard.js'), 'serve', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let stderr = '';
  let partial = '';
  const printed: Array<Record<string, unknown>> = [];
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('{')) printed.push(JSON.parse(line) as Record<string, unknown>);
    }
  });
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    name,
    child,
    stderr: () => stderr,
    printed,
    waitForStderr: (pattern, limitMs = 60_000) =>
      waitFor(
        `${name}: ${pattern}`,
        () => {
          if (pattern.test(stderr)) return true;
          if (exited()) throw new Error(`${name} exited:\n${stderr}`);
          return undefined;
        },
        limitMs,
        20,
      ).then(() => undefined),
    async kill(signal) {
      if (exited()) return;
      if (signal === 'SIGSTOP' || signal === 'SIGCONT') {
        child.kill(signal);
        return;
      }
      const done = once(child, 'exit');
      child.kill(signal);
      await done;
    },
  };
}
