import { spawn } from 'node:child_process';
import { createApp } from '../src/http/createApp.ts';
import { startHttpServer } from '../src/http/startHttpServer.ts';
import { createTestService } from '../test/http/createTestService.ts';

/**
 * HTTP load benchmark: a keep-alive load of `GET /api/chains` and `GET /healthz` (alternating on
 * each connection) against the API on 127.0.0.1, served from this process, while autocannon runs
 * in a child process so that client and server do not share an event loop. The guard behind the
 * API holds the state after a simulated 7-block reorg. Bounded in time (`durationS`) and count
 * (`maxRequests`).
 */
export type HttpBenchOptions = {
  /** Seconds of load. Default 30. */
  durationS?: number;
  /** Requests at most. Default 3,000,000. */
  maxRequests?: number;
  /** Concurrent keep-alive connections. Default 10. */
  connections?: number;
  log?: (line: string) => void;
};

export type HttpBenchResult = {
  requests: number;
  requestsPerSecond: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  durationS: number;
};

export async function runHttpBench(options: HttpBenchOptions = {}): Promise<HttpBenchResult> {
  const log = options.log ?? console.log;
  const durationS = options.durationS ?? 30;
  const maxRequests = options.maxRequests ?? 3_000_000;
  const connections = options.connections ?? 10;

  const service = await createTestService('reorg-7', { processMetrics: true });
  await service.feed(0, 420);
  const { view, metrics } = service;
  const app = createApp({ view, metrics, limits: { rateLimit: false }, log: () => undefined });
  const server = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
  try {
    const chainsBytes = (await (await fetch(`${server.url}/api/chains`)).arrayBuffer()).byteLength;
    log(
      `http: ${connections} keep-alive connections, GET /api/chains (${chainsBytes} B) and GET /healthz, ` +
        `${durationS} s or ${maxRequests} requests on ${server.url}`,
    );
    const result = await runAutocannon(server.url, { durationS, maxRequests, connections });
    log(
      `http: ${result.requests} requests in ${result.durationS.toFixed(1)} s: ${Math.round(result.requestsPerSecond)} requests/s, ` +
        `${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx, ` +
        `latency p50 ${result.latencyP50Ms} ms, p99 ${result.latencyP99Ms} ms, max ${result.latencyMaxMs} ms (1 ms resolution)`,
    );
    const met = result.requestsPerSecond >= 1000 && result.errors + result.timeouts + result.non2xx === 0;
    log(`http: target of 1,000 requests/s without error ${met ? 'met' : 'NOT met'}`);
    return result;
  } finally {
    await server.close();
    await service.service.stop();
  }
}

const CLIENT = `
const autocannon = (await import('autocannon')).default;
const [url, durationS, maxRequests, connections] = JSON.parse(process.argv[1]);
const r = await autocannon({
  url,
  connections,
  pipelining: 1,
  duration: durationS,
  maxOverallRequests: maxRequests,
  requests: [{ method: 'GET', path: '/api/chains' }, { method: 'GET', path: '/healthz' }],
});
process.stdout.write(JSON.stringify({
  requests: r.requests.total,
  errors: r.errors,
  timeouts: r.timeouts,
  non2xx: r.non2xx,
  p50: r.latency.p50,
  p99: r.latency.p99,
  max: r.latency.max,
  durationS: r.duration,
}));
`;

function runAutocannon(
  url: string,
  options: { durationS: number; maxRequests: number; connections: number },
): Promise<HttpBenchResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        CLIENT,
        JSON.stringify([url, options.durationS, options.maxRequests, options.connections]),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), (options.durationS + 60) * 1000);
    child.on('error', (error) => {
      clearTimeout(killer);
      reject(new Error(`cannot run the load client: ${error.message}`, { cause: error }));
    });
    child.on('close', (code) => {
      clearTimeout(killer);
      if (code !== 0) {
        reject(new Error(`the load client exited with ${code}`));
        return;
      }
      const r = JSON.parse(out) as {
        requests: number;
        errors: number;
        timeouts: number;
        non2xx: number;
        p50: number;
        p99: number;
        max: number;
        durationS: number;
      };
      resolve({
        requests: r.requests,
        requestsPerSecond: r.requests / r.durationS,
        errors: r.errors,
        timeouts: r.timeouts,
        non2xx: r.non2xx,
        latencyP50Ms: r.p50,
        latencyP99Ms: r.p99,
        latencyMaxMs: r.max,
        durationS: r.durationS,
      });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await runHttpBench();
