import type { Address, Hex } from 'viem';
import { exampleOptionsMarketArtifact } from './artifacts/exampleOptionsMarketArtifact.ts';
import { type DeployContractReturnType, deployContract } from './deployContract.ts';

export type DeployExampleOptionsMarketParameters = {
  rpcUrl: string;
  /** The deployer's key. Never logged nor put in an error. */
  privateKey: Hex;
  /** The `ConsensusGuard` the market obeys. */
  guard: Address;
  /** The market's id in the guard (see `toMarketId`). */
  market: Hex;
  /** Per request and for the receipt. Default 60 000. */
  timeoutMs?: number;
};

export type DeployExampleOptionsMarketReturnType = DeployContractReturnType;

/**
 * Deploys an `ExampleOptionsMarket` that reads `guard` for `market`, and waits for the receipt.
 * For tests and demonstrations.
 */
export async function deployExampleOptionsMarket({
  rpcUrl,
  privateKey,
  guard,
  market,
  timeoutMs,
}: DeployExampleOptionsMarketParameters): Promise<DeployExampleOptionsMarketReturnType> {
  return deployContract({
    rpcUrl,
    privateKey,
    abi: exampleOptionsMarketArtifact.abi,
    bytecode: exampleOptionsMarketArtifact.bytecode,
    args: [guard, market],
    label: 'ExampleOptionsMarket',
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}
