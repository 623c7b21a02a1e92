import type { Address, Hex } from 'viem';
import { consensusGuardArtifact } from './artifacts/consensusGuardArtifact.ts';
import { type DeployContractReturnType, deployContract } from './deployContract.ts';

export type DeployGuardParameters = {
  rpcUrl: string;
  /** The deployer's key; the deployer becomes the owner. Never logged nor put in an error. */
  privateKey: Hex;
  /** The account allowed to change levels. */
  keeper: Address;
  /** Per request and for the receipt. Default 60 000. */
  timeoutMs?: number;
};

export type DeployGuardReturnType = DeployContractReturnType;

/**
 * Deploys a `ConsensusGuard` owned by the deployer with `keeper` as its keeper, and waits for the
 * receipt. For tests and deployment scripts.
 *
 * @example
 * const { address } = await deployGuard({ rpcUrl, privateKey, keeper: '0x…' })
 */
export async function deployGuard({
  rpcUrl,
  privateKey,
  keeper,
  timeoutMs,
}: DeployGuardParameters): Promise<DeployGuardReturnType> {
  return deployContract({
    rpcUrl,
    privateKey,
    abi: consensusGuardArtifact.abi,
    bytecode: consensusGuardArtifact.bytecode,
    args: [keeper],
    label: 'ConsensusGuard',
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}
