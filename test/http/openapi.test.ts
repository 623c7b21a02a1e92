import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { checkAnswer, loadOpenApiDocument } from './withOpenApiCheck.ts';

describe('GET /openapi.json', () => {
  test('default: an OpenAPI 3.1 document that the OpenAPI schema validator accepts', async () => {
    const document = await loadOpenApiDocument();
    assert.match(document.openapi, /^3\.1\.\d+$/);
    const validator = new Validator();
    const result = await validator.validate(document);
    assert.deepEqual(result.errors, undefined);
    assert.equal(result.valid, true);
    assert.equal(validator.version, '3.1');
    assert.deepEqual(Object.keys(document.paths).sort(), [
      '/api/breakers',
      '/api/breakers/{name}',
      '/api/breakers/{name}/override',
      '/api/breakers/{name}/resume',
      '/api/chains',
      '/api/chains/{chain}',
      '/api/chains/{chain}/proofs',
      '/api/chains/{chain}/resolution',
      '/api/chains/{chain}/tree',
      '/api/cluster',
      '/api/events',
      '/api/nodes',
      '/api/risk',
      '/api/signals',
      '/healthz',
      '/metrics',
      '/openapi.json',
      '/readyz',
    ]);
  });

  test('error: the validator refuses a document that breaks the OpenAPI 3.1 schema', async () => {
    const document = await loadOpenApiDocument();
    const broken = structuredClone(document) as {
      paths: Record<string, Record<string, { responses: unknown }>>;
    };
    broken.paths['/healthz']!.get!.responses = 'none';
    const result = await new Validator().validate(broken);
    assert.equal(result.valid, false);
  });

  test('error: an answer outside its schema, or of an undocumented status, fails the check', async () => {
    const answer = (status: number, body: unknown) =>
      new Response(JSON.stringify(body), {
        status,
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
      });
    const lone = { role: 'leader', instance: null, epoch: null, location: null };
    await checkAnswer('GET', '/healthz', answer(200, { status: 'ok', ...lone }));
    await assert.rejects(
      checkAnswer('GET', '/healthz', answer(200, { status: 'fine', ...lone })),
      /must be equal to (constant|one of the allowed values)/,
    );
    await assert.rejects(
      checkAnswer('GET', '/api/chains', answer(200, { chains: [{ name: 'x' }] })),
      /must have required property/,
    );
    await assert.rejects(
      checkAnswer('GET', '/api/chains/x', answer(404, { error: { code: 'unknown_breaker', message: 'm' } })),
      /must be equal to one of the allowed values/,
    );
    await assert.rejects(checkAnswer('GET', '/healthz', answer(418, {})), /status not documented/);
  });
});
