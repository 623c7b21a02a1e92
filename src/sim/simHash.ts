import type { Hash } from '../core/observation.ts';

/**
 * A deterministic 64-hex-digit block hash (lower case, no `0x`) of a block's content and a run
 * salt: eight 32-bit lanes, each a murmur3-style mix of the content's code units seeded with the
 * salt and the lane number. Not cryptographic: it only has to be stable and collision-free in
 * practice for the few thousand blocks of a run.
 */
export function toSimHash(content: string, salt: number): Hash {
  let out = '';
  for (let lane = 0; lane < 8; lane++) {
    let h = (salt ^ Math.imul(lane + 1, 0x9e3779b1)) >>> 0;
    for (let i = 0; i < content.length; i++) {
      let k = Math.imul(content.charCodeAt(i), 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      h ^= Math.imul(k, 0x1b873593);
      h = (h << 13) | (h >>> 19);
      h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    }
    h ^= content.length;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h ^= h >>> 16;
    out += (h >>> 0).toString(16).padStart(8, '0');
  }
  return out;
}
