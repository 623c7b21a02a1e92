import { runCoreBench } from './core.ts';

/** Runs every benchmark and prints its figures. `npm run bench`; `npm run bench -- core` for one. */
const only = process.argv[2];
const benches: Record<string, () => unknown | Promise<unknown>> = {
  core: () => runCoreBench(),
};
for (const [name, run] of Object.entries(benches)) {
  if (only && only !== name) continue;
  console.log(`== ${name}`);
  await run();
}
