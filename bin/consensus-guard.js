#!/usr/bin/env node
// Runs the compiled CLI when built, otherwise the TypeScript sources through tsx (a clone after
// `npm ci` has no dist/). `--version` and `--help` alone are answered here, without loading
// TypeScript or any command: the version from package.json, the help from bin/help.txt, which
// `npm run cli:help` writes from the real commands (test/cli/help.test.ts checks it matches).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}\n`);
} else if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) {
  process.stdout.write(readFileSync(join(root, 'bin', 'help.txt'), 'utf8'));
} else {
  await run();
}

async function run() {
  const built = join(root, 'dist', 'src', 'cli', 'main.js');
  let entry = built;
  if (!existsSync(built)) {
    const { register } = await import('tsx/esm/api');
    register();
    entry = join(root, 'src', 'cli', 'main.ts');
  }
  const { runCli } = await import(pathToFileURL(entry).href);
  // Should a command ever await a promise that nothing will settle, Node would exit 13 without a
  // word once its event loop is empty: say so and exit 1 instead.
  let finished = false;
  process.on('exit', () => {
    if (finished) return;
    process.stderr.write(
      'consensus-guard: stopped before the command finished: nothing left to wait for (a bug)\n',
    );
    process.exitCode = 1;
  });
  process.exitCode = await runCli(argv);
  finished = true;
}
