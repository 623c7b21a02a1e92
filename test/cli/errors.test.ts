import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CliError, toCliFailure, usageError } from '../../src/cli/errors.ts';
import { StoreError } from '../../src/store/storeError.ts';

describe('toCliFailure', () => {
  const cases: Array<[string, unknown, string, number]> = [
    [
      'a CliError as it says',
      new CliError('cannot read guard.yaml: give another --config'),
      'consensus-guard: cannot read guard.yaml: give another --config\n',
      1,
    ],
    [
      'a usage error exits 2',
      usageError('--port must be a number'),
      'consensus-guard: --port must be a number\n',
      2,
    ],
    [
      'another coded error with its code',
      new StoreError('store_locked', 'another process holds the store'),
      'consensus-guard: another process holds the store (store_locked)\n',
      1,
    ],
    ['anything else as unexpected', new RangeError('bad'), 'consensus-guard: unexpected error: bad\n', 1],
    ['a thrown string', 'boom', 'consensus-guard: unexpected error: boom\n', 1],
    [
      'control characters made printable',
      new CliError('bad \u001b[31mname\u001b[0m'),
      'consensus-guard: bad \\u001b[31mname\\u001b[0m\n',
      1,
    ],
  ];
  for (const [name, error, line, exitCode] of cases) {
    it(`behavior: ${name}`, () => {
      assert.deepEqual(toCliFailure(error), { line, exitCode });
    });
  }
});
