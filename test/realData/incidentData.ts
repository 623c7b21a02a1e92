import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCsv, parseCsvRecords } from './parseCsv.ts';
import type { ArrivalRow, BitcoinArrivalInput, StaleHeader } from './toBitcoinArrivalLog.ts';
import type { SlotRow } from './toEthereumSlotLog.ts';

/** data/incidents/ in this repository (copies of the public datasets, see SOURCES.md there). */
export const INCIDENT_DATA_DIR = fileURLToPath(new URL('../../data/incidents/', import.meta.url));

export function readIncidentFile(relativePath: string): string {
  return readFileSync(INCIDENT_DATA_DIR + relativePath, 'utf8');
}

/** A block-arrival-times file: `height,hash,arrival_ms`, no header row. */
export function toArrivalRows(text: string): ArrivalRow[] {
  return parseCsv(text).map((fields, index) => {
    const [height, hash, arrivalMs] = fields;
    if (fields.length !== 3 || !/^\d+$/.test(height ?? '') || !/^[0-9a-f]{64}$/.test(hash ?? '')) {
      throw new Error(`arrival file line ${index + 1}: ${fields.join(',')}`);
    }
    return { height: BigInt(height!), hash: hash!, arrivalMs: Number(arrivalMs) };
  });
}

/** The decoded stale-blocks file. */
export function toStaleHeaders(text: string): StaleHeader[] {
  return parseCsvRecords(text).map((r) => ({
    height: BigInt(r.height!),
    hash: r.hash!,
    prevHash: r.prev_hash!,
    timestamp: Number(r.header_time_unix),
  }));
}

/** The two 2023 Bitcoin nodes and the stale blocks of their period. */
export function readBitcoinArrivalInput(): BitcoinArrivalInput {
  return {
    nodes: ['darosior_node0', 'vostrnad_node1'].map((name) => ({
      name,
      arrivals: toArrivalRows(readIncidentFile(`bitcoin/block-arrival-times_${name}.csv`)),
    })),
    staleHeaders: toStaleHeaders(readIncidentFile('bitcoin/stale_blocks_subset_h777550-820819_decoded.csv')),
  };
}

/** A finality-incident slot file (one row per slot). */
export function toSlotRows(text: string): SlotRow[] {
  return parseCsvRecords(text).map((r) => ({
    slot: Number(r.slot),
    slotStartUnix: Number(r.slot_start_unix),
    canonical: r.canonical_block_present === '1',
  }));
}
