import { readFile } from 'node:fs/promises';
import { ConfigError, type GuardConfig, parseConfig } from '../config/parseConfig.ts';
import { CliError } from './errors.ts';

/** Reads and validates a guard config file; an unreadable or invalid file is a one-line CLI error. */
export async function readConfigFile(path: string): Promise<GuardConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read config ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return parseConfig(text, path, process.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, { code: error.code });
    throw error;
  }
}
