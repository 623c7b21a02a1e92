import { writeFileSync } from 'node:fs';
import { runCli } from '../src/cli/main.ts';

/**
 * Writes `bin/help.txt`, the top-level `--help` that the bin prints without loading TypeScript.
 * `npm run cli:help` after adding a command or changing a description; test/cli/help.test.ts checks
 * that the file matches the real help.
 */
let help = '';
const code = await runCli(['--help'], { out: (text) => (help += text), err: (text) => (help += text) });
if (code !== 0) throw new Error(`--help exited ${code}`);
writeFileSync(new URL('../bin/help.txt', import.meta.url), help);
console.log(`bin/help.txt: ${help.split('\n').length - 1} lines`);
