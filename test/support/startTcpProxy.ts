import { createConnection, createServer, type Socket } from 'node:net';

export type StartTcpProxyReturnType = {
  port: number;
  /** Sends new connections to `targetPort` and cuts every open one (a moved address: a virtual IP
   * or a DNS name that a failover manager points at the new primary). */
  retarget(targetPort: number): void;
  close(): Promise<void>;
};

/** A TCP pass-through on 127.0.0.1 (a free port) to `127.0.0.1:targetPort`. */
export async function startTcpProxy(targetPort: number): Promise<StartTcpProxyReturnType> {
  let target = targetPort;
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  };
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: target });
    track(client);
    track(upstream);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    retarget(targetPort) {
      target = targetPort;
      for (const socket of open) socket.destroy();
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
