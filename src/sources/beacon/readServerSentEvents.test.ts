import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readServerSentEvents, type ServerSentEvent } from './readServerSentEvents.ts';

async function parse(chunks: string[], maxLineBytes?: number): Promise<ServerSentEvent[]> {
  async function* body() {
    for (const c of chunks) yield new TextEncoder().encode(c);
  }
  const out: ServerSentEvent[] = [];
  for await (const e of readServerSentEvents(body(), maxLineBytes)) out.push(e);
  return out;
}

describe('readServerSentEvents', () => {
  const cases: Array<[string, string[], ServerSentEvent[]]> = [
    ['one event', ['event: head\ndata: {"slot":"1"}\n\n'], [{ event: 'head', data: '{"slot":"1"}' }]],
    ['split across chunks', ['event: he', 'ad\nda', 'ta: x\n', '\n'], [{ event: 'head', data: 'x' }]],
    [
      'CRLF and comments',
      [': keep-alive\r\nevent: block\r\ndata: y\r\n\r\n'],
      [{ event: 'block', data: 'y' }],
    ],
    ['multi-line data', ['data: a\ndata: b\n\n'], [{ event: 'message', data: 'a\nb' }]],
    ['id kept', ['id: 7\nevent: e\ndata: z\n\n'], [{ event: 'e', data: 'z', id: '7' }]],
    ['no data, no event', ['event: head\n\n'], []],
    ['unterminated last event dropped', ['event: head\ndata: 1'], []],
  ];
  for (const [name, chunks, expected] of cases) {
    it(`args: ${name}`, async () => assert.deepEqual(await parse(chunks), expected));
  }
  it('error: a line without end past the limit aborts the stream', async () => {
    await assert.rejects(parse(['data: ', 'x'.repeat(100)], 50), RangeError);
  });
});
