import type { Scenario } from '../scenario.ts';
import { toFinalityStall } from './toFinalityStall.ts';

/**
 * Canonical block present (1) or not (0) for each slot of epochs 200,551 to 200,555, mainnet,
 * 11 May 2023 (slots 6,417,632 to 6,417,791), from the reorg.pics data set in
 * shared/data/incidents/ethereum-beacon/eth_mainnet_2023-05-11_finality_incident_slots.csv.
 */
const MAY_11_PATTERN =
  '11111111111011110111000111111111' +
  '10111110110001110111011110101011' +
  '01010001000010000001011011111101' +
  '11101101000000011111111111110110' +
  '11111011011111111111010111111111';

/** Ethereum mainnet, 11 May 2023: finality lost for about four epochs. */
export const finalityLoss4: Scenario = {
  name: 'finality-loss-4',
  description:
    'Ethereum mainnet, 11 May 2023 around 20:19 UTC (eth-beacon-2023-05-11-finality-stall): Prysm and Teku ' +
    'nodes exhausted their resources validating attestations with old target checkpoints; attestation ' +
    'participation dropped in epochs 200,552 to 200,554, the chain did not finalize for 4 epochs and about ' +
    '47 blocks were missed (the longest run: 7 slots from 6,417,736). Here the Prysm validators (38% of ' +
    'stake) lose their attestations for the same three epochs, so less than 2/3 of stake attests and none ' +
    'of them is justified: the finalized checkpoint stays put for 5 epochs (the monitor counts 4 whole ' +
    'epochs without finality), then finality resumes. Proposals are missed exactly in the slots the real ' +
    'chain missed in epochs 200,551 to 200,555 (48 of 160 slots, runs of up to 7), so blocks keep coming ' +
    'with gaps: a finality stall (warning) and late blocks (a liveness warning), never a chain halt.',
  incident: 'eth-beacon-2023-05-11-finality-stall',
  chain: 'ethereum',
  preset: 'ethereum',
  consensus: 'pos',
  genesisHeight: 17_236_000n,
  ...toFinalityStall({
    durationEpochs: 11,
    pattern: MAY_11_PATTERN,
    producers: ['prysm-a', 'prysm-b'],
    restoreEpoch: 7,
  }),
  expect: {
    signals: ['finality', 'liveness'],
    epochsWithoutFinality: { min: 4, max: 5 },
    livenessSeverity: 'warning',
    maxLevel: 'caution',
  },
};
