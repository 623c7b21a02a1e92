/**
 * Venue risk (docs/risk.md): the contagion graph, oracle aggregation, portfolio margin under
 * consensus failure, consensus-failure cover and the finality-aware settlement ledger. Pricing and
 * hazard have their own entry points (`./pricing/index.ts`, `./hazard/index.ts`).
 */
export * from './contagion/index.ts';
export * from './cover/index.ts';
export * from './margin/index.ts';
export * from './oracle/index.ts';
export * from './settlement/index.ts';
