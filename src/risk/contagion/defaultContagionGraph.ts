import { DEFAULT_CLASS_RECOVERY } from '../hazard/calibrateSeverity.ts';
import { toClassRecovery, toDefaultClassMix } from '../hazard/defaultSeverity.ts';
import { type ContagionGraph, type ContagionNode, createContagionGraph } from './contagionGraph.ts';

/**
 * Severity of a native token's fall when its chain fails, for a chain without a calibrated class mix:
 * the conservative default of a class without price data (half the value, docs/hazard.md).
 */
export const DEFAULT_NATIVE_SEVERITY = 1 - DEFAULT_CLASS_RECOVERY;

/**
 * Severity of a native token's fall when its chain fails: one minus the recovery of the chain's
 * calibrated class mix (data/incidents/severity.json: about 1.2% for Ethereum, 1.5% for Solana).
 * An L2 (arbitrum) takes the `bridge_or_sequencer` class; a chain outside the table the default.
 */
export function toNativeSeverity(chain: string): number {
  const mix = toDefaultClassMix(chain);
  if (mix) return 1 - mix.recovery;
  if (chain === 'arbitrum') return 1 - toClassRecovery('bridge_or_sequencer');
  return DEFAULT_NATIVE_SEVERITY;
}

/** The node of a chain's native token: it falls with its chain by {@link toNativeSeverity}. */
function toNativeAssetNode(id: string, chain: string): ContagionNode {
  return { id, kind: 'asset', dependsOn: [{ on: chain, kind: 'native', severity: toNativeSeverity(chain) }] };
}

/**
 * The default dependencies (docs/risk.md, "Default graph"):
 *
 * | node | kind | depends on (kind, severity) | own hazard per year |
 * |---|---|---|---|
 * | bitcoin, ethereum, solana | chain | - | hazard table |
 * | arbitrum-sequencer | sequencer | - | 1.0 |
 * | arbitrum | chain | arbitrum-sequencer (sequencer, 0.5), ethereum (l1_finality, 0.8) | 0.1 |
 * | wbtc-bridge | bridge | - | 0.02 |
 * | circle | issuer | - | 0.02 |
 * | BTC | asset | bitcoin (native, {@link toNativeSeverity}) | |
 * | ETH | asset | ethereum (native, calibrated) | |
 * | SOL | asset | solana (native, calibrated) | |
 * | ARB | asset | arbitrum (native, calibrated) | |
 * | stETH | asset | ETH (underlying, 1), ethereum (consensus, 0.2) | |
 * | WBTC | asset | BTC (underlying, 1), wbtc-bridge (bridge, 1), ethereum (token_chain, 0.1) | |
 * | USDC | asset | circle (issuer, 1), ethereum (token_chain, 0.05) | |
 */
export const DEFAULT_CONTAGION_NODES: readonly ContagionNode[] = Object.freeze([
  { id: 'bitcoin', kind: 'chain' },
  { id: 'ethereum', kind: 'chain' },
  { id: 'solana', kind: 'chain' },
  { id: 'arbitrum-sequencer', kind: 'sequencer', hazardPerYear: 1 },
  {
    id: 'arbitrum',
    kind: 'chain',
    hazardPerYear: 0.1,
    dependsOn: [
      { on: 'arbitrum-sequencer', kind: 'sequencer', severity: 0.5 },
      { on: 'ethereum', kind: 'l1_finality', severity: 0.8 },
    ],
  },
  { id: 'wbtc-bridge', kind: 'bridge', hazardPerYear: 0.02 },
  { id: 'circle', kind: 'issuer', hazardPerYear: 0.02 },
  toNativeAssetNode('BTC', 'bitcoin'),
  toNativeAssetNode('ETH', 'ethereum'),
  toNativeAssetNode('SOL', 'solana'),
  toNativeAssetNode('ARB', 'arbitrum'),
  {
    id: 'stETH',
    kind: 'asset',
    dependsOn: [
      { on: 'ETH', kind: 'underlying', severity: 1 },
      { on: 'ethereum', kind: 'consensus', severity: 0.2 },
    ],
  },
  {
    id: 'WBTC',
    kind: 'asset',
    dependsOn: [
      { on: 'BTC', kind: 'underlying', severity: 1 },
      { on: 'wbtc-bridge', kind: 'bridge', severity: 1 },
      { on: 'ethereum', kind: 'token_chain', severity: 0.1 },
    ],
  },
  {
    id: 'USDC',
    kind: 'asset',
    dependsOn: [
      { on: 'circle', kind: 'issuer', severity: 1 },
      { on: 'ethereum', kind: 'token_chain', severity: 0.05 },
    ],
  },
] as ContagionNode[]);

let graph: ContagionGraph | undefined;

/** The default graph for BTC, ETH, stETH, WBTC, ARB (an L2 token), SOL and USDC, built once. */
export function defaultContagionGraph(): ContagionGraph {
  graph ??= createContagionGraph(DEFAULT_CONTAGION_NODES);
  return graph;
}
