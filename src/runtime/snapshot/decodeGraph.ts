import type { GraphNode } from './encodeGraph.ts';
import { SnapshotError } from './snapshotError.ts';

/**
 * The value that {@link encodeGraph} encoded, with its shared references and cycles. Throws a
 * `corrupt` {@link SnapshotError} on a node that no encoding gives (a damaged body).
 */
export function decodeGraph(node: GraphNode): unknown {
  const containers: unknown[] = [];
  const fail = (what: string): never => {
    throw new SnapshotError('corrupt', `not an encoded graph: ${what}`);
  };
  const walk = (n: GraphNode): unknown => {
    if (!Array.isArray(n)) return n;
    const [tag, body] = n;
    switch (tag) {
      case 'u':
        return undefined;
      case 'b':
        if (typeof body !== 'string' || !/^-?\d+$/.test(body)) fail('a bigint');
        return BigInt(body as string);
      case 'd':
        if (body === '-0') return -0;
        if (body === 'NaN' || body === 'Infinity' || body === '-Infinity') return Number(body);
        return fail('a number');
      case 'r': {
        if (typeof body !== 'number' || !(body in containers)) fail('a reference');
        return containers[body as number];
      }
      case 'a': {
        if (!Array.isArray(body)) return fail('an array');
        const out: unknown[] = new Array(body.length);
        containers.push(out);
        for (let i = 0; i < body.length; i += 1) out[i] = walk(body[i]!);
        return out;
      }
      case 'm': {
        if (!Array.isArray(body) || body.length % 2 !== 0) return fail('a Map');
        const out = new Map<unknown, unknown>();
        containers.push(out);
        for (let i = 0; i < body.length; i += 2) {
          const key = walk(body[i]!);
          out.set(key, walk(body[i + 1]!));
        }
        return out;
      }
      case 's': {
        if (!Array.isArray(body)) return fail('a Set');
        const out = new Set<unknown>();
        containers.push(out);
        for (const item of body) out.add(walk(item));
        return out;
      }
      case 'o':
      case 'O': {
        if (!Array.isArray(body) || body.length % 2 !== 0) return fail('an object');
        const out: Record<string, unknown> = tag === 'O' ? Object.create(null) : {};
        containers.push(out);
        for (let i = 0; i < body.length; i += 2) {
          const key = body[i];
          if (typeof key !== 'string') return fail('an object key');
          const value = walk(body[i + 1]!);
          // defineProperty: a key such as __proto__ is an own property, as it was.
          Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
        }
        return out;
      }
      default:
        return fail(`tag ${JSON.stringify(tag)}`);
    }
  };
  return walk(node);
}
