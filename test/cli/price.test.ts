import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { registerPrice } from '../../src/cli/commands/price.ts';
import { CliError } from '../../src/cli/errors.ts';
import { hazardPerYear } from '../../src/risk/hazard/hazardPerYear.ts';
import { jumpToDefaultGreeks } from '../../src/risk/pricing/jumpToDefault.ts';
import { bsmIndependent } from '../risk/independentBsm.ts';
import { loadReference } from '../risk/reference.ts';

const reference = loadReference();

/** Runs `price` with the given arguments; returns the output and the thrown error, if any. */
function run(args: string[]): { out: string; err: string; error?: unknown } {
  let out = '';
  let err = '';
  const output = { out: (text: string) => void (out += text), err: (text: string) => void (err += text) };
  const program = new Command('consensus-guard').exitOverride();
  program.configureOutput({ writeOut: output.out, writeErr: output.err });
  registerPrice(program, output);
  for (const command of program.commands) {
    command.exitOverride();
    command.configureOutput({ writeOut: output.out, writeErr: output.err });
  }
  try {
    program.parse(['price', ...args], { from: 'user' });
    return { out, err };
  } catch (error) {
    return { out, err, error };
  }
}

function exitCodeOf(error: unknown): number | undefined {
  if (error instanceof CliError) return error.exitCode;
  if (error && typeof error === 'object' && 'exitCode' in error) return 2;
  return undefined;
}

/** Writes `lines` (joined by `eol`) to a new CSV file named `name`; returns its path. */
function writeCsv(name: string, lines: string[], eol = '\n'): string {
  const file = join(mkdtempSync(join(tmpdir(), 'price-')), name);
  writeFileSync(file, lines.join(eol));
  return file;
}

const HEADER =
  'type,exercise,model,spot,strike,T,r,q,vol,steps,hazard,recovery,jumpIntensity,jumpMeanLog,jumpVol';

describe('price command', () => {
  const bsmCase = reference.bsm[0];
  assert.ok(bsmCase);

  it('default: one option from flags, priced as QuantLib does', () => {
    const i = bsmCase.input;
    const { out, error } = run([
      '--type',
      i.type,
      '--spot',
      String(i.spot),
      '--strike',
      String(i.strike),
      '--days',
      String(i.days),
      '--r',
      String(i.rate),
      '--q',
      String(i.yieldRate),
      '--vol',
      String(i.volAnnual),
      '--json',
    ]);
    assert.equal(error, undefined);
    const [result] = JSON.parse(out) as Array<Record<string, number>>;
    assert.ok(result);
    for (const [key, value] of Object.entries(bsmCase.expected)) {
      assert.ok(Math.abs((result[key] as number) - value) <= 1e-9 * Math.abs(value), key);
    }
  });

  it('args: human table names every Greek', () => {
    const { out } = run(['--type', 'put', '--spot', '100', '--strike', '90', '--T', '0.5', '--vol', '0.6']);
    assert.match(
      out.split('\n')[0] ?? '',
      /price\s+delta\s+gamma\s+vega\s+theta\s+rho\s+dividendRho\s+hazardSensitivity/,
    );
    assert.match(out.split('\n')[1] ?? '', /bsm european put K=90/);
  });

  it('args: jtd with hazard and recovery has a hazard sensitivity', () => {
    const { out } = run([
      '--type',
      'call',
      '--model',
      'jtd',
      '--spot',
      '100',
      '--strike',
      '100',
      '--T',
      '1',
      '--vol',
      '0.5',
      '--hazard',
      '0.2',
      '--recovery',
      '0.3',
      '--json',
    ]);
    const [result] = JSON.parse(out) as Array<Record<string, number>>;
    assert.ok(result && typeof result.hazardSensitivity === 'number' && result.hazardSensitivity > 0);
  });

  it('args: --chain and --level take the hazard from the hazard model', () => {
    const option = [
      '--type',
      'put',
      '--model',
      'jtd',
      '--spot',
      '100',
      '--strike',
      '100',
      '--days',
      '30',
      '--vol',
      '0.5',
    ];
    // The hazard model's curve (raised by caution, decaying to the base) and its class-mix recovery.
    const hazard = hazardPerYear({ chain: 'solana', live: { level: 'caution' } });
    const fromChain = JSON.parse(run([...option, '--chain', 'solana', '--level', 'caution', '--json']).out);
    const fromLibrary = jumpToDefaultGreeks({
      type: 'put',
      spot: 100,
      strike: 100,
      timeYears: 30 / 365,
      rate: 0,
      yieldRate: 0,
      volAnnual: 0.5,
      hazardPerYear: hazard.curve.longRunPerYear,
      hazardCurve: { initialPerYear: hazard.curve.initialPerYear, halfLifeYears: hazard.curve.halfLifeYears },
      recoveryFraction: hazard.recoveryFraction,
    });
    assert.equal(fromChain[0].price, fromLibrary.price);
    assert.equal(fromChain[0].jumpToDefault.recoveryFraction, hazard.recoveryFraction);
    const zeroRecovery = JSON.parse(
      run([...option, '--chain', 'solana', '--level', 'caution', '--recovery', '0', '--json']).out,
    );
    assert.ok(zeroRecovery[0].price > fromChain[0].price, '--recovery overrides the class mix');
    const normal = JSON.parse(run([...option, '--chain', 'solana', '--json']).out) as Array<{
      price: number;
    }>;
    assert.ok((normal[0]?.price as number) < (fromChain[0].price as number), 'caution raises the hazard');
  });

  it('behavior: jumpToDefault is the value with the underlying at recovery times spot, minus the price', () => {
    const market = { spot: 100, strike: 95, timeYears: 0.25, rate: 0.03, yieldRate: 0, volAnnual: 0.6 };
    for (const type of ['call', 'put'] as const) {
      const [result] = JSON.parse(
        run([
          '--type',
          type,
          '--spot',
          '100',
          '--strike',
          '95',
          '--T',
          '0.25',
          '--r',
          '0.03',
          '--vol',
          '0.6',
          '--recovery',
          '0.5',
          '--json',
        ]).out,
      );
      const after = bsmIndependent({ ...market, type, spot: 50 });
      const before = bsmIndependent({ ...market, type });
      assert.ok(Math.abs(result.jumpToDefault.valueAfter - after) < 1e-9);
      assert.ok(Math.abs(result.jumpToDefault.pnl - (after - before)) < 1e-9);
    }
    const [zero] = JSON.parse(
      run([
        '--type',
        'put',
        '--spot',
        '100',
        '--strike',
        '95',
        '--T',
        '0.25',
        '--r',
        '0.03',
        '--vol',
        '0.6',
        '--json',
      ]).out,
    );
    assert.ok(
      Math.abs(zero.jumpToDefault.valueAfter - 95 * Math.exp(-0.03 * 0.25)) < 1e-12,
      'recovery 0: K e^{-rT}',
    );
    const table = run([
      '--type',
      'put',
      '--spot',
      '100',
      '--strike',
      '95',
      '--T',
      '0.25',
      '--vol',
      '0.6',
    ]).out;
    assert.match(table, /jumpPnl/);
  });

  it('behavior: a halt switches --chain to the post-event state: spot marked to the recovery, no further jump', () => {
    const option = [
      '--type',
      'put',
      '--model',
      'jtd',
      '--spot',
      '3200',
      '--strike',
      '3200',
      '--days',
      '30',
      '--vol',
      '0.65',
    ];
    const hazard = hazardPerYear({ chain: 'ethereum', live: { level: 'halt' } });
    assert.equal(hazard.state, 'post_event');
    const [halted] = JSON.parse(run([...option, '--chain', 'ethereum', '--level', 'halt', '--json']).out);
    const expected = bsmIndependent({
      type: 'put',
      spot: 3200 * hazard.recoveryFraction,
      strike: 3200,
      timeYears: 30 / 365,
      rate: 0,
      yieldRate: 0,
      volAnnual: 0.65,
    });
    assert.ok(Math.abs(halted.price - expected) < 1e-9 * expected);
    assert.equal(halted.jumpToDefault.pnl, 0);
  });

  it('behavior: --chain fills the hazard of CSV rows that have none', () => {
    const file = writeCsv('chain.csv', [
      'type,exercise,model,spot,strike,T,r,q,vol,hazard',
      'put,european,jtd,100,100,0.1,0,0,0.5,',
      'put,european,jtd,100,100,0.1,0,0,0.5,0.25',
    ]);
    const results = JSON.parse(run(['--csv', file, '--chain', 'ethereum', '--json']).out) as Array<{
      price: number;
    }>;
    const direct = JSON.parse(
      run([
        '--type',
        'put',
        '--model',
        'jtd',
        '--spot',
        '100',
        '--strike',
        '100',
        '--T',
        '0.1',
        '--vol',
        '0.5',
        '--hazard',
        '0.25',
        '--recovery',
        String(hazardPerYear({ chain: 'ethereum' }).recoveryFraction),
        '--json',
      ]).out,
    ) as Array<{ price: number }>;
    assert.equal(results[1]?.price, direct[0]?.price);
    assert.notEqual(results[0]?.price, results[1]?.price);
  });

  it('behavior: a CSV chain in input order, with an error for the bad row alone', () => {
    const crrCase = reference.crr.find((c) => c.input.exercise === 'american');
    assert.ok(crrCase);
    const c = crrCase.input;
    const file = writeCsv('chain.csv', [
      HEADER,
      `${c.type},american,crr,${c.spot},${c.strike},${c.timeYears},${c.rate},${c.yieldRate},${c.volAnnual},${c.steps},,,,,`,
      'put,european,bsm,100,100,0.5,0.05,0,-0.2,,,,,,',
      'call,european,merton,100,100,0.5,0.05,0,0.2,,,,1,-0.1,0.15',
      '',
    ]);
    const { out, error } = run(['--csv', file, '--json']);
    assert.equal(error, undefined);
    const results = JSON.parse(out) as Array<Record<string, unknown>>;
    assert.equal(results.length, 3);
    assert.ok(
      Math.abs((results[0]?.price as number) - (crrCase.expected.price as number)) <=
        1e-9 * (crrCase.expected.price as number),
    );
    assert.deepEqual(Object.keys(results[0] ?? {}).sort(), [
      'delta',
      'gamma',
      'jumpToDefault',
      'price',
      'theta',
    ]);
    assert.match(String(results[1]?.error), /vol must be a finite number > 0/);
    assert.equal(typeof results[2]?.vega, 'number');
  });

  const usage: Array<[string, string[], RegExp]> = [
    [
      'missing strike',
      ['--type', 'call', '--spot', '100', '--T', '1', '--vol', '0.2'],
      /--strike is required/,
    ],
    [
      'negative vol',
      ['--type', 'call', '--spot', '100', '--strike', '100', '--T', '1', '--vol', '-0.2'],
      /--vol must be/,
    ],
    [
      'T and days',
      ['--type', 'call', '--spot', '1', '--strike', '1', '--T', '1', '--days', '3', '--vol', '0.2'],
      /not both/,
    ],
    [
      'bad number',
      ['--type', 'call', '--spot', 'abc', '--strike', '1', '--T', '1', '--vol', '0.2'],
      /--spot must be a number/,
    ],
    [
      'bad type',
      ['--type', 'straddle', '--spot', '1', '--strike', '1', '--T', '1', '--vol', '0.2'],
      /--type must be call or put/,
    ],
    [
      'merton without jumps',
      ['--type', 'call', '--model', 'merton', '--spot', '1', '--strike', '1', '--T', '1', '--vol', '0.2'],
      /needs --jump-intensity/,
    ],
    ['csv with option flags', ['--csv', 'x.csv', '--spot', '1'], /drop --spot/],
    [
      'unknown chain',
      [
        '--type',
        'put',
        '--model',
        'jtd',
        '--spot',
        '1',
        '--strike',
        '1',
        '--T',
        '1',
        '--vol',
        '0.2',
        '--chain',
        'nochain',
      ],
      /--chain: no base rate/,
    ],
    [
      'unknown level',
      [
        '--type',
        'put',
        '--model',
        'jtd',
        '--spot',
        '1',
        '--strike',
        '1',
        '--T',
        '1',
        '--vol',
        '0.2',
        '--chain',
        'solana',
        '--level',
        'panic',
      ],
      /--level must be one of/,
    ],
    [
      'hazard and chain',
      [
        '--type',
        'put',
        '--model',
        'jtd',
        '--spot',
        '1',
        '--strike',
        '1',
        '--T',
        '1',
        '--vol',
        '0.2',
        '--chain',
        'solana',
        '--hazard',
        '1',
      ],
      /not both/,
    ],
  ];
  for (const [name, args, message] of usage) {
    it(`error: ${name} is a usage error (exit 2)`, () => {
      const { error } = run(args);
      assert.equal(exitCodeOf(error), 2);
      assert.match((error as Error).message, message);
      assert.ok(!(error as Error).message.includes('\n'));
    });
  }

  it('behavior: quoted CSV cells, with commas and doubled quotes inside, are read as one cell', () => {
    const file = writeCsv(
      'quoted.csv',
      [
        '"type","exercise","model","spot","strike","T","r","q","vol"',
        '"put", "european" ,bsm,"1,000",900,1,0,0,0.2',
        'call,"euro""pean",bsm,100,100,1,0,0,0.2',
      ],
      '\r\n',
    );
    const { out, error } = run(['--csv', file, '--json']);
    assert.equal(error, undefined);
    const results = JSON.parse(out) as Array<Record<string, unknown>>;
    assert.equal(results.length, 2);
    // "1,000" is one cell (not a fifth column): the row fails on the number, not on its cell count.
    assert.deepEqual(results[0], { error: 'line 2: spot must be a number, got "1,000"' });
    assert.deepEqual(results[1], { error: 'line 3: exercise must be european or american, got "euro"pean"' });
  });

  it("error: a CSV header with an unknown column exits 1 with the pricing error's code", () => {
    const file = writeCsv('bad.csv', [`${HEADER},hazardRate`, '']);
    const { error } = run(['--csv', file]);
    assert.ok(error instanceof CliError);
    assert.equal(error.exitCode, 1);
    assert.equal(error.code, 'invalid_input');
    assert.match(error.message, /bad\.csv: unknown CSV column hazardRate/);
  });

  it('error: an unreadable file exits 1', () => {
    const { error } = run(['--csv', join(tmpdir(), 'does-not-exist', 'chain.csv')]);
    assert.equal(exitCodeOf(error), 1);
    assert.match((error as Error).message, /cannot read .*ENOENT/);
  });
});
