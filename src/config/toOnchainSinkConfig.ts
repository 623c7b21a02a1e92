import type { Hex } from 'viem';
import type { z } from 'zod';
import { toMarketId } from '../sinks/onchain/toMarketId.ts';
import type { onchainSinkSchema } from './configSchema.ts';
import type { ConfigReader } from './createConfigReader.ts';
import type { OnchainSinkConfig } from './guardConfig.ts';
import { toChecksumAddress } from './toChecksumAddress.ts';
import { toRedactedUrl } from './toRedactedUrl.ts';

/** secp256k1's group order: a private key is in [1, n - 1]. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/**
 * The keeper of `sinks` into its {@link OnchainSinkConfig}; each problem is an issue under `path`.
 * `breakerNames` are the engine's breakers, which `markets` must name.
 */
export function toOnchainSinkConfig(
  sink: z.infer<typeof onchainSinkSchema>,
  path: string,
  read: ConfigReader,
  breakerNames: ReadonlySet<string>,
  issues: string[],
): OnchainSinkConfig {
  const rpcUrl = read.url(sink.rpcUrl, `${path}.rpcUrl`, {
    protocols: ['http:', 'https:'],
    wrongProtocol: (protocol) => `the on-chain guard takes http:// or https:// URLs, got ${protocol}//`,
  });
  const displayUrl = toRedactedUrl(sink.rpcUrl);

  const guardAddress = toChecksumAddress(sink.guardAddress, `${path}.guardAddress`, issues);

  let privateKey = '0x' as Hex;
  const key = read
    .env(sink.privateKeyEnv, `${path}.privateKeyEnv`, ": it must hold the keeper's private key")
    ?.trim();
  if (key !== undefined) {
    const keyHex = key.startsWith('0x') ? key : `0x${key}`;
    if (!/^0x[0-9a-fA-F]{64}$/.test(keyHex)) {
      issues.push(
        `${path}.privateKeyEnv: environment variable ${sink.privateKeyEnv} does not hold a private key (32 bytes of hex)`,
      );
    } else if (BigInt(keyHex) === 0n || BigInt(keyHex) >= SECP256K1_N) {
      issues.push(
        `${path}.privateKeyEnv: environment variable ${sink.privateKeyEnv} does not hold a valid secp256k1 private key`,
      );
    } else privateKey = keyHex as Hex;
  }

  const markets: Record<string, Hex> = {};
  const breakerOfMarket = new Map<Hex, string>();
  for (const [breaker, market] of Object.entries(sink.markets)) {
    const field = `${path}.markets.${breaker}`;
    if (!breakerNames.has(breaker)) {
      issues.push(`${field}: unknown breaker "${breaker}": the breakers are ${[...breakerNames].join(', ')}`);
    }
    let id: Hex;
    if (/^0x[0-9a-fA-F]{64}$/.test(market)) id = market.toLowerCase() as Hex;
    else if (/^0x[0-9a-fA-F]*$/.test(market)) {
      issues.push(
        `${field}: "${market}" is not a market id: give 32 bytes of hex (0x and 64 hex digits), or a market name`,
      );
      continue;
    } else id = toMarketId(market);
    const other = breakerOfMarket.get(id);
    if (other !== undefined) {
      issues.push(
        `${field}: market "${market}" is already the market of breaker "${other}": each market follows one breaker`,
      );
    }
    breakerOfMarket.set(id, breaker);
    markets[breaker] = id;
  }

  const out: OnchainSinkConfig = {
    name: sink.name,
    kind: 'onchain',
    rpcUrl,
    displayUrl,
    guardAddress,
    privateKeyEnv: sink.privateKeyEnv,
    privateKey,
    markets,
  };
  if (sink.confirmations !== undefined) out.confirmations = sink.confirmations;
  if (sink.timeoutMs !== undefined) out.timeoutMs = sink.timeoutMs;
  if (sink.heartbeatIntervalMs !== undefined) out.heartbeatIntervalMs = sink.heartbeatIntervalMs;
  return out;
}
