import { createHash, scryptSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A JSON-RPC proxy in front of a real Bitcoin-style node (litecoind) that passes everything
 * through, except in a lying mode:
 * - `forged-pow`: a self-consistent chain of 3 headers on the real tip, each hashing (double
 *   SHA-256) to the hash it is served under, with claimed chainwork adding up, but whose scrypt
 *   proof-of-work hash is above the regtest target;
 * - `wrong-bits`: one header on the real tip with a harder `bits` (0x1f7fffff) than the regtest
 *   chain's fixed 0x207fffff, whose proof of work meets those bits and whose claimed chainwork
 *   counts them: only the retarget rule is broken;
 * - `inflated-chainwork`: the real headers, with 2^64 added to the chainwork of each.
 */
export type LyingMode = 'honest' | 'forged-pow' | 'wrong-bits' | 'inflated-chainwork';

export type LyingBitcoinProxy = {
  /** `http://u:p@127.0.0.1:PORT` */
  url: string;
  mode: LyingMode;
  /** The hashes of the forged headers served in the current mode, lowest first. */
  forged: string[];
  close(): Promise<void>;
};

type Forged = { hash: string; raw: string; verbose: Record<string, unknown> };

const REGTEST_TARGET = 0x7fffffn << 232n;
const HARD_BITS = 0x1f7fffff;
const HARD_TARGET = 0x7fffffn << 224n;

export async function startLyingBitcoinProxy(upstream: string): Promise<LyingBitcoinProxy> {
  const target = new URL(upstream);
  const auth = `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64')}`;
  const plain = `${target.protocol}//${target.host}`;
  const call = async (method: string, params: unknown[]) => {
    const response = await fetch(plain, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '1.0', id: 1, method, params }),
    });
    return (await response.json()) as { result: unknown; error: unknown; id: unknown };
  };
  let forgedFor: { mode: LyingMode; tip: string } | undefined;
  let forged: Forged[] = [];
  const proxy: LyingBitcoinProxy = {
    url: '',
    mode: 'honest',
    forged: [],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const forge = async (): Promise<Forged[]> => {
    const tip = (await call('getbestblockhash', [])).result as string;
    if (forgedFor?.mode === proxy.mode && forgedFor.tip === tip) return forged;
    const header = (await call('getblockheader', [tip, true])).result as Record<string, unknown>;
    forged =
      proxy.mode === 'forged-pow'
        ? forgeChain(header, 3)
        : proxy.mode === 'wrong-bits'
          ? [forgeHard(header)]
          : [];
    forgedFor = { mode: proxy.mode, tip };
    proxy.forged = forged.map((f) => f.hash);
    return forged;
  };
  const answer = async (method: string, params: unknown[], id: unknown): Promise<unknown> => {
    if (proxy.mode === 'forged-pow' || proxy.mode === 'wrong-bits') {
      const chain = await forge();
      if (method === 'getbestblockhash') return { result: chain[chain.length - 1]!.hash, error: null, id };
      if (method === 'getblockheader') {
        const found = chain.find((f) => f.hash === params[0]);
        if (found) return { result: params[1] === false ? found.raw : found.verbose, error: null, id };
      }
      if (method === 'getchaintips') return { result: [], error: null, id };
    }
    const real = await call(method, params);
    if (
      proxy.mode === 'inflated-chainwork' &&
      method === 'getblockheader' &&
      params[1] !== false &&
      real.result
    ) {
      const verbose = real.result as Record<string, unknown>;
      verbose.chainwork = toWorkHex(BigInt(`0x${verbose.chainwork as string}`) + (1n << 64n));
    }
    return { ...real, id };
  };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', async () => {
      try {
        const { method, params, id } = JSON.parse(body) as {
          method: string;
          params?: unknown[];
          id: unknown;
        };
        const result = await answer(method, params ?? [], id);
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(result));
      } catch (error) {
        response.writeHead(502);
        response.end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://u:p@127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

/** `count` headers on `tip`, each with a nonce whose scrypt hash is above the regtest target. */
function forgeChain(tip: Record<string, unknown>, count: number): Forged[] {
  const out: Forged[] = [];
  let parent = tip;
  for (let i = 0; i < count; i++) {
    const forged = forgeOne(parent, 0x207fffff, 2n, (pow) => pow > REGTEST_TARGET);
    out.push(forged);
    parent = forged.verbose;
  }
  return out;
}

/** One header on `tip` with the harder bits 0x1f7fffff, whose scrypt hash meets them. */
function forgeHard(tip: Record<string, unknown>): Forged {
  return forgeOne(tip, HARD_BITS, (1n << 256n) / (HARD_TARGET + 1n), (pow) => pow <= HARD_TARGET);
}

function forgeOne(
  parent: Record<string, unknown>,
  bits: number,
  work: bigint,
  accept: (pow: bigint) => boolean,
): Forged {
  const bytes = Buffer.alloc(80);
  bytes.writeInt32LE(0x20000000, 0);
  Buffer.from(parent.hash as string, 'hex')
    .reverse()
    .copy(bytes, 4);
  createHash('sha256')
    .update(`forged on ${parent.hash as string}`)
    .digest()
    .copy(bytes, 36);
  const time = (parent.time as number) + 1;
  bytes.writeUInt32LE(time, 68);
  bytes.writeUInt32LE(bits, 72);
  for (let nonce = 0; ; nonce++) {
    bytes.writeUInt32LE(nonce, 76);
    const pow = BigInt(
      `0x${Buffer.from(scryptSync(bytes, bytes, 32, { N: 1024, r: 1, p: 1 }))
        .reverse()
        .toString('hex')}`,
    );
    if (accept(pow)) break;
  }
  const hash = Buffer.from(createHash('sha256').update(createHash('sha256').update(bytes).digest()).digest())
    .reverse()
    .toString('hex');
  const height = (parent.height as number) + 1;
  return {
    hash,
    raw: bytes.toString('hex'),
    verbose: {
      hash,
      height,
      time,
      previousblockhash: parent.hash,
      bits: bits.toString(16),
      chainwork: toWorkHex(BigInt(`0x${parent.chainwork as string}`) + work),
      confirmations: 1,
    },
  };
}

function toWorkHex(work: bigint): string {
  return work.toString(16).padStart(64, '0');
}
