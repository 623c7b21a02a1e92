import {
  type BlockObservation,
  type CheckpointKind,
  type CheckpointObservation,
  type ErrorObservation,
  type Hash,
  type Observation,
  type TickObservation,
  toHash,
} from '../../core/observation.ts';

/** A line of an observation log that could not be read, with its 1-based line number. */
export type ObservationLineError = { line: number; message: string };

export type ParseObservationReturnType =
  | { ok: true; observation: Observation }
  | { ok: false; error: ObservationLineError };

/** Every field name of the log format, in the order {@link toObservationLine} writes them. */
export const OBSERVATION_FIELDS = [
  'type',
  'chain',
  'node',
  'client',
  'location',
  'number',
  'hash',
  'parentHash',
  'timestamp',
  'observedAtMs',
  'kind',
  'epoch',
  'code',
  'message',
  'latencyMs',
  'chainwork',
  'location',
] as const;

const KNOWN_FIELDS: Readonly<Record<string, true>> = Object.freeze(
  Object.fromEntries(OBSERVATION_FIELDS.map((f) => [f, true as const])),
);

const BLOCK_FIELDS = toFieldSet([
  'type',
  'chain',
  'node',
  'client',
  'location',
  'number',
  'hash',
  'parentHash',
  'timestamp',
  'observedAtMs',
  'latencyMs',
  'chainwork',
]);
const FIELDS_BY_TYPE: Readonly<Record<Observation['type'], Readonly<Record<string, true>>>> = Object.freeze({
  head: BLOCK_FIELDS,
  block: BLOCK_FIELDS,
  checkpoint: toFieldSet([
    'type',
    'chain',
    'node',
    'client',
    'location',
    'kind',
    'number',
    'epoch',
    'hash',
    'observedAtMs',
  ]),
  error: toFieldSet([
    'type',
    'chain',
    'node',
    'client',
    'location',
    'code',
    'message',
    'observedAtMs',
    'latencyMs',
  ]),
  tick: toFieldSet(['type', 'chain', 'observedAtMs']),
});

const CHECKPOINT_KINDS: Readonly<Record<string, CheckpointKind>> = Object.freeze({
  finalized: 'finalized',
  safe: 'safe',
  justified: 'justified',
});

const HEX = /^(?:0[xX])?[0-9a-fA-F]+$/;
const DECIMAL = /^(?:0|[1-9][0-9]*)$/;

/**
 * Parses one line of an observation log (JSON Lines, docs/formats.md) into an {@link Observation}.
 * Every field is checked: its type, its presence for the observation's `type`, non-negative
 * integers for `number` and `epoch`, non-negative finite numbers for times, hex for hashes. Hashes
 * are normalized with {@link toHash}; `number` may be a JSON number or a decimal string and
 * becomes a `bigint`. `null` stands for an absent optional field. Never throws.
 *
 * @param line One line, without its line break (a trailing `\r` is tolerated).
 * @param lineNumber Its 1-based line number, carried into the error.
 * @example
 * parseObservation('{"type":"tick","observedAtMs":1700000000000}', 1)
 * // { ok: true, observation: { type: 'tick', observedAtMs: 1700000000000 } }
 */
export function parseObservation(line: string, lineNumber: number): ParseObservationReturnType {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    return { ok: false, error: { line: lineNumber, message: `not valid JSON (${detail})` } };
  }
  try {
    const observation = toObservation(value);
    return { ok: true, observation };
  } catch (thrown) {
    if (thrown instanceof LineError)
      return { ok: false, error: { line: lineNumber, message: thrown.message } };
    throw thrown;
  }
}

/** A check failure inside this module: a plain object, so no stack trace is captured. */
class LineError {
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
}

function toObservation(value: unknown): Observation {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LineError(`expected a JSON object, got ${describe(value)}`);
  }
  const record = value as Record<string, unknown>;
  const type = record.type;
  if (type === undefined) throw new LineError('missing field "type"');
  if (type !== 'head' && type !== 'block' && type !== 'checkpoint' && type !== 'error' && type !== 'tick') {
    throw new LineError(
      `field "type" must be one of head, block, checkpoint, error, tick, got ${describe(type)}`,
    );
  }
  let keys = 0;
  for (const _ in record) keys += 1;
  if (keys !== toExpectedKeys(record, type)) assertKnownFields(record, type);
  switch (type) {
    case 'head':
    case 'block': {
      const observation: BlockObservation = {
        type,
        chain: readName(record, 'chain'),
        node: readName(record, 'node'),
        number: readNumber(record),
        hash: readHash(record, 'hash'),
        parentHash: readHash(record, 'parentHash'),
        timestamp: readTime(record, 'timestamp'),
        observedAtMs: readTime(record, 'observedAtMs'),
      };
      const client = readClient(record);
      if (client !== undefined) observation.client = client;
      if (record.location !== undefined && record.location !== null)
        observation.location = readName(record, 'location');
      const latencyMs = readLatency(record);
      if (latencyMs !== undefined) observation.latencyMs = latencyMs;
      const chainwork = readChainwork(record);
      if (chainwork !== undefined) observation.chainwork = chainwork;
      return observation;
    }
    case 'checkpoint': {
      const kindValue = record.kind;
      if (kindValue === undefined) throw new LineError('missing field "kind"');
      const kind = typeof kindValue === 'string' ? CHECKPOINT_KINDS[kindValue] : undefined;
      if (kind === undefined) {
        throw new LineError(
          `field "kind" must be one of finalized, safe, justified, got ${describe(kindValue)}`,
        );
      }
      const observation: CheckpointObservation = {
        type,
        chain: readName(record, 'chain'),
        node: readName(record, 'node'),
        kind,
        hash: readHash(record, 'hash'),
        observedAtMs: readTime(record, 'observedAtMs'),
      };
      const client = readClient(record);
      if (client !== undefined) observation.client = client;
      if (record.location !== undefined && record.location !== null)
        observation.location = readName(record, 'location');
      if (record.number !== undefined && record.number !== null) observation.number = readNumber(record);
      const epoch = record.epoch;
      if (epoch !== undefined && epoch !== null) {
        if (typeof epoch !== 'number' || !Number.isSafeInteger(epoch) || epoch < 0) {
          throw new LineError(`field "epoch" must be a non-negative integer, got ${describe(epoch)}`);
        }
        observation.epoch = epoch;
      }
      return observation;
    }
    case 'error': {
      const message = record.message;
      if (message === undefined) throw new LineError('missing field "message"');
      if (typeof message !== 'string') {
        throw new LineError(`field "message" must be a string, got ${describe(message)}`);
      }
      const observation: ErrorObservation = {
        type,
        chain: readName(record, 'chain'),
        node: readName(record, 'node'),
        code: readName(record, 'code'),
        message,
        observedAtMs: readTime(record, 'observedAtMs'),
      };
      const client = readClient(record);
      if (client !== undefined) observation.client = client;
      if (record.location !== undefined && record.location !== null)
        observation.location = readName(record, 'location');
      const latencyMs = readLatency(record);
      if (latencyMs !== undefined) observation.latencyMs = latencyMs;
      return observation;
    }
    case 'tick': {
      const observation: TickObservation = { type, observedAtMs: readTime(record, 'observedAtMs') };
      if (record.chain !== undefined && record.chain !== null) observation.chain = readName(record, 'chain');
      return observation;
    }
  }
}

/**
 * The number of keys a record has when every field it carries belongs to its type: the required
 * fields plus the optional ones present. Counting keys is much cheaper than checking each name.
 */
function toExpectedKeys(record: Record<string, unknown>, type: Observation['type']): number {
  switch (type) {
    case 'head':
    case 'block':
      return 8 + +(record.client !== undefined) + +(record.latencyMs !== undefined);
    case 'checkpoint':
      return (
        6 + +(record.client !== undefined) + +(record.number !== undefined) + +(record.epoch !== undefined)
      );
    case 'error':
      return 6 + +(record.client !== undefined) + +(record.latencyMs !== undefined);
    case 'tick':
      return 2 + +(record.chain !== undefined);
  }
}

/** Throws on the first field that is unknown, or known but not of this type (unless `null`). */
function assertKnownFields(record: Record<string, unknown>, type: Observation['type']): void {
  const allowed = FIELDS_BY_TYPE[type];
  for (const key in record) {
    if (allowed[key] === true) continue;
    if (KNOWN_FIELDS[key] === true) {
      if (record[key] === null) continue;
      throw new LineError(`field "${key}" does not belong to a ${type} observation`);
    }
    throw new LineError(`unknown field ${JSON.stringify(key)}`);
  }
}

function readName(record: Record<string, unknown>, field: string): string {
  const value = record[field];
  if (typeof value === 'string' && value.length > 0) return value;
  if (value === undefined) throw new LineError(`missing field "${field}"`);
  throw new LineError(`field "${field}" must be a non-empty string, got ${describe(value)}`);
}

function readClient(record: Record<string, unknown>): string | undefined {
  const value = record.client;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  throw new LineError(`field "client" must be a string, got ${describe(value)}`);
}

function readNumber(record: Record<string, unknown>): bigint {
  const value = record.number;
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return BigInt(value);
    if (Number.isInteger(value) && value > 0) {
      throw new LineError(
        'field "number" is above 2^53 - 1 and loses precision as a JSON number: write it as a decimal string',
      );
    }
  } else if (typeof value === 'string' && DECIMAL.test(value)) {
    return BigInt(value);
  } else if (value === undefined) {
    throw new LineError('missing field "number"');
  }
  throw new LineError(
    `field "number" must be a non-negative integer or a decimal string, got ${describe(value)}`,
  );
}

function readHash(record: Record<string, unknown>, field: string): Hash {
  const value = record[field];
  if (typeof value === 'string') {
    if (isLowerHex(value)) return value;
    if (HEX.test(value)) return toHash(value);
  }
  if (value === undefined) throw new LineError(`missing field "${field}"`);
  throw new LineError(`field "${field}" must be a hex string (with or without 0x), got ${describe(value)}`);
}

function readTime(record: Record<string, unknown>, field: string): number {
  const value = record[field];
  if (typeof value === 'number' && value >= 0 && value !== Number.POSITIVE_INFINITY) return value;
  if (value === undefined) throw new LineError(`missing field "${field}"`);
  throw new LineError(`field "${field}" must be a non-negative finite number, got ${describe(value)}`);
}

function readLatency(record: Record<string, unknown>): number | undefined {
  const value = record.latencyMs;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && value >= 0 && value !== Number.POSITIVE_INFINITY) return value;
  throw new LineError(`field "latencyMs" must be a non-negative finite number, got ${describe(value)}`);
}

function readChainwork(record: Record<string, unknown>): bigint | undefined {
  const value = record.chainwork;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && DECIMAL.test(value)) return BigInt(value);
  throw new LineError(`field "chainwork" must be a decimal string, got ${describe(value)}`);
}

/** True for a non-empty string of `0-9a-f` only: already normalized, the common case. */
function isLowerHex(value: string): boolean {
  const length = value.length;
  if (length === 0) return false;
  for (let i = 0; i < length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 48 || c > 57) && (c < 97 || c > 102)) return false;
  }
  return true;
}

/** A short rendering of a bad value for a message. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function toFieldSet(fields: readonly (typeof OBSERVATION_FIELDS)[number][]): Readonly<Record<string, true>> {
  return Object.freeze(Object.fromEntries(fields.map((f) => [f, true as const])));
}
