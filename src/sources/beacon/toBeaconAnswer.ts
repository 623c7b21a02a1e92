import { SourceError } from '../source.ts';

/**
 * Validation of Beacon API answers: every value a node sends is checked before it becomes an
 * observation. A bad answer throws a `SourceError` with code `invalid_response`.
 */

const ROOT = /^0x[0-9a-fA-F]{64}$/;
const UINT = /^\d{1,20}$/;

export type BeaconHeader = { root: string; slot: bigint; parentRoot: string };
export type BeaconCheckpoint = { epoch: number; root: string };

function fail(what: string, where: string): never {
  throw new SourceError({ code: 'invalid_response', shortMessage: `${where}: ${what}` });
}

function field(value: unknown, key: string, where: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    fail(`expected an object around "${key}"`, where);
  return (value as Record<string, unknown>)[key];
}

function root(value: unknown, name: string, where: string): string {
  if (typeof value !== 'string' || !ROOT.test(value)) fail(`${name} is not a 32-byte hex root`, where);
  return value.toLowerCase();
}

function uint(value: unknown, name: string, where: string): bigint {
  if (typeof value !== 'string' || !UINT.test(value)) fail(`${name} is not a decimal string`, where);
  return BigInt(value);
}

/** `GET /eth/v1/beacon/headers/{id}`: `{ data: { root, header: { message: { slot, parent_root } } } }`. */
export function toBeaconHeader(body: unknown, where: string): BeaconHeader {
  const data = field(body, 'data', where);
  const message = field(field(data, 'header', where), 'message', where);
  return {
    root: root(field(data, 'root', where), 'root', where),
    slot: uint(field(message, 'slot', where), 'slot', where),
    parentRoot: root(field(message, 'parent_root', where), 'parent_root', where),
  };
}

/** `GET /eth/v1/beacon/states/head/finality_checkpoints`. */
export function toFinalityCheckpoints(
  body: unknown,
  where: string,
): { finalized: BeaconCheckpoint; justified: BeaconCheckpoint } {
  const data = field(body, 'data', where);
  const checkpoint = (key: string): BeaconCheckpoint => {
    const cp = field(data, key, where);
    return {
      epoch: Number(uint(field(cp, 'epoch', where), `${key}.epoch`, where)),
      root: root(field(cp, 'root', where), `${key}.root`, where),
    };
  };
  return { finalized: checkpoint('finalized'), justified: checkpoint('current_justified') };
}

/** `head` and `block` events: `{ slot, block }`. */
export function toHeadEvent(data: unknown, where: string): { slot: bigint; root: string } {
  return {
    slot: uint(field(data, 'slot', where), 'slot', where),
    root: root(field(data, 'block', where), 'block', where),
  };
}

/** `finalized_checkpoint` events: `{ block, epoch }`. */
export function toFinalizedEvent(data: unknown, where: string): BeaconCheckpoint {
  return {
    epoch: Number(uint(field(data, 'epoch', where), 'epoch', where)),
    root: root(field(data, 'block', where), 'block', where),
  };
}

/** `chain_reorg` events: `{ slot, depth, old_head_block, new_head_block }`. */
export function toReorgEvent(
  data: unknown,
  where: string,
): { slot: bigint; depth: number; oldHead: string; newHead: string } {
  return {
    slot: uint(field(data, 'slot', where), 'slot', where),
    depth: Number(uint(field(data, 'depth', where), 'depth', where)),
    oldHead: root(field(data, 'old_head_block', where), 'old_head_block', where),
    newHead: root(field(data, 'new_head_block', where), 'new_head_block', where),
  };
}

/** `GET /eth/v1/node/version`: `{ data: { version } }`. */
export function toNodeVersion(body: unknown, where: string): string {
  const version = field(field(body, 'data', where), 'version', where);
  if (typeof version !== 'string' || version.length === 0) fail('version is not a string', where);
  return version.slice(0, 100);
}

/** `GET /eth/v1/beacon/genesis`: genesis time in seconds. */
export function toGenesisTime(body: unknown, where: string): number {
  return Number(uint(field(field(body, 'data', where), 'genesis_time', where), 'genesis_time', where));
}

/** `GET /eth/v1/config/spec`: SECONDS_PER_SLOT. */
export function toSecondsPerSlot(body: unknown, where: string): number {
  const value = Number(
    uint(field(field(body, 'data', where), 'SECONDS_PER_SLOT', where), 'SECONDS_PER_SLOT', where),
  );
  if (value <= 0) fail('SECONDS_PER_SLOT is zero', where);
  return value;
}

/** `GET /eth/v1/beacon/genesis`: `genesis_validators_root`. */
export function toGenesisValidatorsRoot(body: unknown, where: string): string {
  const data = field(body, 'data', where);
  return root(field(data, 'genesis_validators_root', where), 'genesis_validators_root', where);
}

/** The `data` of a Beacon API answer `{ version, data }` (light-client answers). */
export function toData(body: unknown): unknown {
  return field(body, 'data', 'light-client answer');
}

/** `signature_slot` of a light-client update, as a number. */
export function toSignatureSlot(update: unknown): number {
  const where = 'light-client update';
  return Number(uint(field(update, 'signature_slot', where), 'signature_slot', where));
}
