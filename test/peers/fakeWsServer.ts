import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One WebSocket connection to the fake node. */
export type FakeWsConnection = {
  /** Sends a text frame (any string: JSON or not). */
  send(text: string): void;
  /** Drops the TCP connection without a close frame. */
  destroy(): void;
};

/** Called with each JSON-RPC request (parsed; `undefined` when not JSON) received on a connection. */
export type FakeWsHandler = (
  connection: FakeWsConnection,
  request: { id?: unknown; method?: unknown; params?: unknown },
) => void;

export type FakeWsServer = {
  url: string;
  handler: FakeWsHandler;
  connections: FakeWsConnection[];
  close(): Promise<void>;
};

const acceptGuid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** A JSON-RPC node over WebSocket on loopback (RFC 6455 text frames, written by hand), for fault tests. */
export async function startFakeWsServer(handler: FakeWsHandler): Promise<FakeWsServer> {
  const sockets = new Set<Socket>();
  const fake: FakeWsServer = {
    url: '',
    handler,
    connections: [],
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server = createServer((_request, response) => {
    response.writeHead(426);
    response.end();
  });
  server.on('upgrade', (request: IncomingMessage, socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const key = request.headers['sec-websocket-key'];
    const accept = createHash('sha1').update(`${key}${acceptGuid}`).digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    const connection: FakeWsConnection = {
      send: (text) => {
        if (!socket.destroyed) socket.write(toFrame(0x1, Buffer.from(text)));
      },
      destroy: () => socket.destroy(),
    };
    fake.connections.push(connection);
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (true) {
        const frame = readFrame(pending);
        if (!frame) break;
        pending = pending.subarray(frame.length);
        if (frame.opcode === 0x8) {
          socket.end(toFrame(0x8, Buffer.alloc(0)));
          return;
        }
        if (frame.opcode === 0x9) socket.write(toFrame(0xa, frame.payload));
        if (frame.opcode !== 0x1) continue;
        let request: { id?: unknown; method?: unknown; params?: unknown } = {};
        try {
          request = JSON.parse(frame.payload.toString()) as typeof request;
        } catch {}
        fake.handler(connection, request);
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

function toFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x80 | opcode, length])
      : length < 65_536
        ? Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigEndian64(length)]);
  return Buffer.concat([header, payload]);
}

function bigEndian64(value: number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64BE(BigInt(value));
  return buffer;
}

function readFrame(buffer: Buffer): { opcode: number; payload: Buffer; length: number } | undefined {
  if (buffer.length < 2) return undefined;
  const opcode = (buffer[0] ?? 0) & 0x0f;
  const masked = ((buffer[1] ?? 0) & 0x80) !== 0;
  let length = (buffer[1] ?? 0) & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return undefined;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return undefined;
    length = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  const maskLength = masked ? 4 : 0;
  if (buffer.length < offset + maskLength + length) return undefined;
  const mask = buffer.subarray(offset, offset + maskLength);
  const payload = Buffer.from(buffer.subarray(offset + maskLength, offset + maskLength + length));
  if (masked) for (let i = 0; i < payload.length; i += 1) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
  return { opcode, payload, length: offset + maskLength + length };
}
