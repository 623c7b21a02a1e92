import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { CodedError } from '../core/codedError.ts';

export type StartHttpServerParameters = {
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** Port; 0 picks a free one. */
  port: number;
};

export type HttpServer = {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  port: number;
  /** Stops listening and ends open connections (SSE streams included). */
  close(): Promise<void>;
};

export type HttpServerErrorType = CodedError<'http_listen_failed'>;

/**
 * Serves `app` over HTTP/1.1 with @hono/node-server. Resolves once listening; rejects with code
 * `http_listen_failed` (the cause attached) when the address is taken or not allowed.
 */
export function startHttpServer(
  app: Pick<Hono, 'fetch'>,
  parameters: StartHttpServerParameters,
): Promise<HttpServer> {
  const host = parameters.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port: parameters.port });
    const onError = (cause: Error) => {
      const error: HttpServerErrorType = new CodedError({
        code: 'http_listen_failed',
        shortMessage: `cannot listen on ${host}:${parameters.port}: ${cause.message}`,
        cause,
      });
      reject(error);
    };
    server.once('error', onError);
    server.once('listening', () => {
      server.off('error', onError);
      const port = (server.address() as AddressInfo).port;
      const urlHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${urlHost}:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
  });
}
