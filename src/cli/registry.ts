import type { Command } from 'commander';
import type { Output } from './output.ts';

/** Adds one command, with its options and action, to the program. */
export type RegisterCommand = (program: Command, output: Output) => void;

/**
 * A command of the CLI: its name and how to load the module that registers it. A module is
 * imported only when its command runs, or when the CLI needs every command (top-level help, an
 * unknown command), so that a command pays only for what it imports.
 */
export type CommandEntry = { name: string; load: () => Promise<RegisterCommand> };

/**
 * Every command, in the order of the help. A new command adds one line here; `bin/help.txt`
 * then needs `npm run cli:help` (test/cli/help.test.ts says so when it is stale).
 */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'simulate', load: async () => (await import('./commands/simulate.ts')).registerSimulate },
  { name: 'replay', load: async () => (await import('./commands/replay.ts')).registerReplay },
  { name: 'scenarios', load: async () => (await import('./commands/scenarios.ts')).registerScenarios },
  { name: 'demo', load: async () => (await import('./commands/demo.ts')).registerDemo },
  { name: 'price', load: async () => (await import('./commands/price.ts')).registerPrice },
  { name: 'report', load: async () => (await import('./commands/report.ts')).registerReport },
  { name: 'resolve', load: async () => (await import('./commands/resolve.ts')).registerResolve },
  { name: 'risk', load: async () => (await import('./commands/risk.ts')).registerRisk },
  { name: 'serve', load: async () => (await import('./commands/serve.ts')).registerServe },
  { name: 'store', load: async () => (await import('./commands/store.ts')).registerStore },
  { name: 'watch', load: async () => (await import('./commands/watch.ts')).registerWatch },
];
