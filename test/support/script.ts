import type { BlockObservation, Observation } from '../../src/core/observation.ts';

/**
 * A tiny language for hand-written observation scripts. Blocks are named by label: `a5` is height
 * 5 of branch `a`; a branch's parent chain is given when it forks (`fork('b', 'a3')`).
 */
export type ScriptBlock = { label: string; number: bigint; hash: string; parentHash: string };

export function createScript(chain = 'test', genesisMs = 1_700_000_000_000) {
  const blocks = new Map<string, ScriptBlock>();
  const hashOf = (label: string): string => {
    let h = 0n;
    for (const ch of label) h = (h * 131n + BigInt(ch.charCodeAt(0))) % (1n << 255n);
    return h.toString(16).padStart(64, '0');
  };
  const genesis: ScriptBlock = {
    label: 'g',
    number: 0n,
    hash: hashOf('genesis'),
    parentHash: '0'.repeat(64),
  };
  blocks.set('a0', genesis);
  /** Block `label` (branch letter + height); created on first use from its branch parent. */
  const block = (label: string): ScriptBlock => {
    const known = blocks.get(label);
    if (known) return known;
    const match = /^([a-z]+)(\d+)$/.exec(label);
    if (!match) throw new Error(`bad label ${label}`);
    const [, branch, heightText] = match;
    const number = BigInt(heightText!);
    const parentLabel = forks.get(`${branch}${number - 1n}`) ?? `${branch}${number - 1n}`;
    const parent =
      number === 1n
        ? forks.get(`${branch}0`)
          ? block(forks.get(`${branch}0`)!)
          : genesis
        : block(parentLabel);
    const created = { label, number, hash: hashOf(label), parentHash: parent.hash };
    blocks.set(label, created);
    return created;
  };
  const forks = new Map<string, string>();
  return {
    block,
    /** Branch `branch` continues from `fromLabel`: its block at fromLabel's height + 1 has that parent. */
    fork(branch: string, fromLabel: string) {
      const from = block(fromLabel);
      forks.set(`${branch}${from.number}`, fromLabel);
    },
    head(
      node: string,
      label: string,
      atS: number,
      extra: Partial<{ client: string; latencyMs: number }> = {},
    ): BlockObservation {
      const b = block(label);
      return {
        type: 'head',
        chain,
        node,
        ...extra,
        number: b.number,
        hash: b.hash,
        parentHash: b.parentHash,
        timestamp: Math.floor(genesisMs / 1000) + atS,
        observedAtMs: genesisMs + atS * 1000,
      };
    },
    tick(atS: number): Observation {
      return { type: 'tick', observedAtMs: genesisMs + atS * 1000 };
    },
    error(node: string, atS: number, code = 'unreachable'): Observation {
      return {
        type: 'error',
        chain,
        node,
        code,
        message: 'connection refused',
        observedAtMs: genesisMs + atS * 1000,
      };
    },
    finalized(node: string, label: string, atS: number, epoch?: number): Observation {
      const b = block(label);
      const obs: Observation = {
        type: 'checkpoint',
        chain,
        node,
        kind: 'finalized',
        number: b.number,
        hash: b.hash,
        observedAtMs: genesisMs + atS * 1000,
      };
      if (epoch !== undefined) obs.epoch = epoch;
      return obs;
    },
    atMs: (atS: number) => genesisMs + atS * 1000,
    /** The label of a block made by this script (`a5`), or the hash itself when it made none. */
    labelOf(hash: string): string {
      for (const [label, b] of blocks) if (b.hash === hash) return label;
      return hash;
    },
  };
}
