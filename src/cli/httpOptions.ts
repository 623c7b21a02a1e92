import { Registry } from 'prom-client';
import { createApp } from '../http/createApp.ts';
import { createMetrics, type Metrics } from '../http/createMetrics.ts';
import { type HttpServer, startHttpServer } from '../http/startHttpServer.ts';
import type { Logger } from '../log/createLogger.ts';
import type { StateProofBook } from '../runtime/createStateProofBook.ts';
import type { ServiceView } from '../runtime/serviceView.ts';
import { CliError, usageError } from './errors.ts';
import type { Output } from './output.ts';

export type HostPort = { host: string; port: number };

/** Parses `--http host:port` (`[::1]:8080` for IPv6). */
export function toHostPort(value: string): HostPort {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value);
  const port = match ? Number(match[3]) : Number.NaN;
  if (!match || port > 65535)
    throw usageError(`--http must be host:port, e.g. 127.0.0.1:8080 (got "${value}")`);
  return { host: match[1] ?? match[2]!, port };
}

/** The bearer token named by `--token-env`, which needs `--http` and at least 16 characters. */
export function toToken(options: { tokenEnv?: string; http?: string }): string | undefined {
  if (options.tokenEnv === undefined) return undefined;
  if (options.http === undefined) throw usageError('--token-env needs --http');
  const token = process.env[options.tokenEnv];
  if (token === undefined || token.length < 16) {
    throw usageError(
      `--token-env ${options.tokenEnv}: set that environment variable to a token of at least 16 characters`,
    );
  }
  return token;
}

export type CliHttp = {
  server: HttpServer;
  metrics: Metrics;
  /** Stops listening, then stops the metrics' collectors. */
  close(): Promise<void>;
};

/**
 * Serves the API, the metrics and the dashboard of `view` on `address` for a command (`watch`,
 * `serve`, `demo`) and says where on stderr: requests and audited commands go to `logger`, a taken
 * address is a one-line CLI error.
 */
export async function startCliHttp(parameters: {
  view: ServiceView;
  address: HostPort;
  token: string | undefined;
  output: Output;
  /** The verified state of the configured accounts, served at `/api/chains/{chain}/proofs`. */
  stateProofs?: StateProofBook;
  /** Say where it listens on stderr. Default true. */
  announce?: boolean;
  /** The command's logger (`--log-level`). */
  logger: Logger;
}): Promise<CliHttp> {
  const { view, output } = parameters;
  const metrics = createMetrics({ registry: new Registry(), view });
  const app = createApp({
    view,
    metrics,
    token: parameters.token,
    ...(parameters.stateProofs ? { stateProofs: parameters.stateProofs } : {}),
    logger: parameters.logger,
  });
  let server: HttpServer;
  try {
    server = await startHttpServer(app, parameters.address);
  } catch (error) {
    metrics.close();
    throw new CliError(`${(error as Error).message}: choose another --http address`, { cause: error });
  }
  if (parameters.announce !== false) {
    output.err(
      `dashboard and API on ${server.url}/ (metrics ${server.url}/metrics)${parameters.token ? '' : '; override disabled: give --token-env'}\n`,
    );
  }
  return {
    server,
    metrics,
    async close() {
      await server.close();
      metrics.close();
    },
  };
}
