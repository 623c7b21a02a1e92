import type { SimNode, SimProducer } from '../scenario.ts';

/**
 * The consensus-client mix of the May 2023 finality incidents, as stake shares: Prysm 38%,
 * Lighthouse 33%, Teku 18%, Nimbus 6%, Lodestar 5%. Four nodes are watched.
 */
export const finalityNetwork: { nodes: SimNode[]; producers: SimProducer[] } = {
  nodes: [
    { name: 'prysm-1', client: 'Prysm/v4.0.3', watched: true },
    { name: 'lighthouse-1', client: 'Lighthouse/v4.1.0', watched: true },
    { name: 'teku-1', client: 'Teku/v23.4.0', watched: true },
    { name: 'nimbus-1', client: 'Nimbus/v23.4.0', watched: true },
    { name: 'pool-prysm', client: 'Prysm/v4.0.3' },
    { name: 'pool-lighthouse', client: 'Lighthouse/v4.1.0' },
    { name: 'pool-lodestar', client: 'Lodestar/v1.8.0' },
  ],
  producers: [
    { name: 'prysm-a', node: 'prysm-1', weight: 10 },
    { name: 'prysm-b', node: 'pool-prysm', weight: 28 },
    { name: 'lighthouse-a', node: 'lighthouse-1', weight: 8 },
    { name: 'lighthouse-b', node: 'pool-lighthouse', weight: 25 },
    { name: 'teku-a', node: 'teku-1', weight: 18 },
    { name: 'nimbus-a', node: 'nimbus-1', weight: 6 },
    { name: 'lodestar-a', node: 'pool-lodestar', weight: 5 },
  ],
};
