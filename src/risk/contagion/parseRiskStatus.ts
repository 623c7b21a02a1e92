import { z } from 'zod';
import { LEVELS } from '../../breaker/levels.ts';
import { SEVERITIES, SIGNAL_KINDS, type Signal } from '../../core/signal.ts';
import { RiskError } from './riskError.ts';
import type { RiskStatus, SourceStatus } from './toSourceHazards.ts';

const signalSchema = z
  .object({ kind: z.enum(SIGNAL_KINDS), severity: z.enum(SEVERITIES), chain: z.string().optional() })
  .passthrough();

const sourceSchema = z
  .object({
    level: z.enum(LEVELS).optional(),
    signals: z.array(signalSchema).optional(),
    basePerYear: z.number().finite().min(0).optional(),
    recoveryFraction: z.number().finite().min(0).max(1).optional(),
  })
  .strict();

const chainsSchema = z.record(z.string().min(1), sourceSchema);

/** `simulate --json` or `replay --json`: `{ signals, transitions, summary: { breakers } }`. */
const runDocumentSchema = z.object({
  summary: z.object({ breakers: z.record(z.string(), z.enum(LEVELS)) }).passthrough(),
});

/** `GET /api/chains` of the HTTP API: `{ chains: [{ name, level, conditions: [{ kind, severity }] }] }`. */
const apiChainsSchema = z.object({
  chains: z.array(
    z
      .object({
        name: z.string().min(1),
        level: z.enum(LEVELS),
        conditions: z.array(
          z.object({ kind: z.enum(SIGNAL_KINDS), severity: z.enum(SEVERITIES) }).passthrough(),
        ),
      })
      .passthrough(),
  ),
});

function toPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

/**
 * Reads a status document (docs/risk.md, "Status file") into a {@link RiskStatus}. Accepted shapes:
 * - `{ "chains": { "<id>": { "level"?, "signals"?, "basePerYear"? } } }`, or the same map at the top;
 * - the JSON of `simulate --json` / `replay --json`: each breaker's current level from
 *   `summary.breakers` (one breaker per chain, named after it); its past signals are not active
 *   and are not used;
 * - the answer of the HTTP API's `GET /api/chains` (docs/http.md): each chain's level and its
 *   active conditions as signals.
 * A signal needs `kind` and `severity`; its `chain` defaults to the entry's id.
 *
 * @throws {RiskError} `invalid_input` listing each problem as `path: reason`.
 */
export function parseRiskStatus(value: unknown): RiskStatus {
  const run = runDocumentSchema.safeParse(value);
  if (run.success) {
    const status: Record<string, SourceStatus> = {};
    for (const [breaker, level] of Object.entries(run.data.summary.breakers)) status[breaker] = { level };
    return status;
  }
  const api = apiChainsSchema.safeParse(value);
  if (api.success) {
    const status: Record<string, SourceStatus> = {};
    for (const chain of api.data.chains) {
      status[chain.name] = {
        level: chain.level,
        signals: chain.conditions.map((c) => ({ ...c, chain: chain.name }) as unknown as Signal),
      };
    }
    return status;
  }
  const body =
    value !== null && typeof value === 'object' && 'chains' in value
      ? (value as { chains: unknown }).chains
      : value;
  const parsed = chainsSchema.safeParse(body);
  if (!parsed.success) {
    const prefix = body === value ? '' : 'chains.';
    const issues = parsed.error.issues.map((issue) => `${prefix}${toPath(issue.path)}: ${issue.message}`);
    throw new RiskError('invalid_input', `invalid status: ${issues.join('; ')}`, {
      field: `${prefix}${toPath(parsed.error.issues[0]?.path ?? [])}`,
      value: issues,
    });
  }
  const status: Record<string, SourceStatus> = {};
  for (const [id, entry] of Object.entries(parsed.data)) {
    const source: SourceStatus = {};
    if (entry.level !== undefined) source.level = entry.level;
    if (entry.basePerYear !== undefined) source.basePerYear = entry.basePerYear;
    if (entry.recoveryFraction !== undefined) source.recoveryFraction = entry.recoveryFraction;
    if (entry.signals !== undefined) {
      source.signals = entry.signals.map(
        (signal) => ({ ...signal, chain: signal.chain ?? id }) as unknown as Signal,
      );
    }
    status[id] = source;
  }
  return status;
}
