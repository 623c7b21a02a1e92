import { CodedError } from '../core/codedError.ts';

/** Where a configuration is unusable: its name (e.g. the file path) and each `path: reason`. */
export type ConfigErrorDetails = { source: string; issues: string[] };

/** A configuration that cannot be used: `issues` lists each path and reason. */
export class ConfigError extends CodedError<'invalid_config', ConfigErrorDetails> {
  override name = 'ConfigError';
  readonly issues: string[];

  constructor(source: string, issues: string[], options: { cause?: unknown } = {}) {
    super({
      code: 'invalid_config',
      shortMessage: `${source}: ${issues.join('; ')}`,
      details: { source, issues },
      cause: options.cause,
    });
    this.issues = issues;
  }
}
