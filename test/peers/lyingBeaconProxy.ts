import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readServerSentEvents } from '../../src/sources/beacon/readServerSentEvents.ts';
import { listenOnLoopback } from '../support/listenOnLoopback.ts';

/** What a liar changes in a light-client update (JSON as the Beacon API serves it, without envelope). */
export type UpdateRewrite = (kind: 'optimistic' | 'finality', update: Record<string, unknown>) => void;

export type StartLyingBeaconProxyParameters = {
  /** The beacon node behind the proxy, `http://host:port`. */
  target: string;
  /** Changes optimistic and finality updates, over REST and over the event stream. */
  rewrite?: UpdateRewrite;
  /** Where `light_client/bootstrap/*` is fetched from instead (a liar copies another chain's bootstrap). */
  bootstrapFrom?: string;
};

export type RunningLyingBeaconProxy = { url: string; close(): Promise<void> };

const KINDS: Record<string, 'optimistic' | 'finality'> = {
  '/eth/v1/beacon/light_client/optimistic_update': 'optimistic',
  '/eth/v1/beacon/light_client/finality_update': 'finality',
  light_client_optimistic_update: 'optimistic',
  light_client_finality_update: 'finality',
};

/**
 * A Beacon API pass-through on 127.0.0.1 that lies about light-client updates: REST answers and
 * server-sent events go through as the node gave them, except the updates `rewrite` changes and the
 * bootstrap taken from `bootstrapFrom`.
 */
export async function startLyingBeaconProxy(
  parameters: StartLyingBeaconProxyParameters,
): Promise<RunningLyingBeaconProxy> {
  const { target, rewrite } = parameters;
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const url = request.url ?? '/';
    const path = url.split('?')[0] ?? '';
    const from = path.startsWith('/eth/v1/beacon/light_client/bootstrap/')
      ? (parameters.bootstrapFrom ?? target)
      : target;
    const abort = new AbortController();
    response.on('close', () => abort.abort());
    try {
      const upstream = await fetch(`${from}${url}`, {
        headers: { accept: request.headers.accept ?? 'application/json' },
        signal: abort.signal,
      });
      if (path === '/eth/v1/events' && upstream.body) {
        response.writeHead(upstream.status, { 'content-type': 'text/event-stream' });
        for await (const event of readServerSentEvents(
          upstream.body as unknown as AsyncIterable<Uint8Array>,
        )) {
          let data = event.data;
          const kind = KINDS[event.event];
          if (kind && rewrite) {
            const update = JSON.parse(data) as Record<string, unknown>;
            rewrite(kind, update);
            data = JSON.stringify(update);
          }
          response.write(`event: ${event.event}\ndata: ${data}\n\n`);
        }
        response.end();
        return;
      }
      let text = await upstream.text();
      const kind = KINDS[path];
      if (kind && rewrite && upstream.ok) {
        const body = JSON.parse(text) as { data: Record<string, unknown> };
        rewrite(kind, body.data);
        text = JSON.stringify(body);
      }
      response.writeHead(upstream.status, { 'content-type': 'application/json' });
      response.end(text);
    } catch (error) {
      if (response.headersSent) response.destroy();
      else {
        response.writeHead(502, { 'content-type': 'text/plain' });
        response.end(`proxy: ${(error as Error).message}`);
      }
    }
  });
  const { port, destroySockets } = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        destroySockets();
        server.close(() => resolve());
      }),
  };
}
