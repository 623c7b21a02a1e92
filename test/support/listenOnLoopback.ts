import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * Listens on 127.0.0.1 (port 0: a free one) and tracks the open sockets, so that a test server
 * can be closed at once, keep-alive connections included.
 */
export async function listenOnLoopback(
  server: Server,
  port = 0,
): Promise<{ port: number; destroySockets: () => void }> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    destroySockets: () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}
