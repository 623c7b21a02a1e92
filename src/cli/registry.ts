import type { Command } from 'commander';
import { registerDemo } from './commands/demo.ts';
import { registerPrice } from './commands/price.ts';
import { registerRisk } from './commands/risk.ts';
import { registerServe } from './commands/serve.ts';
import { registerStore } from './commands/store.ts';
import { registerWatch } from './commands/watch.ts';
import type { Output } from './output.ts';

/** Commands that live beside the offline ones (the demo, pricing, live watching). */
export function registerExtraCommands(program: Command, output: Output): void {
  registerDemo(program, output);
  registerPrice(program, output);
  registerRisk(program, output);
  registerServe(program, output);
  registerStore(program, output);
  registerWatch(program, output);
}
