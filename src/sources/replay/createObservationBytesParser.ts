import type {
  BlockObservation,
  CheckpointKind,
  CheckpointObservation,
  Observation,
  TickObservation,
} from '../../core/observation.ts';

/**
 * Reads one line of an observation log from its bytes, `bytes[start, end)` without the line
 * break. Returns `undefined` when the line is not in the shape it reads: then
 * {@link parseObservation} reads the decoded line, and its result and error messages stand.
 */
export type ObservationBytesParser = {
  (bytes: Buffer, start: number, end: number): Observation | undefined;
  /**
   * Reads the line that starts at `start` when it is one this parser reads and its break (`\n`, or
   * `\r\n`) comes before `limit`, without looking for the break first; {@link lineEnd} is then
   * where that `\n` is. Returns `undefined` otherwise: then find the line's end and read it as above.
   */
  readLine(bytes: Buffer, start: number, limit: number): Observation | undefined;
  /** The position of the `\n` after the line that `readLine` read last. */
  lineEnd(): number;
};

/** Strings remembered per field: names and hashes repeat from line to line. */
const CACHED_NAMES = 16;
const CACHED_HASHES = 8;

/**
 * The fast path of replay: a parser of the lines that {@link toObservationLine} writes (`head`,
 * `block`, `checkpoint` and `tick` observations, fields in its order, no spaces, no `null`, plain
 * ASCII strings without escapes, lower-case hex hashes, integers of up to 15 digits for `number`
 * and `epoch`), straight from the bytes of the file: no JSON.parse, no intermediate object, no
 * decoding of the line. Names and hashes equal to one of the last few seen are the same string.
 *
 * Whatever it returns is exactly what {@link parseObservation} returns for the same line (the
 * tests compare the two on every shape and on mutated lines); any other line, valid or not, gives
 * `undefined`. Each parser keeps its own caches: one per file read.
 */
export function createObservationBytesParser(): ObservationBytesParser {
  const names = createStringCache(CACHED_NAMES);
  const hashes = createStringCache(CACHED_HASHES);
  let lastNumber = -1;
  let lastBigint = 0n;
  // The position in the line of the byte to read next; each reader below moves it past what it read.
  let at = 0;
  // Whether `end` is the end of the line (false) or only a limit that the line's break comes before.
  let open = false;
  let lineEnd = -1;

  /** True when the closing brace is at the cursor and the line ends right after it. */
  const closes = (bytes: Buffer, end: number): boolean => {
    if (at >= end || bytes[at] !== CLOSE) return false;
    if (!open) return at === end - 1;
    let next = at + 1;
    if (next < end && bytes[next] === CARRIAGE_RETURN) next += 1;
    if (next >= end || bytes[next] !== NEWLINE) return false;
    lineEnd = next;
    return true;
  };

  /** True, and past it, when `literal` is at the cursor. */
  const skip = (bytes: Buffer, end: number, literal: Uint8Array): boolean => {
    const length = literal.length;
    if (at + length > end) return false;
    for (let i = 0; i < length; i++) if (bytes[at + i] !== literal[i]) return false;
    at += length;
    return true;
  };

  /**
   * A JSON string of printable ASCII without escapes (with `hex`, of `0-9a-f` only), as a cached
   * string; undefined otherwise. A string equal to a cached one is found without scanning it.
   */
  const readString = (bytes: Buffer, end: number, cache: StringCache, hex: boolean): string | undefined => {
    if (at >= end || bytes[at] !== QUOTE) return undefined;
    const from = at + 1;
    const cached = cache.find(bytes, from, end);
    if (cached !== undefined) {
      at = from + cached.length + 1;
      return cached;
    }
    let i = from;
    for (; i < end; i++) {
      const c = bytes[i]!;
      if (c === QUOTE) break;
      if (hex ? !((c >= 48 && c <= 57) || (c >= 97 && c <= 102)) : c < 32 || c > 126 || c === BACKSLASH)
        return undefined;
    }
    if (i >= end) return undefined;
    at = i + 1;
    return cache.add(bytes, from, i);
  };

  /**
   * A JSON number that is not negative, as JSON.parse reads it; -1 when there is none, or it is
   * not finite. With `integer`, only integers of up to 15 digits (exact as numbers).
   */
  const readNumber = (bytes: Buffer, end: number, integer: boolean): number => {
    const from = at;
    let value = 0;
    let i = at;
    // No byte is read at or past `end` (-1 stands for none, a number like the bytes): beyond the
    // bytes, a read would cost the optimized code.
    let c = i < end ? bytes[i]! : -1;
    if (c === 48) i += 1;
    else if (c >= 49 && c <= 57) {
      for (; i < end && (c = bytes[i]!) >= 48 && c <= 57; i++) value = value * 10 + (c - 48);
    } else return -1;
    const digits = i - from;
    c = i < end ? bytes[i]! : -1;
    const fraction = c === 46;
    const exponent = c === 101 || c === 69;
    if (!fraction && !exponent) {
      if (digits > 15) return integer ? -1 : finiteOrNone(Number(bytes.toString('latin1', from, i)), i);
      at = i;
      return value;
    }
    if (integer) return -1;
    if (fraction) {
      const first = ++i;
      while (i < end && (c = bytes[i]!) >= 48 && c <= 57) i++;
      if (i === first) return -1;
    }
    c = i < end ? bytes[i]! : -1;
    if (c === 101 || c === 69) {
      i += 1;
      c = i < end ? bytes[i]! : -1;
      if (c === 43 || c === 45) i += 1;
      const first = i;
      while (i < end && (c = bytes[i]!) >= 48 && c <= 57) i++;
      if (i === first) return -1;
    }
    return finiteOrNone(Number(bytes.toString('latin1', from, i)), i);
  };

  const finiteOrNone = (value: number, next: number): number => {
    if (!Number.isFinite(value)) return -1;
    at = next;
    return value;
  };

  const toBigint = (value: number): bigint => {
    if (value !== lastNumber) {
      lastNumber = value;
      lastBigint = BigInt(value);
    }
    return lastBigint;
  };

  // What readSource read: the chain, node and client that start every head, block and checkpoint line.
  let chain = '';
  let node = '';
  let client: string | undefined;

  /** The `chain`, `node` and optional `client` after `"chain":`; false when they are not there. */
  const readSource = (bytes: Buffer, end: number): boolean => {
    const chainName = readString(bytes, end, names, false);
    if (chainName === undefined || chainName.length === 0 || !skip(bytes, end, NODE)) return false;
    const nodeName = readString(bytes, end, names, false);
    if (nodeName === undefined || nodeName.length === 0) return false;
    chain = chainName;
    node = nodeName;
    client = undefined;
    if (skip(bytes, end, CLIENT)) {
      client = readString(bytes, end, names, false);
      if (client === undefined) return false;
    }
    return true;
  };

  const readBlock = (bytes: Buffer, end: number, type: 'head' | 'block'): BlockObservation | undefined => {
    if (!readSource(bytes, end) || !skip(bytes, end, NUMBER)) return undefined;
    const number = readNumber(bytes, end, true);
    if (number < 0 || !skip(bytes, end, HASH)) return undefined;
    const hash = readString(bytes, end, hashes, true);
    if (hash === undefined || hash.length === 0 || !skip(bytes, end, PARENT_HASH)) return undefined;
    const parentHash = readString(bytes, end, hashes, true);
    if (parentHash === undefined || parentHash.length === 0 || !skip(bytes, end, TIMESTAMP)) return undefined;
    const timestamp = readNumber(bytes, end, false);
    if (timestamp < 0 || !skip(bytes, end, OBSERVED_AT_MS)) return undefined;
    const observedAtMs = readNumber(bytes, end, false);
    if (observedAtMs < 0) return undefined;
    let latencyMs = -1;
    if (skip(bytes, end, LATENCY_MS)) {
      latencyMs = readNumber(bytes, end, false);
      if (latencyMs < 0) return undefined;
    }
    if (!closes(bytes, end)) return undefined;
    // One literal per shape, keys in the order parseObservation sets them.
    if (client === undefined) {
      return latencyMs < 0
        ? { type, chain, node, number: toBigint(number), hash, parentHash, timestamp, observedAtMs }
        : {
            type,
            chain,
            node,
            number: toBigint(number),
            hash,
            parentHash,
            timestamp,
            observedAtMs,
            latencyMs,
          };
    }
    return latencyMs < 0
      ? { type, chain, node, number: toBigint(number), hash, parentHash, timestamp, observedAtMs, client }
      : {
          type,
          chain,
          node,
          number: toBigint(number),
          hash,
          parentHash,
          timestamp,
          observedAtMs,
          client,
          latencyMs,
        };
  };

  const readCheckpoint = (bytes: Buffer, end: number): CheckpointObservation | undefined => {
    if (!readSource(bytes, end)) return undefined;
    let number = -1;
    if (skip(bytes, end, NUMBER)) {
      number = readNumber(bytes, end, true);
      if (number < 0) return undefined;
    }
    if (!skip(bytes, end, HASH)) return undefined;
    const hash = readString(bytes, end, hashes, true);
    if (hash === undefined || hash.length === 0 || !skip(bytes, end, OBSERVED_AT_MS)) return undefined;
    const observedAtMs = readNumber(bytes, end, false);
    if (observedAtMs < 0 || !skip(bytes, end, KIND)) return undefined;
    let kind: CheckpointKind;
    if (skip(bytes, end, FINALIZED)) kind = 'finalized';
    else if (skip(bytes, end, SAFE)) kind = 'safe';
    else if (skip(bytes, end, JUSTIFIED)) kind = 'justified';
    else return undefined;
    let epoch = -1;
    if (skip(bytes, end, EPOCH)) {
      epoch = readNumber(bytes, end, true);
      if (epoch < 0) return undefined;
    }
    if (!closes(bytes, end)) return undefined;
    const observation: CheckpointObservation = { type: 'checkpoint', chain, node, kind, hash, observedAtMs };
    if (client !== undefined) observation.client = client;
    if (number >= 0) observation.number = toBigint(number);
    if (epoch >= 0) observation.epoch = epoch;
    return observation;
  };

  const readTick = (bytes: Buffer, end: number): TickObservation | undefined => {
    let tickChain: string | undefined;
    if (skip(bytes, end, CHAIN)) {
      tickChain = readString(bytes, end, names, false);
      if (tickChain === undefined || tickChain.length === 0) return undefined;
    }
    if (!skip(bytes, end, OBSERVED_AT_MS)) return undefined;
    const observedAtMs = readNumber(bytes, end, false);
    if (observedAtMs < 0 || !closes(bytes, end)) return undefined;
    return tickChain === undefined
      ? { type: 'tick', observedAtMs }
      : { type: 'tick', observedAtMs, chain: tickChain };
  };

  const read = (bytes: Buffer, start: number, end: number): Observation | undefined => {
    at = start;
    if (skip(bytes, end, TICK)) return readTick(bytes, end);
    if (skip(bytes, end, HEAD)) return readBlock(bytes, end, 'head');
    if (skip(bytes, end, BLOCK)) return readBlock(bytes, end, 'block');
    if (skip(bytes, end, CHECKPOINT)) return readCheckpoint(bytes, end);
    return undefined;
  };
  const parser = (bytes: Buffer, start: number, end: number): Observation | undefined => {
    open = false;
    return read(bytes, start, end);
  };
  // A line break ends every string, number and literal that the readers accept: what they read
  // from `start` lies within one line whatever the limit.
  parser.readLine = (bytes: Buffer, start: number, limit: number): Observation | undefined => {
    open = true;
    return read(bytes, start, limit);
  };
  parser.lineEnd = (): number => lineEnd;
  return parser;
}

type StringCache = {
  /** The cached string whose bytes, then a quote, start at `from`; undefined when none. */
  find(bytes: Buffer, from: number, end: number): string | undefined;
  /** Makes the string of `bytes[from, to)` and caches it, in place of the oldest one. */
  add(bytes: Buffer, from: number, to: number): string;
};

/**
 * The last `size` strings made from bytes, so that a string seen again is the same string. The
 * strings are of bytes below 128, one character per byte: each is kept with a copy of its bytes,
 * and found by comparing bytes with bytes (cheaper than reading characters of a string).
 */
function createStringCache(size: number): StringCache {
  const strings: string[] = [];
  const copies: Uint8Array[] = [];
  let next = 0;
  return {
    find(bytes, from, end) {
      search: for (let e = 0; e < copies.length; e++) {
        const copy = copies[e]!;
        const length = copy.length;
        if (from + length >= end || bytes[from + length] !== QUOTE) continue;
        // From the end: hashes of one chain often share their leading zeros.
        for (let i = length - 1; i >= 0; i--) if (copy[i] !== bytes[from + i]) continue search;
        return strings[e];
      }
      return undefined;
    },
    add(bytes, from, to) {
      const value = bytes.toString('latin1', from, to);
      strings[next] = value;
      copies[next] = Uint8Array.prototype.slice.call(bytes, from, to);
      next = (next + 1) % size;
      return value;
    },
  };
}

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const QUOTE = 34;
const BACKSLASH = 92;
const CLOSE = 125;
const ascii = (text: string): Uint8Array => Buffer.from(text, 'latin1');
const TICK = ascii('{"type":"tick"');
const HEAD = ascii('{"type":"head","chain":');
const BLOCK = ascii('{"type":"block","chain":');
const CHECKPOINT = ascii('{"type":"checkpoint","chain":');
const CHAIN = ascii(',"chain":');
const NODE = ascii(',"node":');
const CLIENT = ascii(',"client":');
const NUMBER = ascii(',"number":');
const HASH = ascii(',"hash":');
const PARENT_HASH = ascii(',"parentHash":');
const TIMESTAMP = ascii(',"timestamp":');
const OBSERVED_AT_MS = ascii(',"observedAtMs":');
const LATENCY_MS = ascii(',"latencyMs":');
const KIND = ascii(',"kind":');
const FINALIZED = ascii('"finalized"');
const SAFE = ascii('"safe"');
const JUSTIFIED = ascii('"justified"');
const EPOCH = ascii(',"epoch":');
