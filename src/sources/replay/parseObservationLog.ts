import type { Observation } from '../../core/observation.ts';
import { type ObservationLineError, parseObservation } from './parseObservation.ts';

export type ParseObservationLogReturnType = {
  observations: Observation[];
  /** Malformed lines, in file order; they are skipped. */
  errors: ObservationLineError[];
};

/**
 * Parses a whole observation log held in memory (small inputs: tests, fixtures, a pasted log).
 * Blank lines are skipped; malformed lines are collected in `errors` and skipped. Never throws on
 * content. For files use {@link readObservationLog}, which streams.
 */
export function parseObservationLog(text: string): ParseObservationLogReturnType {
  const observations: Observation[] = [];
  const errors: ObservationLineError[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (isBlankLine(line)) continue;
    const result = parseObservation(line, i + 1);
    if (result.ok) observations.push(result.observation);
    else errors.push(result.error);
  }
  return { observations, errors };
}

/** True for an empty line or one of spaces, tabs and a carriage return only. */
export function isBlankLine(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}
