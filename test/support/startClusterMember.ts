import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('../service/clusterChild.ts', import.meta.url));

export type MemberReport = { type: string; [field: string]: unknown };

export type ClusterMemberProcess = {
  name: string;
  process: ChildProcess;
  reports: MemberReport[];
  /** Resolves with the first report (already received or to come) that passes `test`. */
  waitFor(test: (r: MemberReport) => boolean): Promise<MemberReport>;
  /** The role of the newest `role` report. */
  role(): string | undefined;
  kill(signal: NodeJS.Signals): Promise<void>;
};

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Starts test/service/clusterChild.ts with `args` (its JSON argument) in a child process. */
export function startClusterMember(name: string, args: Record<string, unknown>): ClusterMemberProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, JSON.stringify({ instance: name, ...args })],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.add(child);
  child.once('exit', () => children.delete(child));
  const reports: MemberReport[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    reports.push({ ...(JSON.parse(line) as MemberReport), receivedAtMs: Date.now() });
    for (const wake of [...waiters]) wake();
  });
  return {
    name,
    process: child,
    reports,
    waitFor: (test) =>
      new Promise<MemberReport>((resolve, reject) => {
        const check = () => {
          const found = reports.find(test);
          if (!found) return;
          waiters.delete(check);
          child.off('exit', onExit);
          resolve(found);
        };
        const onExit = () => {
          waiters.delete(check);
          reject(new Error(`${name} exited before the awaited report`));
        };
        waiters.add(check);
        child.once('exit', onExit);
        check();
      }),
    role: () => reports.filter((r) => r.type === 'role').at(-1)?.role as string | undefined,
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (signal === 'SIGSTOP' || signal === 'SIGCONT') {
        child.kill(signal);
        return;
      }
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}
