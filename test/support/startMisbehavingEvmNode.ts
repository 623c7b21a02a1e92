import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type Hex, keccak256, numberToHex, stringToHex, toRlp } from 'viem';
import { listenOnLoopback } from './listenOnLoopback.ts';

/**
 * An EVM block header as a JSON-RPC node serves it (London fields), with its number as a bigint
 * beside it. `hash` is keccak256 of the RLP list of the header fields, as every EVM client computes
 * it, so a guard that recomputes the hash accepts it.
 */
export type MisbehavingBlock = {
  number: bigint;
  hash: Hex;
  parentHash: Hex;
  timestampS: number;
  /** The answer of `eth_getBlockByNumber` / `eth_getBlockByHash` (without transactions). */
  rpc: Record<string, unknown>;
};

export type StartMisbehavingEvmNodeParameters = {
  /** Height of the first block served (the node knows nothing below it). Default 1,000,000,000,000. */
  startHeight?: bigint;
  /** Blocks present when the node starts, from `startHeight`. Default 16. */
  initialBlocks?: number;
  /** `eth_chainId` and `net_version`. Default 424242. */
  chainId?: number;
  /** Parent hash of the first block: another value makes another, unrelated chain. Default keccak256('misbehaving genesis parent'). */
  genesisParentHash?: Hex;
  /** Timestamp of the first block, seconds. Default: now minus `initialBlocks`. */
  genesisTimestampS?: number;
  /** Milliseconds between blocks mined by the node itself; 0 mines only on `mine()`. Default 1000. */
  blockIntervalMs?: number;
  /** `finalized` = head - lag, `safe` = head - floor(lag / 2); null answers both with null. Default 8. */
  finalizedLag?: number | null;
  /** Put in every header's `extraData` (with the branch number): two nodes with other labels never share a block. Default `misbehaving`. */
  label?: string;
  /** `web3_clientVersion`. Default `misbehaving/v0.0.1`. */
  clientVersion?: string;
  /** Port on 127.0.0.1; default a free one. */
  port?: number;
};

export type StartMisbehavingEvmNodeReturnType = {
  /** `http://127.0.0.1:PORT` (JSON-RPC over HTTP POST, single and batch requests). */
  url: string;
  port: number;
  /** Every request received, in order (method and params). */
  requests: Array<{ method: string; params: unknown[] }>;
  /**
   * Message of the JSON-RPC error answered while `failBlocks(true)`; any text, e.g. with `\r\n` or
   * terminal escapes, to test what reaches a log.
   */
  errorMessage: string;
  /** The current head. */
  head(): MisbehavingBlock;
  /** The block the node currently calls `finalized`, or undefined (null answer). */
  finalized(): MisbehavingBlock | undefined;
  /** Every block the node ever served or could serve (all branches), by hash. */
  blocks(): ReadonlyMap<Hex, MisbehavingBlock>;
  /** Mines `n` blocks on the current head (stops at 2^64 - 1); returns the new head. */
  mine(n?: number): MisbehavingBlock;
  /**
   * The head walks backwards: the top `n` blocks are dropped and a new block at the old height - `n`
   * on a new branch becomes the head (a reorg of depth n + 1 seen from this node). Never below the
   * first block's height + 1.
   */
  walkBack(n: number): MisbehavingBlock;
  setFinalizedLag(lag: number | null): void;
  /** While true, every `eth_getBlock*` is answered with a JSON-RPC error carrying `errorMessage`. */
  failBlocks(on: boolean): void;
  /** While true, requests are accepted and never answered (a node that hangs). */
  hang(on: boolean): void;
  /** Stops mining on the interval (the head stays where it is). */
  stall(): void;
  /** Resumes mining on the interval. */
  resume(): void;
  /** Stops mining, drops every connection and closes the port. */
  close(): Promise<void>;
};

const emptyTrieRoot: Hex = '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421';
const emptyUnclesHash: Hex = '0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347';
const maxHeight = (1n << 64n) - 1n;

/**
 * Starts a JSON-RPC node on 127.0.0.1 that serves a self-consistent chain of EVM headers (every hash
 * is the keccak256 of its RLP header, every parent link holds) and misbehaves on command: heights
 * anywhere up to 2^64 - 1, an unrelated genesis, a head that walks backwards, a finalized block
 * chosen by the test, errors with any message, a stall, a hang.
 *
 * Methods: `web3_clientVersion`, `eth_chainId`, `net_version`, `eth_blockNumber`, `eth_syncing`,
 * `eth_getBlockByNumber` (`latest`, `pending`, `safe`, `finalized`, `earliest`, hex numbers),
 * `eth_getBlockByHash`. HTTP only: a guard polls it (`http://` node URL).
 *
 * @example
 * const node = await startMisbehavingEvmNode({ startHeight: 2n ** 64n - 240n, initialBlocks: 24 })
 * node.walkBack(3) // the head goes back 3 heights onto a new branch
 * await node.close()
 */
export async function startMisbehavingEvmNode(
  parameters: StartMisbehavingEvmNodeParameters = {},
): Promise<StartMisbehavingEvmNodeReturnType> {
  const startHeight = parameters.startHeight ?? 1_000_000_000_000n;
  const initialBlocks = parameters.initialBlocks ?? 16;
  const chainId = parameters.chainId ?? 424242;
  const label = parameters.label ?? 'misbehaving';
  const blockIntervalMs = parameters.blockIntervalMs ?? 1000;
  const clientVersion = parameters.clientVersion ?? 'misbehaving/v0.0.1';
  if (initialBlocks < 1) throw new RangeError('initialBlocks must be at least 1');
  if (startHeight < 0n || startHeight + BigInt(initialBlocks) - 1n > maxHeight) {
    throw new RangeError('startHeight and initialBlocks must stay within 0 .. 2^64 - 1');
  }
  let finalizedLag = parameters.finalizedLag === undefined ? 8 : parameters.finalizedLag;
  let branch = 0;
  let failing = false;
  let hanging = false;
  const byHash = new Map<Hex, MisbehavingBlock>();
  /** The current branch, from the first block: index = number - startHeight. */
  const line: MisbehavingBlock[] = [];

  const makeBlock = (number: bigint, parentHash: Hex, timestampS: number): MisbehavingBlock => {
    const fields = {
      parentHash,
      sha3Uncles: emptyUnclesHash,
      miner: `0x${'00'.repeat(19)}42` as Hex,
      stateRoot: keccak256(stringToHex(`${label} state ${number}`)),
      transactionsRoot: emptyTrieRoot,
      receiptsRoot: emptyTrieRoot,
      logsBloom: `0x${'00'.repeat(256)}` as Hex,
      difficulty: '0x0' as Hex,
      number: numberToHex(number),
      gasLimit: numberToHex(30_000_000),
      gasUsed: '0x0' as Hex,
      timestamp: numberToHex(timestampS),
      extraData: stringToHex(`${label}/${branch}`),
      mixHash: keccak256(stringToHex(`${label} mix ${number} ${branch}`)),
      nonce: '0x0000000000000000' as Hex,
      baseFeePerGas: numberToHex(1_000_000_000),
    };
    // The header list in the order of the yellow paper plus London's base fee; quantities as minimal
    // big-endian bytes (zero as the empty string). Independent of src/sources/evm/blockHash.ts.
    const rlpFields: Hex[] = [
      fields.parentHash,
      fields.sha3Uncles,
      fields.miner,
      fields.stateRoot,
      fields.transactionsRoot,
      fields.receiptsRoot,
      fields.logsBloom,
      toRlpQuantity(0n),
      toRlpQuantity(number),
      toRlpQuantity(30_000_000n),
      toRlpQuantity(0n),
      toRlpQuantity(BigInt(timestampS)),
      fields.extraData,
      fields.mixHash,
      fields.nonce,
      toRlpQuantity(1_000_000_000n),
    ];
    const hash = keccak256(toRlp(rlpFields));
    const block: MisbehavingBlock = {
      number,
      hash,
      parentHash,
      timestampS,
      rpc: {
        ...fields,
        hash,
        size: '0x220',
        totalDifficulty: '0x0',
        transactions: [],
        uncles: [],
      },
    };
    byHash.set(hash, block);
    return block;
  };

  const firstTimestampS = parameters.genesisTimestampS ?? Math.floor(Date.now() / 1000) - initialBlocks;
  let parentHash = parameters.genesisParentHash ?? keccak256(stringToHex('misbehaving genesis parent'));
  for (let i = 0; i < initialBlocks; i++) {
    const block = makeBlock(startHeight + BigInt(i), parentHash, firstTimestampS + i);
    line.push(block);
    parentHash = block.hash;
  }

  const head = (): MisbehavingBlock => line[line.length - 1]!;
  const nextTimestampS = (parent: MisbehavingBlock) =>
    Math.max(parent.timestampS + 1, Math.floor(Date.now() / 1000));
  const mine = (n = 1): MisbehavingBlock => {
    for (let i = 0; i < n && head().number < maxHeight; i++) {
      const parent = head();
      line.push(makeBlock(parent.number + 1n, parent.hash, nextTimestampS(parent)));
    }
    return head();
  };
  const walkBack = (n: number): MisbehavingBlock => {
    const keep = Math.max(1, line.length - 1 - n);
    line.length = keep;
    branch += 1;
    const parent = head();
    line.push(makeBlock(parent.number + 1n, parent.hash, nextTimestampS(parent)));
    return head();
  };
  const at = (number: bigint): MisbehavingBlock | undefined =>
    number < startHeight ? undefined : line[Number(number - startHeight)];
  const tagged = (lag: number): MisbehavingBlock | undefined => {
    const number = head().number - BigInt(lag);
    return at(number < startHeight ? startHeight : number);
  };
  const finalized = () => (finalizedLag === null ? undefined : tagged(finalizedLag));
  const safe = () => (finalizedLag === null ? undefined : tagged(Math.floor(finalizedLag / 2)));

  const answer = (method: string, params: unknown[]): { result: unknown } | { error: unknown } => {
    if (failing && method.startsWith('eth_getBlock')) {
      return { error: { code: -32000, message: node.errorMessage } };
    }
    switch (method) {
      case 'web3_clientVersion':
        return { result: clientVersion };
      case 'eth_chainId':
        return { result: numberToHex(chainId) };
      case 'net_version':
        return { result: String(chainId) };
      case 'eth_syncing':
        return { result: false };
      case 'eth_blockNumber':
        return { result: numberToHex(head().number) };
      case 'eth_getBlockByNumber': {
        const tag = params[0];
        let block: MisbehavingBlock | undefined;
        if (tag === 'latest' || tag === 'pending') block = head();
        else if (tag === 'finalized') block = finalized();
        else if (tag === 'safe') block = safe();
        else if (tag === 'earliest') block = line[0];
        else if (typeof tag === 'string' && /^0x[0-9a-fA-F]{1,16}$/.test(tag)) block = at(BigInt(tag));
        else return { error: { code: -32602, message: 'invalid block tag' } };
        return { result: block?.rpc ?? null };
      }
      case 'eth_getBlockByHash': {
        const hash = typeof params[0] === 'string' ? (params[0].toLowerCase() as Hex) : undefined;
        return { result: (hash && byHash.get(hash)?.rpc) ?? null };
      }
      default:
        return { error: { code: -32601, message: `method ${method} not supported` } };
    }
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (hanging) return;
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString());
      } catch {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } }),
        );
        return;
      }
      const one = (call: unknown) => {
        const {
          id = null,
          method,
          params,
        } = (call ?? {}) as { id?: unknown; method?: unknown; params?: unknown };
        const name = typeof method === 'string' ? method : '';
        const args = Array.isArray(params) ? params : [];
        node.requests.push({ method: name, params: args });
        return { jsonrpc: '2.0', id, ...answer(name, args) };
      };
      const reply = Array.isArray(body) ? body.map(one) : one(body);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(reply));
    });
  });
  const { port, destroySockets } = await listenOnLoopback(server, parameters.port ?? 0);

  let timer: NodeJS.Timeout | undefined;
  const resume = () => {
    if (timer || blockIntervalMs <= 0) return;
    timer = setInterval(() => mine(1), blockIntervalMs);
    timer.unref();
  };
  const stall = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };

  const node: StartMisbehavingEvmNodeReturnType = {
    url: `http://127.0.0.1:${port}`,
    port,
    requests: [],
    errorMessage: 'header unavailable',
    head,
    finalized,
    blocks: () => byHash,
    mine,
    walkBack,
    setFinalizedLag(lag) {
      finalizedLag = lag;
    },
    failBlocks(on) {
      failing = on;
    },
    hang(on) {
      hanging = on;
    },
    stall,
    resume,
    close: () =>
      new Promise<void>((resolve) => {
        stall();
        destroySockets();
        server.close(() => resolve());
      }),
  };
  resume();
  return node;
}

function toRlpQuantity(value: bigint): Hex {
  if (value === 0n) return '0x';
  const digits = value.toString(16);
  return `0x${digits.length % 2 === 0 ? digits : `0${digits}`}`;
}
