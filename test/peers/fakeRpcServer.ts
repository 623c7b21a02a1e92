import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeRequest = {
  method: string;
  params: unknown[];
  id: unknown;
  authorization: string | undefined;
};

/** How the fake node answers one JSON-RPC request. */
export type FakeHandler = (request: FakeRequest, response: ServerResponse) => void;

export type FakeRpcServer = {
  url: string;
  port: number;
  handler: FakeHandler;
  requests: FakeRequest[];
  close(): Promise<void>;
};

/** A misbehaving JSON-RPC node on loopback, answering through a replaceable handler. */
export async function startFakeRpcServer(handler: FakeHandler): Promise<FakeRpcServer> {
  const sockets = new Set<import('node:net').Socket>();
  const fake: FakeRpcServer = {
    url: '',
    port: 0,
    handler,
    requests: [],
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      let parsed: { method?: unknown; params?: unknown; id?: unknown } = {};
      try {
        parsed = JSON.parse(body) as typeof parsed;
      } catch {}
      const call: FakeRequest = {
        method: typeof parsed.method === 'string' ? parsed.method : '',
        params: Array.isArray(parsed.params) ? parsed.params : [],
        id: parsed.id,
        authorization: request.headers.authorization,
      };
      fake.requests.push(call);
      fake.handler(call, response);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.port = (server.address() as AddressInfo).port;
  fake.url = `http://127.0.0.1:${fake.port}`;
  return fake;
}

export function answerJson(response: ServerResponse, body: unknown, status = 200): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(typeof body === 'string' ? body : JSON.stringify(body));
}
