const LIBRARY_TO_COLUMN: Readonly<Record<string, string>> = {
  timeYears: 'T',
  rate: 'r',
  yieldRate: 'q',
  volAnnual: 'vol',
  hazardPerYear: 'hazard',
  recoveryFraction: 'recovery',
};

/**
 * A pricing error's message in the terms of a price row: the library's parameter names
 * (`volAnnual`, `timeYears`, ...) become the row's columns (`vol`, `T`, ...), each passed through
 * `rename` (a caller that reads flags gives `--vol`).
 *
 * @example
 * toColumnTerms('volAnnual must be a finite number > 0, got -1') // 'vol must be ...'
 */
export function toColumnTerms(
  message: string,
  rename: (column: string) => string = (column) => column,
): string {
  return message.replace(
    /\b(timeYears|rate|yieldRate|volAnnual|hazardPerYear|recoveryFraction|jumpIntensity|jumpMeanLog|jumpVol|spot|strike|steps)\b/g,
    (name: string) => rename(LIBRARY_TO_COLUMN[name] ?? name),
  );
}
