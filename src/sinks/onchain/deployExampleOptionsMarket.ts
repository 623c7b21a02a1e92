import type { Address, Hex } from 'viem';
import { exampleOptionsMarketArtifact } from './artifacts/exampleOptionsMarketArtifact.ts';
import { type DeployContractReturnType, deployContract } from './deployContract.ts';
import { OnchainGuardError } from './onchainGuardError.ts';

export type DeployExampleOptionsMarketParameters = {
  rpcUrl: string;
  /** The deployer's key. Never logged nor put in an error. */
  privateKey: Hex;
  /** The `ConsensusGuard` the market obeys. */
  guard: Address;
  /** The market's id in the guard (see `toMarketId`). */
  market: Hex;
  /** The longest silence of the guard, in seconds, before the market refuses new positions as at
   * `reduce_only`; a few keeper heartbeat intervals (e.g. 300 for a 60 s heartbeat). At least 1. */
  maxStalenessSeconds: number;
  /** Per request and for the receipt. Default 60 000. */
  timeoutMs?: number;
};

export type DeployExampleOptionsMarketReturnType = DeployContractReturnType;

/**
 * Deploys an `ExampleOptionsMarket` that reads `guard` for `market` and refuses new positions while
 * the guard is silent for longer than `maxStalenessSeconds`, and waits for the receipt. For tests
 * and demonstrations. Rejects with `reverted` / `ZeroStaleness` for a staleness of 0.
 */
export async function deployExampleOptionsMarket({
  rpcUrl,
  privateKey,
  guard,
  market,
  maxStalenessSeconds,
  timeoutMs,
}: DeployExampleOptionsMarketParameters): Promise<DeployExampleOptionsMarketReturnType> {
  if (!Number.isSafeInteger(maxStalenessSeconds) || maxStalenessSeconds < 0) {
    throw new OnchainGuardError({
      code: 'config',
      shortMessage: `deploy ExampleOptionsMarket: maxStalenessSeconds must be a whole number of seconds, got ${maxStalenessSeconds}`,
    });
  }
  return deployContract({
    rpcUrl,
    privateKey,
    abi: exampleOptionsMarketArtifact.abi,
    bytecode: exampleOptionsMarketArtifact.bytecode,
    args: [guard, market, BigInt(maxStalenessSeconds)],
    label: 'ExampleOptionsMarket',
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}
