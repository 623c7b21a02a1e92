import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CliError } from '../src/cli/errors.ts';
import { ConfigError } from '../src/config/configError.ts';
import { parseConfig } from '../src/config/parseConfig.ts';
import { CodedError } from '../src/core/codedError.ts';
import { HttpError } from '../src/http/httpError.ts';
import { ReportError } from '../src/report/reportError.ts';
import { RiskError } from '../src/risk/contagion/riskError.ts';
import { FieldError } from '../src/risk/fieldError.ts';
import { HazardError } from '../src/risk/hazard/hazardError.ts';
import { PricingError } from '../src/risk/pricing/errors.ts';
import { ServiceError } from '../src/runtime/serviceError.ts';
import { SnapshotError } from '../src/runtime/snapshot/snapshotError.ts';
import { SimError } from '../src/sim/simError.ts';
import { OnchainGuardError } from '../src/sinks/onchain/onchainGuardError.ts';
import { WebhookError } from '../src/sinks/webhook/webhookError.ts';
import { toReplayError } from '../src/sources/replay/replayError.ts';
import { SourceError } from '../src/sources/source.ts';
import { StoreError } from '../src/store/storeError.ts';

const SRC = new URL('../src/', import.meta.url).pathname;

/** Every `class X... extends Y` of src whose name or base names an error, with its file. */
function findErrorClasses(): { name: string; file: string }[] {
  const found: { name: string; file: string }[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (/\.ts$/.test(entry.name) && !entry.name.endsWith('.test.ts')) {
        const text = readFileSync(path, 'utf8');
        for (const match of text.matchAll(/\bclass\s+(\w+)(?:<[^>{]*>)?\s+extends\s+(\w+)/g)) {
          if (/Error$/.test(match[1]!) || /Error$/.test(match[2]!))
            found.push({ name: match[1]!, file: relative(SRC, path) });
        }
      }
    }
  };
  visit(SRC);
  return found;
}

const cause = new Error('the library error');

/** One error of each class, built with `cause` or obtained from the code that throws it. */
const EXAMPLES: Record<string, () => unknown> = {
  CodedError: () => new CodedError({ code: 'example', shortMessage: 'an example', cause }),
  CliError: () => new CliError('cannot read the file: give another --config', { code: 'usage', cause }),
  ConfigError: () => {
    try {
      parseConfig('chains: [', 'guard.yaml', {});
    } catch (error) {
      return error;
    }
    throw new Error('parseConfig accepted broken YAML');
  },
  HttpError: () => new HttpError('internal', 'internal error', { cause }),
  ReportError: () => new ReportError({ code: 'report_unwritable', shortMessage: 'cannot write', cause }),
  RiskError: () =>
    new RiskError('invalid_input', 'spot must be > 0', { field: 'spot', value: -1 }, { cause }),
  FieldError: () => new FieldError('invalid_input', 'x must be > 0', { field: 'x', value: 0 }, { cause }),
  HazardError: () => new HazardError('invalid_input', 'price must be > 0', { field: 'price' }, { cause }),
  PricingError: () =>
    new PricingError('invalid_input', 'volAnnual must be >= 0', { volAnnual: -1 }, { cause }),
  ServiceError: () => new ServiceError('store_unavailable', 'the store cannot write', { cause }),
  SnapshotError: () => new SnapshotError('corrupt', 'not an encoded graph: a bigint', { cause }),
  SimError: () => new SimError('unknown_scenario', 'unknown scenario "nope"', { cause }),
  OnchainGuardError: () => new OnchainGuardError({ code: 'timeout', shortMessage: 'no receipt', cause }),
  WebhookError: () => new WebhookError('unreachable', 'connection refused', { cause }),
  ReplayError: () => toReplayError(Object.assign(new Error('ENOENT'), { code: 'ENOENT' }), 'x.jsonl', false),
  SourceError: () => new SourceError({ code: 'timeout', shortMessage: 'no answer within 1000 ms', cause }),
  StoreError: () => new StoreError('store_closed', 'the store is closed', { cause }),
};

describe('error classes', () => {
  const classes = findErrorClasses();

  it('default: the scan finds the error classes, and each has an example here', () => {
    assert.ok(classes.length >= 10, `found only ${classes.length}`);
    const missing = classes.filter((c) => !(c.name in EXAMPLES)).map((c) => `${c.name} (${c.file})`);
    assert.deepEqual(missing, [], 'add an example of each new error class to EXAMPLES');
  });

  for (const { name, file } of classes) {
    it(`behavior: ${name} is a CodedError with a code, a short message and its cause`, async () => {
      const module = (await import(pathToFileURL(join(SRC, file)).href)) as Record<string, unknown>;
      const errorClass = module[name] as abstract new (...args: never[]) => unknown;
      const error = EXAMPLES[name]?.();
      assert.ok(error instanceof errorClass, `the example of ${name} is not one`);
      assert.ok(error instanceof CodedError, `${name} does not extend CodedError`);
      assert.equal(error.name, name);
      assert.equal(typeof error.code, 'string');
      assert.ok(error.code.length > 0, 'empty code');
      assert.ok(error.shortMessage.length > 0, 'empty short message');
      assert.ok(!error.shortMessage.includes('\n'), 'the short message spans lines');
      assert.ok(error.message.startsWith(error.shortMessage));
      assert.ok(error.cause !== undefined, 'no cause');
      assert.notEqual(error.walk(), error, 'walk() does not leave the error');
      assert.equal(
        error.walk((e) => e === error.cause),
        error.cause,
      );
    });
  }

  it('behavior: walk() ends at the deepest cause and stops on a cycle', () => {
    const inner = new CodedError({ code: 'inner', shortMessage: 'inner', cause });
    const outer = new CodedError({ code: 'outer', shortMessage: 'outer', cause: inner });
    assert.equal(outer.walk(), cause);
    assert.equal(
      outer.walk((e) => e instanceof CodedError && e.code === 'inner'),
      inner,
    );
    assert.equal(
      outer.walk(() => false),
      undefined,
    );
    const a = new CodedError({ code: 'a', shortMessage: 'a' });
    const b = new CodedError({ code: 'b', shortMessage: 'b', cause: a });
    (a as { cause?: unknown }).cause = b;
    assert.ok(b.walk() === a || b.walk() === b);
  });

  it('behavior: string details follow the short message; structured details stay out of it', () => {
    assert.equal(
      new CodedError({ code: 'x', shortMessage: 'cannot read', details: 'disk full' }).message,
      'cannot read: disk full',
    );
    const pricing = new PricingError('invalid_input', 'spot must be > 0', { spot: -1 });
    assert.equal(pricing.message, 'spot must be > 0');
    assert.deepEqual(pricing.details, { spot: -1 });
    const config = new ConfigError('guard.yaml', ['chains: required', 'sinks[0].url: not a URL']);
    assert.equal(config.message, 'guard.yaml: chains: required; sinks[0].url: not a URL');
    assert.deepEqual(config.issues, ['chains: required', 'sinks[0].url: not a URL']);
  });
});
