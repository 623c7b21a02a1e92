import { HazardError } from './hazardError.ts';

/**
 * Kinds of consensus failure in the incident table (`data/incidents/incidents.json`):
 * - `reorg`: recent history rewritten;
 * - `liveness`: the chain stopped producing (usable) blocks;
 * - `finality_stall`: blocks kept coming but nothing finalized;
 * - `chain_split`: nodes or client implementations followed different chains.
 */
export const INCIDENT_KINDS = ['reorg', 'liveness', 'finality_stall', 'chain_split'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/**
 * One row of an incident table, in the table's own shape (snake_case `start_utc` as in the JSON),
 * keeping only the fields that the hazard model reads.
 */
export type IncidentRecord = {
  /** Stable identifier, e.g. `solana-2022-06-01-halt`. */
  id: string;
  /** Chain name, e.g. `ethereum`, `polygon-pos`. */
  chain: string;
  /** `mainnet`, `mainnet-beta`, `holesky testnet`, ...: only listed networks are counted. */
  network: string;
  kind: IncidentKind;
  /**
   * Start as free text beginning with an ISO date: `2022-05-25T08:55:23Z`, `2022-04-30 (Saturday)`.
   * A text that names a span (`... to ...`, `a .. b`) marks a record that aggregates many events.
   */
  start_utc: string;
  /** Figures of the incident. Read: `depth_blocks` or `depth` (reorgs), `incidents` (a count). */
  numbers?: Readonly<Record<string, unknown>>;
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIncidentKind(value: unknown): value is IncidentKind {
  return typeof value === 'string' && (INCIDENT_KINDS as readonly string[]).includes(value);
}

function requireString(row: Record<string, unknown>, key: string, index: number): string {
  const value = row[key];
  if (typeof value !== 'string' || value.length === 0) {
    throw new HazardError('invalid_incident', `incident ${index}: "${key}" must be a non-empty string`, {
      field: `[${index}].${key}`,
      value,
    });
  }
  return value;
}

/**
 * Validates an incident table (parsed JSON, e.g. a user's own file in the shape of
 * `data/incidents/incidents.json`) and keeps the fields the hazard model reads.
 *
 * @throws {HazardError} `invalid_incident` when the value is not an array of records with string
 *   `id`, `chain`, `network`, `start_utc`, a `kind` among {@link INCIDENT_KINDS}, and, when
 *   present, an object `numbers`.
 *
 * @example
 * const records = toIncidentRecords(JSON.parse(text));
 */
export function toIncidentRecords(value: unknown): IncidentRecord[] {
  if (!Array.isArray(value)) {
    throw new HazardError('invalid_incident', 'incident table must be an array of records', {
      field: '',
      value,
    });
  }
  return value.map((row: unknown, index): IncidentRecord => {
    if (!isRecord(row)) {
      throw new HazardError('invalid_incident', `incident ${index} must be an object`, {
        field: `[${index}]`,
        value: row,
      });
    }
    const kind = row.kind;
    if (!isIncidentKind(kind)) {
      throw new HazardError(
        'invalid_incident',
        `incident ${index}: "kind" must be one of ${INCIDENT_KINDS.join(', ')}, got ${String(kind)}`,
        { field: `[${index}].kind`, value: kind },
      );
    }
    const record: IncidentRecord = {
      id: requireString(row, 'id', index),
      chain: requireString(row, 'chain', index),
      network: requireString(row, 'network', index),
      kind,
      start_utc: requireString(row, 'start_utc', index),
    };
    const numbers = row.numbers;
    if (numbers !== undefined && numbers !== null) {
      if (!isRecord(numbers)) {
        throw new HazardError('invalid_incident', `incident ${index}: "numbers" must be an object`, {
          field: `[${index}].numbers`,
          value: numbers,
        });
      }
      record.numbers = numbers;
    }
    return record;
  });
}
