import type { Scenario } from '../scenario.ts';
import { toFinalityStall } from './toFinalityStall.ts';

/**
 * Canonical block present (1) or not (0) for each slot of epochs 200,750 to 200,760, mainnet,
 * 12 May 2023 (slots 6,424,000 to 6,424,351), from the reorg.pics data set in
 * shared/data/incidents/ethereum-beacon/eth_mainnet_2023-05-12_finality_incident_slots.csv.
 */
const MAY_12_PATTERN =
  '11111010110110100111011101011111' +
  '01011010000001011100100011100100' +
  '11110010001010001010000010011001' +
  '01000010100011101100011000101011' +
  '00110111111001010111110001001010' +
  '11001011010101010010011101100111' +
  '10011111011100000010101001110111' +
  '00010001010011000100001010101001' +
  '01110000011111001000101011000101' +
  '01110111111101111111010111110001' +
  '11111110111111011111110110101111';

const AFFECTED = ['prysm-a', 'prysm-b', 'teku-a'];

/** Ethereum mainnet, 12 May 2023: finality lost for nine epochs, with an inactivity leak. */
export const finalityLoss9: Scenario = {
  name: 'finality-loss-9',
  description:
    'Ethereum mainnet, 12 May 2023 from about 17:20 UTC (eth-beacon-2023-05-12-finality-stall-inactivity-leak): ' +
    'the same Prysm and Teku resource exhaustion as the day before, longer: no finality for 9 epochs, ' +
    'participation down to 30.7% in the worst epoch, about 149 missed blocks and an inactivity leak. Here the ' +
    'Prysm and Teku validators (56% of stake) lose their attestations for eight epochs (200,751 to 200,758, ' +
    'the epochs of the longest missed-slot runs); the finalized checkpoint stays put for 10 epochs and the ' +
    'monitor counts 9 whole epochs without finality (critical from 6). Proposals are missed exactly in the ' +
    'slots the real chain missed in epochs 200,750 to 200,760 (158 of 352 slots, runs of up to 6): late ' +
    'blocks (a liveness warning), never a chain halt. The inactivity leak is not modeled.',
  incident: 'eth-beacon-2023-05-12-finality-stall-inactivity-leak',
  chain: 'ethereum',
  preset: 'ethereum',
  consensus: 'pos',
  genesisHeight: 17_242_000n,
  ...toFinalityStall({ durationEpochs: 18, pattern: MAY_12_PATTERN, producers: AFFECTED, restoreEpoch: 12 }),
  expect: {
    signals: ['finality', 'liveness'],
    epochsWithoutFinality: { min: 8, max: 10 },
    livenessSeverity: 'warning',
    minLevel: 'reduce_only',
  },
};
