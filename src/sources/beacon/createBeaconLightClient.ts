import { SourceError } from '../source.ts';
import {
  createLightClientVerifier,
  type LightClientVerifier,
  type VerifiedHeader,
} from './createLightClientVerifier.ts';
import { toData, toSignatureSlot } from './toBeaconAnswer.ts';

export type CreateBeaconLightClientParameters = {
  /** Block root (0x-hex, lower case) the operator trusts. */
  trustedCheckpointRoot: string;
  /** The node's URL, redacted, for messages. */
  redacted: string;
  /** GET of a Beacon API path, parsed. */
  get: (path: string) => Promise<{ body: unknown }>;
  /** The chain's spec and genesis validators root, learnt from the node. */
  basics: () => Promise<{ spec: Record<string, unknown>; genesisValidatorsRoot: string }>;
  /** The slot of the clock, one ahead for clock disparity. */
  currentSlot: () => number;
};

export type BeaconLightClient = {
  /** The verifier once bootstrapped (headers of ancestors are checked with it). */
  verifier(): LightClientVerifier | undefined;
  /** The attested header of an optimistic update the sync committee signed. */
  verifyOptimistic(update: unknown, what: string): Promise<VerifiedHeader>;
  /** The finalized header of a verified finality update, and the chain's slots per epoch. */
  verifyFinality(
    update: unknown,
    what: string,
  ): Promise<{ finalized: VerifiedHeader; slotsPerEpoch: number }>;
};

/**
 * The light client of a Beacon source with a trusted checkpoint: bootstrapped from the trusted
 * root once that succeeds, it learns the committees of later periods from `light_client/updates`
 * and verifies updates; a failure is a {@link SourceError} that names the answer and the node.
 */
export function createBeaconLightClient(parameters: CreateBeaconLightClientParameters): BeaconLightClient {
  const { trustedCheckpointRoot: trusted, redacted, get, currentSlot } = parameters;
  let verifier: LightClientVerifier | undefined;

  /** A light-client failure names the node, the answer and the check. */
  const atNode = (error: unknown, what: string) =>
    error instanceof SourceError
      ? new SourceError({
          code: error.code,
          shortMessage: `${what} from ${redacted}: ${error.code === 'light_client' ? 'light-client check failed: ' : ''}${error.shortMessage}`,
          cause: error,
        })
      : error;

  /** Bootstraps the light client from the trusted root (once it succeeds). */
  const ensureVerifier = async (): Promise<LightClientVerifier> => {
    const basics = await parameters.basics();
    if (verifier) return verifier;
    const { body } = await get(`/eth/v1/beacon/light_client/bootstrap/${trusted}`);
    verifier = await createLightClientVerifier({
      spec: basics.spec,
      genesisValidatorsRoot: basics.genesisValidatorsRoot,
      trustedCheckpointRoot: trusted,
      bootstrap: toData(body),
    }).catch((error: unknown) => {
      throw atNode(error, `light_client/bootstrap/${trusted.slice(0, 18)}`);
    });
    return verifier;
  };

  /** Learns the committee that signs at `signatureSlot` from `light_client/updates`, if unknown. */
  const ensureCommittee = async (lc: LightClientVerifier, signatureSlot: number) => {
    if (lc.knowsCommitteeAt(signatureSlot)) return;
    const period = Math.floor(signatureSlot / lc.slotsPerPeriod);
    const { body } = await get(`/eth/v1/beacon/light_client/updates?start_period=${period - 1}&count=1`);
    const list = Array.isArray(body) ? body : ((body as { data?: unknown })?.data ?? []);
    for (const item of Array.isArray(list) ? list : []) {
      try {
        lc.verifySyncCommitteeUpdate(toData(item), currentSlot());
      } catch (error) {
        throw atNode(error, `light_client/updates period ${period - 1}`);
      }
    }
  };

  /** Runs `verify` with a verifier that knows the committee that signed `update`. */
  const withCommittee = async <T>(update: unknown, what: string, verify: (lc: LightClientVerifier) => T) => {
    const lc = await ensureVerifier();
    await ensureCommittee(lc, toSignatureSlot(update));
    try {
      return verify(lc);
    } catch (error) {
      throw atNode(error, what);
    }
  };

  return {
    verifier: () => verifier,
    verifyOptimistic: (update, what) =>
      withCommittee(update, what, (lc) => lc.verifyOptimisticUpdate(update, currentSlot())),
    verifyFinality: (update, what) =>
      withCommittee(update, what, (lc) => ({
        finalized: lc.verifyFinalityUpdate(update, currentSlot()).finalized,
        slotsPerEpoch: lc.slotsPerEpoch,
      })),
  };
}
