import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Transition } from '../../src/breaker/levels.ts';
import { createCliLogger } from '../../src/cli/createCliLogger.ts';
import { startCliHttp } from '../../src/cli/httpOptions.ts';
import { formatLiveEvent, type Output, toRunDocument } from '../../src/cli/output.ts';
import type { LagSignal } from '../../src/core/signal.ts';
import { createTestService } from '../http/createTestService.ts';

const TOKEN = 'printable-test-token-0123';
const HOSTILE = 'down\r\naudit: forged override by root\x1b[31m\u0085\u2028';

/** Every character a terminal or a log reader would act on, one written line at a time. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for them
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Each chunk is whole lines: no raw control character anywhere but the final line feed. */
function assertPrintableLines(text: string): void {
  assert.ok(text.endsWith('\n'), JSON.stringify(text));
  for (const line of text.slice(0, -1).split('\n'))
    assert.doesNotMatch(line, RAW_CONTROL, JSON.stringify(line));
}

function captureOutput(): Output & { outs: string[]; errs: string[] } {
  const outs: string[] = [];
  const errs: string[] = [];
  return { outs, errs, out: (text) => outs.push(text), err: (text) => errs.push(text) };
}

describe('printing text from outside', () => {
  const signal: LagSignal = {
    kind: 'lag',
    chain: 'ethereum',
    node: 'geth-1\x1b]0;pwned\x07',
    client: 'Geth/v1.13\r\nBREAKER',
    severity: 'critical',
    atMs: 1_704_067_200_000,
    message: `geth-1 unreachable for 30 s: rpc_error: ${HOSTILE}`,
    lagBlocks: 0,
    laggingForMs: 30_000,
    unreachable: true,
    lastError: `rpc_error: ${HOSTILE}`,
  };

  test('behavior: a signal with a node error message carrying CR/LF and ESC prints as one line', () => {
    const line = formatLiveEvent({ type: 'signal', signal }, false);
    assertPrintableLines(line);
    assert.equal(line.split('\n').length, 2);
    assert.match(line, /rpc_error: down\\r\\naudit: forged override by root\\u001b\[31m\\u0085\\u2028$/m);
    assert.match(line, /ethereum\/geth-1\\u001b\]0;pwned\\u0007/);
  });

  test('behavior: --json lines and documents escape DEL, C1 and U+2028, and parse to the same value', () => {
    const line = formatLiveEvent({ type: 'signal', signal }, true);
    assertPrintableLines(line);
    assert.deepEqual(JSON.parse(line), { type: 'signal', ...signal });
    const summary = {
      observations: 0,
      signals: 1,
      transitions: 0,
      signalsByKind: {},
      chains: {},
      breakers: {},
      maxLevels: {},
    };
    const document = toRunDocument([signal], [], summary as never);
    assertPrintableLines(document);
    assert.deepEqual((JSON.parse(document) as { signals: unknown[] }).signals[0], signal);
  });

  test('behavior: an override whose actor and reason carry CR/LF and ESC logs one audit line and prints one transition line', async () => {
    const service = await createTestService();
    await service.feed(0, 50);
    const output = captureOutput();
    const transitions: Transition[] = [];
    service.view.subscribe((event) => {
      if (event.type !== 'transition') return;
      transitions.push(event.transition);
      output.out(formatLiveEvent(event, false));
      output.out(formatLiveEvent(event, true));
    });
    const http = await startCliHttp({
      view: service.view,
      address: { host: '127.0.0.1', port: 0 },
      token: TOKEN,
      output,
      announce: false,
      logger: createCliLogger('info', output),
    });
    try {
      const res = await fetch(`${http.server.url}/api/breakers/ethereum/override`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          level: 'halt',
          actor: `mallory\r\naudit: resume ethereum by alice`,
          reason: HOSTILE,
        }),
      });
      assert.equal(res.status, 200);
      // The API answers JSON, and the stored override keeps the text as given.
      const body = (await res.json()) as { breaker: { override: { actor: string } } };
      assert.equal(body.breaker.override.actor, 'mallory\r\naudit: resume ethereum by alice');
    } finally {
      await http.close();
    }
    assert.equal(transitions.length, 1);
    for (const text of [...output.errs, ...output.outs]) assertPrintableLines(text);
    const logged = output.errs
      .join('')
      .split('\n')
      .filter((line) => line.includes('"command_audited"'));
    assert.equal(logged.length, 1);
    assert.match(
      logged[0]!,
      /"msg":"override ethereum to halt by mallory\\r\\naudit: resume ethereum by alice: down\\r\\n/,
    );
    // Escaped the JSON way: the line parses back to the text as given.
    const entry = JSON.parse(logged[0]!) as { msg: string; component: string };
    assert.equal(entry.component, 'http');
    assert.ok(
      entry.msg.startsWith('override ethereum to halt by mallory\r\naudit: resume ethereum by alice'),
    );
    assert.match(
      output.outs[0]!,
      /BREAKER {3}ethereum: \S+ -> halt {2}\(manual override by mallory\\r\\naudit: /,
    );
  });
});
