import { readFileSync } from 'node:fs';
import { CliError } from './errors.ts';

/**
 * The `version` of consensus-guard's package.json, found from this module upwards: two levels
 * from the sources (`src/cli/`), three from the build (`dist/src/cli/`).
 *
 * @throws CliError `broken_install` when no package.json of consensus-guard is found (a broken install).
 */
export function readPackageVersion(): string {
  for (const relative of ['../../package.json', '../../../package.json']) {
    let text: string;
    try {
      text = readFileSync(new URL(relative, import.meta.url), 'utf8');
    } catch {
      continue; // not at this level: try the next one
    }
    const pkg = JSON.parse(text) as { name?: unknown; version?: unknown };
    if (pkg.name === 'consensus-guard' && typeof pkg.version === 'string') return pkg.version;
  }
  throw new CliError(
    `no package.json of consensus-guard above ${import.meta.url}: reinstall consensus-guard`,
    {
      code: 'broken_install',
    },
  );
}
