import { SnapshotError } from './snapshotError.ts';

/**
 * A value tree that JSON can hold, for any graph of plain data: objects, arrays, Maps, Sets,
 * bigints, `undefined`, non-finite numbers and `-0`, with shared references and cycles kept. A
 * string, a finite number, a boolean or null stands for itself; everything else is an array whose
 * first element is a tag:
 *
 * | form | value |
 * |---|---|
 * | `['u']` | undefined |
 * | `['b', '123']` | bigint |
 * | `['d', 'NaN' \| 'Infinity' \| '-Infinity' \| '-0']` | a number JSON cannot write |
 * | `['o', [k1, v1, k2, v2, …]]` | a plain object (`'O'`: one without prototype) |
 * | `['a', [v1, v2, …]]` | an array |
 * | `['m', [k1, v1, …]]` | a Map, in insertion order |
 * | `['s', [v1, …]]` | a Set, in insertion order |
 * | `['r', n]` | the n-th container (object, array, Map, Set) met before, from 0 |
 *
 * Containers are numbered in the order the walk first meets them; the decoder numbers them in the
 * same order, so shared references come back shared. Anything else (a function, a class instance,
 * a symbol) throws an `unencodable` {@link SnapshotError}: the engine state holds none, and a snapshot that cannot be restored exactly
 * must not be written.
 */
export type GraphNode = string | number | boolean | null | GraphNode[];

export function encodeGraph(value: unknown): GraphNode {
  const seen = new Map<object, number>();
  const walk = (v: unknown): GraphNode => {
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return v;
      case 'number':
        if (Number.isFinite(v) && !Object.is(v, -0)) return v;
        return ['d', Object.is(v, -0) ? '-0' : String(v)];
      case 'bigint':
        return ['b', v.toString()];
      case 'undefined':
        return ['u'];
      case 'object': {
        if (v === null) return null;
        const ref = seen.get(v);
        if (ref !== undefined) return ['r', ref];
        seen.set(v, seen.size);
        if (Array.isArray(v)) {
          const items: GraphNode[] = new Array(v.length);
          for (let i = 0; i < v.length; i += 1) items[i] = walk(v[i]);
          return ['a', items];
        }
        if (v instanceof Map) {
          const items: GraphNode[] = [];
          for (const [key, inner] of v) items.push(walk(key), walk(inner));
          return ['m', items];
        }
        if (v instanceof Set) {
          const items: GraphNode[] = [];
          for (const inner of v) items.push(walk(inner));
          return ['s', items];
        }
        const proto = Object.getPrototypeOf(v) as unknown;
        if (proto !== Object.prototype && proto !== null) {
          throw new SnapshotError(
            'unencodable',
            `cannot encode an instance of ${(v as object).constructor?.name ?? 'a class'}`,
          );
        }
        const items: GraphNode[] = [];
        for (const key of Object.keys(v)) items.push(key, walk((v as Record<string, unknown>)[key]));
        return [proto === null ? 'O' : 'o', items];
      }
      default:
        throw new SnapshotError('unencodable', `cannot encode a ${typeof v}`);
    }
  };
  return walk(value);
}
