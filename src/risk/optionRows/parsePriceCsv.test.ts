import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PricingError } from '../pricing/errors.ts';
import { parsePriceCsv } from './parsePriceCsv.ts';

const HEADER = 'type,exercise,model,spot,strike,T,r,q,vol';
const ROW = {
  type: 'call',
  exercise: 'european',
  model: 'bsm',
  spot: 100,
  strike: 110,
  T: 0.25,
  r: 0.01,
  q: 0,
  vol: 0.3,
} as const;

/** Asserts that `run` throws a PricingError with code `invalid_input` and a message matching `message`. */
function assertInvalidInput(run: () => unknown, message: RegExp): void {
  assert.throws(run, (e: unknown) => {
    assert.ok(e instanceof PricingError);
    assert.equal(e.code, 'invalid_input');
    assert.match(e.message, message);
    return true;
  });
}

describe('parsePriceCsv', () => {
  it('default: columns in any order, optional ones absent', () => {
    const rows = parsePriceCsv(
      'vol,T,strike,spot,type,exercise,model,r,q\n0.3,0.25,110,100,call,european,bsm,0.01,0\n',
    );
    assert.deepEqual(rows, [ROW]);
  });

  it('behavior: quoted cells may hold commas, doubled quotes, spaces and line breaks', () => {
    const text = [
      '"type","exercise","model","spot","strike","T","r","q","vol","hazard"',
      '"call", "european" ,bsm,"100",110,0.25,0.01,0,0.3,',
      '"put","euro, ""pean""",bsm,100,110,0.25,0.01,0,0.3,',
      '"call","european","bsm","1,00",110,0.25,0.01,0,0.3,',
      'call,european,bsm,100,110,0.25,0.01,0,0.3,"0.1',
      '"',
    ].join('\r\n');
    const rows = parsePriceCsv(text);
    assert.deepEqual(rows, [
      ROW,
      { error: 'line 3: exercise must be european or american, got "euro, "pean""' },
      { error: 'line 4: spot must be a number, got "1,00"' },
      { ...ROW, hazard: 0.1 },
    ]);
  });

  it('behavior: blank lines and a byte-order mark are skipped; a row names its line in the file', () => {
    const rows = parsePriceCsv(`\uFEFF${HEADER}\n\n   \ncall,european,bsm,100,110,0.25,0.01,0,-0.3\n`);
    assert.deepEqual(rows, [{ ...ROW, vol: -0.3 }]);
    const [bad] = parsePriceCsv(`${HEADER}\n\ncall,european,bsm,100,110,x,0.01,0,0.3\n`);
    assert.deepEqual(bad, { error: 'line 3: T must be a number, got "x"' });
  });

  const rowErrors: Array<[string, string, RegExp]> = [
    ['bad model', 'put,european,heston,100,100,1,0,0,0.2', /model must be one of/],
    ['bad exercise', 'put,bermudan,bsm,100,100,1,0,0,0.2', /exercise must be/],
    ['too few cells', 'put,european,bsm,100', /4 cells, the header has 9/],
    ['empty required cell', 'put,european,bsm,,100,1,0,0,0.2', /spot is missing/],
  ];
  for (const [name, line, message] of rowErrors) {
    it(`error: ${name} becomes that row's error`, () => {
      const [row] = parsePriceCsv(`${HEADER}\n${line}\n`);
      assert.ok(row && 'error' in row);
      assert.match(row.error, message);
    });
  }

  it('error: unknown column', () => {
    assertInvalidInput(() => parsePriceCsv(`${HEADER},hazardRate\n`), /unknown CSV column hazardRate/);
  });
  it('error: missing column', () => {
    assertInvalidInput(
      () => parsePriceCsv('type,exercise,model,spot,strike,T,r,q\n'),
      /lacks the column vol/,
    );
  });
  it('error: empty file', () => {
    assertInvalidInput(() => parsePriceCsv(''), /empty/);
    assertInvalidInput(() => parsePriceCsv('\n  \n'), /empty/);
  });
  it('error: a quote left open is not CSV', () => {
    assertInvalidInput(
      () => parsePriceCsv(`${HEADER}\n"call,european,bsm,100,110,0.25,0.01,0,0.3\n`),
      /cannot be read: Quote Not Closed/,
    );
  });
});
