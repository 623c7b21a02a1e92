#!/usr/bin/env node
// Runs the compiled CLI when built, otherwise the TypeScript sources through tsx.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'src', 'cli', 'main.js');
let entry = built;
if (!existsSync(built)) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = join(root, 'src', 'cli', 'main.ts');
}
const { runCli } = await import(pathToFileURL(entry).href);
// Should a command ever await a promise that nothing will settle, Node would exit 13 without a word
// once its event loop is empty: say so and exit 1 instead.
let finished = false;
process.on('exit', () => {
  if (finished) return;
  process.stderr.write(
    'consensus-guard: stopped before the command finished: nothing left to wait for (a bug)\n',
  );
  process.exitCode = 1;
});
process.exitCode = await runCli(process.argv.slice(2));
finished = true;
