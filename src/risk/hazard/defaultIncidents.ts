import table from '../../../data/incidents/incidents.json' with { type: 'json' };
import type { ObservationWindow } from './estimateIncidentRates.ts';
import { type IncidentRecord, toIncidentRecords } from './toIncidentRecords.ts';

/**
 * The incident table shipped with the package (`data/incidents/incidents.json`, sources in
 * `data/incidents/SOURCES.md`), validated by {@link toIncidentRecords}. Read-only.
 */
export const DEFAULT_INCIDENTS: readonly IncidentRecord[] = Object.freeze(
  toIncidentRecords(table).map((record) => Object.freeze(record)),
);

/** End of the default windows: the table lists incidents up to December 2025. */
export const DEFAULT_INCIDENTS_END_MS = Date.UTC(2026, 0, 1);

/**
 * Default observation windows of the shipped table, from each chain's mainnet launch to
 * {@link DEFAULT_INCIDENTS_END_MS}:
 * - `bitcoin`: genesis block, 2009-01-03;
 * - `ethereum`: Frontier, 2015-07-30 (proof of work until the Merge, then proof of stake);
 * - `gnosis`: launch of the xDai chain, October 2018 (taken as 2018-10-01);
 * - `polygon-pos`: Matic mainnet, 2020-05-31;
 * - `solana`: mainnet-beta, 2020-03-16.
 * The table is curated, not exhaustive: rates estimated from it are lower bounds of what a complete
 * record would give. Pass your own windows (and records) to `estimateIncidentRates` to change this.
 */
export const DEFAULT_OBSERVATION_WINDOWS: Readonly<Record<string, ObservationWindow>> = Object.freeze({
  bitcoin: Object.freeze({ startMs: Date.UTC(2009, 0, 3), endMs: DEFAULT_INCIDENTS_END_MS }),
  ethereum: Object.freeze({ startMs: Date.UTC(2015, 6, 30), endMs: DEFAULT_INCIDENTS_END_MS }),
  gnosis: Object.freeze({ startMs: Date.UTC(2018, 9, 1), endMs: DEFAULT_INCIDENTS_END_MS }),
  'polygon-pos': Object.freeze({ startMs: Date.UTC(2020, 4, 31), endMs: DEFAULT_INCIDENTS_END_MS }),
  solana: Object.freeze({ startMs: Date.UTC(2020, 2, 16), endMs: DEFAULT_INCIDENTS_END_MS }),
});
