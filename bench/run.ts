import { runCoreBench } from './core.ts';
import { runFailoverBench } from './failover.ts';
import { runHttpBench } from './http.ts';
import { runLatencyBench } from './latency.ts';
import { runPricingBench } from './pricing.ts';
import { runReplayBench } from './replay.ts';
import { runReplayAgainstParseBench } from './replayAgainstParse.ts';
import { runRestartBench } from './restart.ts';
import { runRiskBench } from './risk.ts';
import { runStartBench } from './start.ts';
import { runVerificationBench } from './verification.ts';

/** Runs every benchmark and prints its figures. `npm run bench`; `npm run bench -- NAME` for one. */
const only = process.argv[2];
const benches: Record<string, () => unknown | Promise<unknown>> = {
  core: () => runCoreBench(),
  replay: () => runReplayBench(),
  'replay-vs-parse': () => runReplayAgainstParseBench(),
  start: () => runStartBench(),
  risk: () => runRiskBench(),
  latency: () => runLatencyBench(),
  pricing: () => runPricingBench(),
  http: () => runHttpBench(),
  verification: () => runVerificationBench(),
  restart: () => runRestartBench(),
  failover: () => runFailoverBench(),
};
if (only && !(only in benches)) {
  console.error(`unknown benchmark "${only}": use one of ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
for (const [name, run] of Object.entries(benches)) {
  if (only && only !== name) continue;
  console.log(`== ${name}`);
  await run();
}
