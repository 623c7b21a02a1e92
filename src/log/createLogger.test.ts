import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { type CreateLoggerParameters, createLogger } from './createLogger.ts';

/** A logger of `parameters` whose lines are collected. */
function collect(parameters: CreateLoggerParameters) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ ...parameters, destination });
  return { logger, lines };
}

describe('createLogger', () => {
  it('default: JSON lines at info and above, with level name, ISO time, component, code and msg', () => {
    const { logger, lines } = collect({ pretty: false });
    const child = logger.child({ component: 'sink', sink: 'ops' });
    child.debug({ code: 'webhook_refused' }, 'not written');
    child.warn({ code: 'delivery_failed', attempts: 2 }, 'HTTP 503');
    assert.equal(lines.length, 1);
    assert.ok(lines[0]!.endsWith('\n'));
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.deepEqual(Object.keys(entry), ['level', 'time', 'component', 'sink', 'code', 'attempts', 'msg']);
    assert.equal(entry.level, 'warn');
    assert.equal(new Date(entry.time as string).toISOString(), entry.time);
    assert.equal(entry.msg, 'HTTP 503');
  });

  it('args: level silent writes nothing; level trace writes everything', () => {
    const silent = collect({ level: 'silent', pretty: false });
    silent.logger.fatal({ code: 'x' }, 'no');
    assert.equal(silent.lines.length, 0);
    const trace = collect({ level: 'trace', pretty: false });
    trace.logger.trace({ code: 'x' }, 'yes');
    assert.equal(trace.lines.length, 1);
  });

  it('behavior: fields named secret, password or authorization are censored', () => {
    const { logger, lines } = collect({ pretty: false });
    logger.info({ code: 'x', secret: 's3', password: 'p4', headers: { authorization: 'Bearer t5' } }, 'm');
    assert.doesNotMatch(lines[0]!, /s3|p4|t5/);
    assert.match(lines[0]!, /"secret":"\*\*\*"/);
  });

  it('behavior: text from outside stays on one printable line that parses back to itself', () => {
    const { logger, lines } = collect({ pretty: false });
    const hostile = 'a\r\nforged\u2028line\u001b[31m\u202e';
    logger.info({ code: 'x', reason: hostile }, hostile);
    assert.equal(lines.length, 1);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters
    assert.doesNotMatch(lines[0]!.slice(0, -1), /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
    const entry = JSON.parse(lines[0]!) as { msg: string; reason: string };
    assert.equal(entry.msg, hostile);
    assert.equal(entry.reason, hostile);
  });

  it('args: pretty writes readable lines without colour to a given destination, the message escaped', () => {
    const { logger, lines } = collect({ pretty: true });
    logger.warn({ code: 'source_unreachable' }, 'node\r\ngone');
    const text = lines.join('');
    assert.match(text, /WARN.*node\\r\\ngone.*"code":"source_unreachable"/);
    assert.equal(text.includes('\u001b'), false);
  });
});
