import { SourceError } from '../source.ts';

/** A beacon block header the light client checked, with its root recomputed from its fields. */
export type VerifiedHeader = { slot: bigint; root: string; parentRoot: string; stateRoot: string };

export type CreateLightClientVerifierParameters = {
  /** `GET /eth/v1/config/spec` `data`: the preset (`PRESET_BASE`) and the fork schedule. */
  spec: Record<string, unknown>;
  /** `GET /eth/v1/beacon/genesis` `genesis_validators_root`, 0x-hex: part of the signing domain. */
  genesisValidatorsRoot: string;
  /** The block root the operator trusts (config `trustedCheckpointRoot`), 0x-hex. Never from the node. */
  trustedCheckpointRoot: string;
  /** `GET /eth/v1/beacon/light_client/bootstrap/{trustedCheckpointRoot}` `data`, as the node served it. */
  bootstrap: unknown;
};

export type LightClientVerifier = {
  /** Slots in a sync committee period (EPOCHS_PER_SYNC_COMMITTEE_PERIOD x SLOTS_PER_EPOCH). */
  readonly slotsPerPeriod: number;
  readonly slotsPerEpoch: number;
  /** Whether the committee that signs at `signatureSlot` is known (from the bootstrap or a verified update). */
  knowsCommitteeAt(signatureSlot: number): boolean;
  /** Verifies a `LightClientOptimisticUpdate` (JSON, without envelope); returns its attested header. */
  verifyOptimisticUpdate(update: unknown, currentSlot: number): VerifiedHeader;
  /** Verifies a `LightClientFinalityUpdate`; returns its attested and its finalized header. */
  verifyFinalityUpdate(
    update: unknown,
    currentSlot: number,
  ): { attested: VerifiedHeader; finalized: VerifiedHeader };
  /** Verifies a `LightClientUpdate` (from `light_client/updates`) and learns the next sync committee. */
  verifySyncCommitteeUpdate(update: unknown, currentSlot: number): void;
  /** The root of a beacon block header given as the Beacon API serves it (`slot`, `proposer_index`, ...). */
  toHeaderRoot(header: unknown): string;
};

type Lodestar = {
  preset: string;
  params: typeof import('@lodestar/params');
  config: typeof import('@lodestar/config');
  configs: typeof import('@lodestar/config/configs');
  types: typeof import('@lodestar/types');
  lightClient: typeof import('@lodestar/light-client');
  spec: typeof import('@lodestar/light-client/spec');
};
let loading: Promise<Lodestar> | undefined;

/**
 * Loads `@lodestar/*` with the preset of the chain. The preset is fixed for the whole process once
 * `@lodestar/params` loads (Lodestar's rule), so a second chain with another preset is refused.
 */
async function loadLodestar(preset: string): Promise<Lodestar> {
  loading ??= (async () => {
    const { setActivePreset } = await import('@lodestar/params/setPreset');
    setActivePreset(preset as Parameters<typeof setActivePreset>[0]);
    const [params, config, configs, types, lightClient, spec] = await Promise.all([
      import('@lodestar/params'),
      import('@lodestar/config'),
      import('@lodestar/config/configs'),
      import('@lodestar/types'),
      import('@lodestar/light-client'),
      import('@lodestar/light-client/spec'),
    ]);
    return { preset, params, config, configs, types, lightClient, spec };
  })();
  const lodestar = await loading;
  if (lodestar.preset !== preset)
    throw new SourceError({
      code: 'invalid_response',
      shortMessage: `light client: preset ${preset} asked, but this process verifies the ${lodestar.preset} preset (one preset per process)`,
    });
  return lodestar;
}

const fromHex = (hex: string) => Uint8Array.from(Buffer.from(hex.replace(/^0x/, ''), 'hex'));
const toHex = (bytes: Uint8Array) => `0x${Buffer.from(bytes).toString('hex')}`;

function fail(what: string, cause: unknown): never {
  throw new SourceError({
    code: 'light_client',
    shortMessage: `${what}: ${(cause as Error | undefined)?.message ?? String(cause)}`,
    cause,
  });
}

/**
 * The Altair light-client protocol over Beacon API answers, through `@lodestar/light-client`: the
 * bootstrap must hash to the trusted checkpoint root and prove its sync committee against its state
 * root (`validateLightClientBootstrap`, run by `Lightclient.initializeFromCheckpointRoot`); every
 * update goes through the spec's `process_light_client_update` (`LightclientSpec`): the sync
 * committee of its period signed its attested header (BLS, `@chainsafe/blst`), with Merkle branches
 * for the finalized header and the next committee. A failure throws a `SourceError` with code
 * `light_client`; an answer of the wrong shape, `invalid_response`.
 *
 * @example
 * const verifier = await createLightClientVerifier({ spec, genesisValidatorsRoot, trustedCheckpointRoot, bootstrap })
 * const head = verifier.verifyOptimisticUpdate(update, currentSlot) // { slot, root, ... }
 */
export async function createLightClientVerifier(
  parameters: CreateLightClientVerifierParameters,
): Promise<LightClientVerifier> {
  const preset = typeof parameters.spec.PRESET_BASE === 'string' ? parameters.spec.PRESET_BASE : 'mainnet';
  const lodestar = await loadLodestar(preset);
  const { ssz, sszTypesFor } = lodestar.types;
  const base =
    preset === 'minimal' ? lodestar.configs.minimalChainConfig : lodestar.configs.mainnetChainConfig;
  let config: ReturnType<typeof lodestar.config.createBeaconConfig>;
  try {
    config = lodestar.config.createBeaconConfig(
      { ...base, ...lodestar.config.chainConfigFromJson(parameters.spec) },
      fromHex(parameters.genesisValidatorsRoot),
    );
  } catch (cause) {
    throw new SourceError({
      code: 'invalid_response',
      shortMessage: 'config/spec: not a chain config',
      cause,
    });
  }
  const slotsPerEpoch = lodestar.params.SLOTS_PER_EPOCH;
  const slotsPerPeriod = slotsPerEpoch * lodestar.params.EPOCHS_PER_SYNC_COMMITTEE_PERIOD;
  type Types = ReturnType<typeof sszTypesFor>;
  const typesAt = (slot: number) => sszTypesFor(config.getForkName(slot)) as Types;
  const parse = <T>(what: string, read: () => T): T => {
    try {
      return read();
    } catch (cause) {
      throw new SourceError({ code: 'invalid_response', shortMessage: `${what}: wrong shape`, cause });
    }
  };
  const slotOf = (json: unknown, key: string) => {
    const value = (json as Record<string, unknown> | null)?.[key];
    return typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : 0;
  };
  const toVerified = (header: {
    beacon: { slot: number; parentRoot: Uint8Array; stateRoot: Uint8Array };
  }) => ({
    slot: BigInt(header.beacon.slot),
    root: toHex(ssz.phase0.BeaconBlockHeader.hashTreeRoot(header.beacon as never)),
    parentRoot: toHex(header.beacon.parentRoot),
    stateRoot: toHex(header.beacon.stateRoot),
  });

  const bootstrap = parse('light_client/bootstrap', () => {
    const slot = Number(
      (parameters.bootstrap as { header?: { beacon?: { slot?: string } } })?.header?.beacon?.slot,
    );
    return (
      typesAt(Number.isSafeInteger(slot) ? slot : 0) as {
        LightClientBootstrap: { fromJson(j: unknown): unknown };
      }
    ).LightClientBootstrap.fromJson(parameters.bootstrap);
  });
  try {
    await lodestar.lightClient.Lightclient.initializeFromCheckpointRoot({
      config,
      genesisData: { genesisTime: 0, genesisValidatorsRoot: parameters.genesisValidatorsRoot },
      transport: { getBootstrap: async () => ({ data: bootstrap }) } as never,
      checkpointRoot: fromHex(parameters.trustedCheckpointRoot),
    });
  } catch (cause) {
    fail('light_client/bootstrap does not prove the trusted checkpoint', cause);
  }
  const client = new lodestar.spec.LightclientSpec(config, { allowForcedUpdates: false }, bootstrap as never);

  const decode = (what: string, type: string, update: unknown) =>
    parse(what, () =>
      (
        (
          typesAt(slotOf(update, 'signature_slot')) as unknown as Record<
            string,
            { fromJson(j: unknown): unknown }
          >
        )[type] as { fromJson(j: unknown): unknown }
      ).fromJson(update),
    ) as never;

  return {
    slotsPerPeriod,
    slotsPerEpoch,
    knowsCommitteeAt(signatureSlot) {
      const period = Math.floor(signatureSlot / slotsPerPeriod);
      return client.store.syncCommittees.has(period) || client.store.bestValidUpdates.has(period - 1);
    },
    verifyOptimisticUpdate(json, currentSlot) {
      const update = decode('optimistic update', 'LightClientOptimisticUpdate', json) as {
        attestedHeader: Parameters<typeof toVerified>[0];
      };
      try {
        client.onOptimisticUpdate(currentSlot, update as never);
      } catch (cause) {
        fail('optimistic update fails verification', cause);
      }
      return toVerified(update.attestedHeader);
    },
    verifyFinalityUpdate(json, currentSlot) {
      const update = decode('finality update', 'LightClientFinalityUpdate', json) as {
        attestedHeader: Parameters<typeof toVerified>[0];
        finalizedHeader: Parameters<typeof toVerified>[0];
      };
      try {
        client.onFinalityUpdate(currentSlot, update as never);
      } catch (cause) {
        fail('finality update fails verification', cause);
      }
      return { attested: toVerified(update.attestedHeader), finalized: toVerified(update.finalizedHeader) };
    },
    verifySyncCommitteeUpdate(json, currentSlot) {
      const update = decode('sync committee update', 'LightClientUpdate', json);
      try {
        client.onUpdate(currentSlot, update);
      } catch (cause) {
        fail('sync committee update fails verification', cause);
      }
    },
    toHeaderRoot(header) {
      const beacon = parse('header', () => ssz.phase0.BeaconBlockHeader.fromJson(header));
      return toHex(ssz.phase0.BeaconBlockHeader.hashTreeRoot(beacon));
    },
  };
}
