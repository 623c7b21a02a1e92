import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { Registry } from 'prom-client';
import { type App, createApp } from '../../src/http/createApp.ts';
import { createMetrics } from '../../src/http/createMetrics.ts';
import { createTestService } from './createTestService.ts';

type Operation = { responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
export type OpenApiDocument = { openapi: string; paths: Record<string, Record<string, Operation>> };

/** The document `GET /openapi.json` serves, from an app of its own (no rate limit token spent). */
export async function loadOpenApiDocument(): Promise<OpenApiDocument> {
  const service = await createTestService();
  const app = createApp({
    view: service.view,
    metrics: createMetrics({ registry: new Registry(), view: service.view, processMetrics: false }),
    limits: { rateLimit: false },
  });
  const res = await app.request('/openapi.json');
  assert.equal(res.status, 200);
  return (await res.json()) as OpenApiDocument;
}

const document = await loadOpenApiDocument();
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(document, 'openapi.json');
const templates = Object.keys(document.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+').replace(/\./g, '\\.')}$`),
}));

/** `METHOD template status` of every answer checked in this process. */
export const checkedAnswers = new Set<string>();

/**
 * Checks one answer against the OpenAPI document: the path and method are documented (or it is a
 * `404 not_found`), the status is one of the operation's responses, the media type is one of that
 * response's, and a JSON body validates against its schema (ajv, JSON Schema 2020-12).
 */
export async function checkAnswer(method: string, url: string, res: Response): Promise<void> {
  const path = new URL(url, 'http://localhost').pathname;
  const where = `${method} ${path} -> ${res.status}`;
  const template = templates.find((t) => t.pattern.test(path))?.template;
  const operation = template ? document.paths[template]?.[method.toLowerCase()] : undefined;
  if (!template || !operation) {
    assert.equal(res.status, 404, `${where}: not in the OpenAPI document`);
    assert.equal(((await res.clone().json()) as { error: { code: string } }).error.code, 'not_found');
    return;
  }
  const response = operation.responses[String(res.status)];
  assert.ok(response, `${where}: status not documented for ${method} ${template}`);
  const mediaType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
  assert.ok(response.content?.[mediaType], `${where}: media type ${mediaType} not documented`);
  checkedAnswers.add(`${method.toUpperCase()} ${template} ${res.status}`);
  if (mediaType !== 'application/json') return;
  const pointer = [
    'paths',
    template,
    method.toLowerCase(),
    'responses',
    String(res.status),
    'content',
    mediaType,
    'schema',
  ]
    .map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1'))
    .join('/');
  const validate = ajv.getSchema(`openapi.json#/${pointer}`);
  assert.ok(validate, `${where}: no schema at ${pointer}`);
  const body: unknown = await res.clone().json();
  assert.ok(
    validate(body),
    `${where}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 2000)}`,
  );
}

/**
 * `app`, whose `request` checks every answer with {@link checkAnswer} before returning it. The
 * API tests build their apps through it, so every route's answers in them are checked.
 */
export function withOpenApiCheck(app: App): App {
  const request = app.request;
  app.request = (async (input: string | Request | URL, init?: RequestInit, ...rest: unknown[]) => {
    const res = await (request as (...args: unknown[]) => Response | Promise<Response>)(input, init, ...rest);
    const method = input instanceof Request ? input.method : (init?.method ?? 'GET');
    const url = input instanceof Request ? input.url : String(input);
    await checkAnswer(method, url, res);
    return res;
  }) as App['request'];
  return app;
}
