import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A JSON-RPC proxy in front of a real EVM node that passes everything through, except
 * `eth_getProof` in a lying mode: `balance` adds one wei to the balance it reports, `storage`
 * adds one to the first storage value; the proofs themselves are the node's.
 */
export type LyingEvmMode = 'honest' | 'balance' | 'storage';

export type LyingEvmProxy = { url: string; mode: LyingEvmMode; close(): Promise<void> };

export async function startLyingEvmProxy(upstream: string): Promise<LyingEvmProxy> {
  const proxy: LyingEvmProxy = {
    url: '',
    mode: 'honest',
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', async () => {
      try {
        const upstreamResponse = await fetch(upstream, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        const answer = (await upstreamResponse.json()) as { result?: Record<string, unknown> };
        const { method } = JSON.parse(body) as { method: string };
        if (method === 'eth_getProof' && answer.result && proxy.mode !== 'honest') {
          const result = answer.result;
          if (proxy.mode === 'balance') result.balance = toQuantity(BigInt(result.balance as string) + 1n);
          else {
            const slot = (result.storageProof as Array<{ value: string }>)[0];
            if (slot) slot.value = toQuantity(BigInt(slot.value) + 1n);
          }
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answer));
      } catch (error) {
        response.writeHead(502);
        response.end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

function toQuantity(value: bigint): string {
  return `0x${value.toString(16)}`;
}
