import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Observation } from '../core/observation.ts';
import type { Logger } from '../log/createLogger.ts';
import { createPollingSource } from './createPollingSource.ts';

const tick = (atMs: number): Observation => ({ type: 'tick', chain: 'devnet', observedAtMs: atMs });

describe('createPollingSource', () => {
  it('behavior: polls again after a consumer that throws, which is logged; a second start is a config error', async () => {
    const logged: string[] = [];
    const logger = { error: (entry: { code: string }) => logged.push(entry.code) } as unknown as Logger;
    let polls = 0;
    const received: number[] = [];
    let thirdPoll: () => void = () => {};
    const third = new Promise<void>((resolve) => {
      thirdPoll = resolve;
    });
    const { source, emit } = createPollingSource({
      name: 'n1',
      intervalMs: 1,
      logger,
      poll: async () => {
        polls += 1;
        emit(tick(polls));
        if (polls === 3) thirdPoll();
      },
    });
    emit(tick(0)); // before start: nobody receives it
    await source.start((o) => {
      received.push(o.observedAtMs);
      if (o.observedAtMs === 1) throw new Error('consumer bug');
    });
    await assert.rejects(
      source.start(() => {}),
      { name: 'SourceError', code: 'config' },
    );
    await third;
    await source.stop();
    const afterStop = polls;
    emit(tick(99));
    assert.deepEqual(received.slice(0, 3), [1, 2, 3]);
    assert.equal(received.includes(0) || received.includes(99), false);
    assert.deepEqual(logged, ['source_consumer_failed']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(polls, afterStop, 'no poll after stop');
  });
});
