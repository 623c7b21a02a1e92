import type { Transition } from '../breaker/levels.ts';
import { toJson } from '../core/json.ts';
import type { Signal } from '../core/signal.ts';
import { toPrintable } from '../core/toPrintable.ts';
import type { RunSummary } from '../engine/run.ts';

/** Where the CLI writes; tests pass their own. */
export type Output = { out: (text: string) => void; err: (text: string) => void };

export const processOutput: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/**
 * The `--json` document of offline runs: `{ signals, transitions, summary }` (docs/formats.md).
 * Every line is printable ({@link toPrintable}); JSON breaks lines only between values.
 */
export function toRunDocument(signals: Signal[], transitions: Transition[], summary: RunSummary): string {
  return `${toJson({ signals, transitions, summary }, 2).split('\n').map(toPrintable).join('\n')}\n`;
}

/** One JSON line of a live stream: the signal or transition with `type` first, printable. */
export function toEventLine(
  event: { type: 'signal'; signal: Signal } | { type: 'transition'; transition: Transition },
): string {
  return `${toPrintable(toJson(event.type === 'signal' ? { type: 'signal', ...event.signal } : { type: 'transition', ...event.transition }))}\n`;
}

/**
 * One event of a live run (`watch`, `serve`): its JSON line, or its timeline line stamped with
 * the event's wall-clock time instead of an offset.
 */
export function formatLiveEvent(
  event: { type: 'signal'; signal: Signal } | { type: 'transition'; transition: Transition },
  json: boolean | undefined,
): string {
  if (json) return toEventLine(event);
  const atMs = event.type === 'signal' ? event.signal.atMs : event.transition.atMs;
  const line =
    event.type === 'signal' ? formatSignal(event.signal, atMs) : formatTransition(event.transition, atMs);
  return line.replace(/^\+\S+/, new Date(atMs).toISOString());
}

const SEVERITY_MARK: Record<Signal['severity'], string> = {
  info: 'info    ',
  warning: 'WARNING ',
  critical: 'CRITICAL',
  safety: 'SAFETY  ',
};

/** `+01:02:03.4` relative to `startMs`. */
export function formatOffset(atMs: number, startMs: number): string {
  const ms = Math.max(0, atMs - startMs);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `+${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${s.toFixed(1).padStart(4, '0')}`;
}

/** A timeline line for a signal; names and message from outside are made printable. */
export function formatSignal(signal: Signal, startMs: number): string {
  const where = signal.node ? `${signal.chain}/${signal.node}` : signal.chain;
  return `${formatOffset(signal.atMs, startMs)}  ${SEVERITY_MARK[signal.severity]}  ${toPrintable(`${signal.kind.padEnd(10)} ${where.padEnd(18)} ${signal.message}`)}\n`;
}

/** A timeline line for a transition; the reason (an override's actor and reason) made printable. */
export function formatTransition(t: Transition, startMs: number): string {
  return `${formatOffset(t.atMs, startMs)}  BREAKER   ${toPrintable(`${t.breaker}: ${t.from} -> ${t.to}  (${t.reason})`)}\n`;
}

/** Signals and transitions merged in time order, as timeline lines. */
export function formatTimeline(signals: Signal[], transitions: Transition[], startMs: number): string {
  const rows: Array<[number, number, string]> = [];
  for (const [i, s] of signals.entries()) rows.push([s.atMs, i * 2, formatSignal(s, startMs)]);
  for (const [i, t] of transitions.entries()) rows.push([t.atMs, i * 2 + 1, formatTransition(t, startMs)]);
  rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return rows.map((r) => r[2]).join('');
}

/** A short human summary after the timeline. */
export function formatSummary(summary: RunSummary): string {
  const lines: string[] = [];
  const kinds = Object.entries(summary.signalsByKind)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  lines.push(
    `${summary.observations} observations, ${summary.signals} signals${kinds ? ` (${kinds})` : ''}, ${summary.transitions} breaker transitions`,
  );
  for (const [name, chain] of Object.entries(summary.chains)) {
    const head = chain.canonicalHead ? `head ${chain.canonicalHead.number}` : 'no head';
    const fin = chain.finalized
      ? `, finalized ${chain.finalized.number ?? `epoch ${chain.finalized.epoch}`}`
      : '';
    lines.push(
      `chain ${name}: ${head}${fin}, ${chain.nodes.length} nodes, breaker ${summary.breakers[name] ?? 'n/a'} (highest ${summary.maxLevels[name] ?? 'n/a'})`,
    );
  }
  return `${lines.map(toPrintable).join('\n')}\n`;
}
