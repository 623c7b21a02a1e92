import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './listenOnLoopback.ts';

/** One JSON-RPC call seen by the proxy. */
export type ProxiedCall = { method: string; params: unknown[] };

export type StartRpcProxyParameters = {
  /** The node behind the proxy, `http://host:port`. */
  target: string;
  /**
   * Rewrites one answer (the parsed JSON-RPC response object of a single call) before it goes back;
   * returns it unchanged to pass it through. Default: pass everything through.
   */
  rewrite?: (call: ProxiedCall, answer: Record<string, unknown>) => Record<string, unknown>;
  /** Port on 127.0.0.1; default a free one. */
  port?: number;
};

export type StartRpcProxyReturnType = {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** Every call passed on, in order. */
  calls: ProxiedCall[];
  /** While true, every request is answered with HTTP 503 and not passed on (a node that is down). */
  down(on: boolean): void;
  close(): Promise<void>;
};

/**
 * A JSON-RPC pass-through proxy over HTTP on 127.0.0.1: every request goes to `target` as it came,
 * and every answer comes back as the target gave it, unless `rewrite` changes it. In front of a real
 * node it makes a second, independent-looking node that serves the same chain (same hashes), or a
 * liar that changes one answer. A target that cannot be reached is answered with HTTP 502.
 *
 * @example
 * const twin = await startRpcProxy({ target: anvil.url })
 * // watch anvil.url and twin.url as two nodes of one chain
 * await twin.close()
 */
export async function startRpcProxy(parameters: StartRpcProxyParameters): Promise<StartRpcProxyReturnType> {
  const { target, rewrite } = parameters;
  const calls: ProxiedCall[] = [];
  let isDown = false;
  const toCall = (value: unknown): ProxiedCall => {
    const { method, params } = (value ?? {}) as { method?: unknown; params?: unknown };
    return { method: typeof method === 'string' ? method : '', params: Array.isArray(params) ? params : [] };
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      if (isDown) {
        response.writeHead(503, { 'content-type': 'text/plain' });
        response.end('proxy: down');
        return;
      }
      const body = Buffer.concat(chunks).toString();
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {}
      const requestCalls = Array.isArray(parsed) ? parsed.map(toCall) : [toCall(parsed)];
      calls.push(...requestCalls);
      try {
        const upstream = await fetch(target, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(30_000),
        });
        let text = await upstream.text();
        if (rewrite && upstream.ok) {
          const answer = JSON.parse(text) as unknown;
          text = JSON.stringify(
            Array.isArray(answer)
              ? answer.map((one, i) => rewrite(requestCalls[i] ?? toCall(undefined), one))
              : rewrite(requestCalls[0] ?? toCall(undefined), answer as Record<string, unknown>),
          );
        }
        response.writeHead(upstream.status, { 'content-type': 'application/json' });
        response.end(text);
      } catch (error) {
        response.writeHead(502, { 'content-type': 'text/plain' });
        response.end(`proxy: ${(error as Error).message}`);
      }
    });
  });
  const { port, destroySockets } = await listenOnLoopback(server, parameters.port ?? 0);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    calls,
    down(on) {
      isDown = on;
    },
    close: () =>
      new Promise<void>((resolve) => {
        destroySockets();
        server.close(() => resolve());
      }),
  };
}
