import { type Abi, type Address, createPublicClient, createWalletClient, type Hex, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { toRedactedUrl } from '../../config/toRedactedUrl.ts';
import { OnchainGuardError } from './onchainGuardError.ts';
import { toOnchainGuardError } from './toOnchainGuardError.ts';

export type DeployContractParameters = {
  rpcUrl: string;
  /** The deployer's key. Never logged nor put in an error. */
  privateKey: Hex;
  abi: Abi;
  bytecode: Hex;
  args: readonly unknown[];
  /** What is deployed, for messages. */
  label: string;
  /** Per request and for the receipt. Default 60 000. */
  timeoutMs?: number;
  /** Receipt polling interval. Default 500. */
  pollingIntervalMs?: number;
};

export type DeployContractReturnType = { address: Address; txHash: Hex; blockNumber: bigint };

/**
 * Deploys a contract from a compiled artifact and waits for its receipt (`eth_sendRawTransaction`,
 * then `eth_getTransactionReceipt`). Failures are {@link OnchainGuardError}s.
 */
export async function deployContract({
  rpcUrl,
  privateKey,
  abi,
  bytecode,
  args,
  label,
  timeoutMs = 60_000,
  pollingIntervalMs = 500,
}: DeployContractParameters): Promise<DeployContractReturnType> {
  const url = toRedactedUrl(rpcUrl);
  let account: ReturnType<typeof privateKeyToAccount>;
  try {
    account = privateKeyToAccount(privateKey);
  } catch {
    throw new OnchainGuardError({
      code: 'config',
      shortMessage: `deploy ${label}: the private key is malformed`,
    });
  }
  const transport = http(rpcUrl, { timeout: timeoutMs, retryCount: 0 });
  const wallet = createWalletClient({ account, transport });
  const client = createPublicClient({ transport, pollingInterval: pollingIntervalMs });
  try {
    const txHash = await wallet.deployContract({ abi, bytecode, args, chain: null });
    const receipt = await client.waitForTransactionReceipt({ hash: txHash, timeout: timeoutMs });
    if (receipt.status !== 'success' || !receipt.contractAddress) {
      throw new OnchainGuardError({
        code: 'reverted',
        shortMessage: `deploy ${label} via ${url}: the deployment reverted`,
        details: txHash,
      });
    }
    return { address: receipt.contractAddress, txHash, blockNumber: receipt.blockNumber };
  } catch (error) {
    throw toOnchainGuardError(error, { operation: `deploy ${label}`, url, abi });
  }
}
