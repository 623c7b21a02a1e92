import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CodedError } from '../../src/core/codedError.ts';
import { HttpError } from '../../src/http/httpError.ts';
import { toHttpError } from '../../src/http/toHttpError.ts';
import { RiskError } from '../../src/risk/contagion/riskError.ts';
import { HazardError } from '../../src/risk/hazard/hazardError.ts';
import { PricingError } from '../../src/risk/pricing/errors.ts';
import { ServiceError } from '../../src/runtime/serviceError.ts';
import { SourceError } from '../../src/sources/source.ts';
import { StoreError } from '../../src/store/storeError.ts';

/** What a route throws, and the status, code and message the API answers with. */
const CASES: { name: string; error: unknown; status: number; code: string; message: string }[] = [
  {
    name: 'an HttpError as is',
    error: new HttpError('unknown_chain', 'unknown chain "x"'),
    status: 404,
    code: 'unknown_chain',
    message: 'unknown chain "x"',
  },
  {
    name: 'an unknown breaker',
    error: new ServiceError('unknown_breaker', 'unknown breaker "x"'),
    status: 404,
    code: 'unknown_breaker',
    message: 'unknown breaker "x"',
  },
  {
    name: 'a service not running',
    error: new ServiceError('not_started', 'the service is stopped'),
    status: 503,
    code: 'not_ready',
    message: 'the service is not running: retry once /readyz answers 200',
  },
  {
    name: 'a command not stored',
    error: new ServiceError('store_unavailable', 'the store cannot write'),
    status: 503,
    code: 'not_ready',
    message: 'the store cannot write',
  },
  {
    name: 'a member that is not the leader',
    error: new ServiceError('not_leader', 'not the leader: send it to guard-a'),
    status: 503,
    code: 'not_ready',
    message: 'not the leader: send it to guard-a',
  },
  {
    name: 'a store that cannot be read',
    error: new StoreError('store_read_failed', 'a query failed', { details: 'disk I/O error' }),
    status: 503,
    code: 'not_ready',
    message: 'the store cannot be read: a query failed: disk I/O error',
  },
  {
    name: 'a portfolio that does not validate',
    error: new RiskError('invalid_input', 'accounts.0.equity must be a number', {
      field: 'accounts.0.equity',
    }),
    status: 400,
    code: 'bad_request',
    message: 'accounts.0.equity must be a number',
  },
  {
    name: 'a price input out of its domain',
    error: new PricingError('invalid_input', 'volAnnual must be a finite number >= 0, got -1', {
      volAnnual: -1,
    }),
    status: 400,
    code: 'bad_request',
    message: 'volAnnual must be a finite number >= 0, got -1',
  },
  {
    name: 'a hazard input out of its domain',
    error: new HazardError('invalid_input', 'price must be greater than 0, got 0', {
      field: 'price',
      value: 0,
    }),
    status: 400,
    code: 'bad_request',
    message: 'price must be greater than 0, got 0',
  },
  {
    name: 'a pricing method that did not converge: a bug',
    error: new PricingError('not_converged', 'no convergence after 100 iterations'),
    status: 500,
    code: 'internal',
    message: 'internal error',
  },
  {
    name: 'a coded error of a code no route answers',
    error: new SourceError({ code: 'timeout', shortMessage: 'no answer from http://user:pw@node' }),
    status: 500,
    code: 'internal',
    message: 'internal error',
  },
  {
    name: 'a code inherited from Object.prototype',
    error: new CodedError({ code: 'constructor', shortMessage: 'x' }),
    status: 500,
    code: 'internal',
    message: 'internal error',
  },
  {
    name: 'a bare error with a code',
    error: Object.assign(new Error('secret /var/lib/x'), { code: 'unknown_breaker' }),
    status: 500,
    code: 'internal',
    message: 'internal error',
  },
  { name: 'a thrown string', error: 'boom', status: 500, code: 'internal', message: 'internal error' },
];

describe('toHttpError', () => {
  for (const { name, error, status, code, message } of CASES) {
    it(`behavior: ${name} is ${status} ${code}`, () => {
      const answer = toHttpError(error);
      assert.deepEqual(
        { status: answer.status, code: answer.code, message: answer.message },
        { status, code, message },
      );
      if (!(error instanceof HttpError)) assert.equal(answer.cause, error);
    });
  }
});
