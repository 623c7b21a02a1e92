import type { Transition } from '../breaker/levels.ts';
import { isLevel } from '../breaker/levels.ts';
import { toJson } from '../core/json.ts';
import type { Observation } from '../core/observation.ts';
import type { Signal } from '../core/signal.ts';
import { parseObservation } from '../sources/replay/parseObservation.ts';
import { toObservationLine } from '../sources/replay/toObservationLine.ts';
import type { BreakerCommand, EventRecord } from './store.ts';
import { StoreError } from './storeError.ts';

/**
 * The text forms that every adapter stores, so that all of them read and write the same bodies:
 * observations as lines of the replay format (docs/formats.md), commands, signals and transitions
 * as JSON (bigints as numbers when safe, decimal strings otherwise; `number` fields of signals
 * read back as bigints).
 */
export const storeCodec = {
  toEventBody(event: EventRecord): string {
    return event.type === 'observation'
      ? toObservationLine(event.observation)
      : JSON.stringify(event.command);
  },

  /**
   * Reads an event body back; throws a `store_corrupt` {@link StoreError} on a malformed one. The
   * store wrote these lines itself from checked observations, so the fast path only parses the JSON
   * and turns `number` back into a bigint; a line of unexpected shape gets the full check of
   * `parseObservation` and its message.
   */
  toEvent(type: string, body: string, seq: number): EventRecord {
    if (type === 'observation') {
      let value: Record<string, unknown> | undefined;
      try {
        value = JSON.parse(body) as Record<string, unknown>;
      } catch {
        value = undefined;
      }
      if (
        value !== null &&
        typeof value === 'object' &&
        typeof value.type === 'string' &&
        typeof value.observedAtMs === 'number' &&
        (value.number === undefined || typeof value.number === 'number' || typeof value.number === 'string')
      ) {
        try {
          if (value.number !== undefined) value.number = BigInt(value.number as number | string);
          return { type: 'observation', observation: value as unknown as Observation };
        } catch {
          // Not an integer: the full check below names the problem.
        }
      }
      const parsed = parseObservation(body, seq);
      if (!parsed.ok) {
        throw new StoreError('store_corrupt', `event ${seq} is not a valid observation`, {
          details: parsed.error.message,
        });
      }
      return { type: 'observation', observation: parsed.observation };
    }
    if (type === 'command') return { type: 'command', command: toCommand(body, seq) };
    throw new StoreError('store_corrupt', `event ${seq} has an unknown type`, { details: type });
  },

  toSignalBody(signal: Signal): string {
    return toJson(signal);
  },

  toSignal(body: string, id: number): Signal {
    try {
      return JSON.parse(body, (key, value) =>
        key === 'number' && (typeof value === 'number' || typeof value === 'string') ? BigInt(value) : value,
      ) as Signal;
    } catch (cause) {
      throw new StoreError('store_corrupt', `signal ${id} is not valid JSON`, { cause });
    }
  },

  toTransitionBody(transition: Transition): string {
    return JSON.stringify(transition);
  },

  toTransition(body: string, key: string): Transition {
    try {
      return JSON.parse(body) as Transition;
    } catch (cause) {
      throw new StoreError('store_corrupt', `transition ${key} is not valid JSON`, { cause });
    }
  },
};

function toCommand(body: string, seq: number): BreakerCommand {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (cause) {
    throw new StoreError('store_corrupt', `event ${seq} is not valid JSON`, { cause });
  }
  const command = value as Partial<Record<string, unknown>>;
  const text = (field: string): string => {
    const v = command[field];
    if (typeof v !== 'string') {
      throw new StoreError('store_corrupt', `event ${seq}: command field "${field}" is not a string`);
    }
    return v;
  };
  const atMs = command.atMs;
  if (typeof atMs !== 'number' || !Number.isFinite(atMs)) {
    throw new StoreError('store_corrupt', `event ${seq}: command field "atMs" is not a number`);
  }
  const base = { breaker: text('breaker'), actor: text('actor'), reason: text('reason'), atMs };
  if (command.type === 'resume') return { type: 'resume', ...base };
  if (command.type === 'condition') {
    const condition: BreakerCommand = { type: 'condition', key: text('key'), cause: text('cause'), ...base };
    if (command.level !== undefined) {
      if (!isLevel(command.level))
        throw new StoreError('store_corrupt', `event ${seq}: condition with an invalid level`);
      condition.level = command.level;
    }
    return condition;
  }
  if (command.type === 'override') {
    const level = command.level;
    if (!isLevel(level))
      throw new StoreError('store_corrupt', `event ${seq}: override without a valid level`);
    return { type: 'override', level, ...base };
  }
  throw new StoreError('store_corrupt', `event ${seq}: unknown command type`);
}
