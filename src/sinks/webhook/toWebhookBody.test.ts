import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Transition } from '../../breaker/levels.ts';
import { toWebhookBody } from './toWebhookBody.ts';

const halt: Transition = {
  breaker: 'options',
  from: 'caution',
  to: 'halt',
  atMs: 1_700_000_000_000,
  reason: 'reorg critical: reorg of depth 7 <below finality>',
  causes: ['reorg'],
  mode: 'auto',
  seq: 2,
  idempotencyKey: 'options:2:caution>halt',
};
const recovered: Transition = {
  ...halt,
  from: 'halt',
  to: 'normal',
  seq: 3,
  causes: [],
  idempotencyKey: 'options:3:halt>normal',
};
const context = { chains: ['ethereum', 'bitcoin'] };

describe('toWebhookBody', () => {
  it('default: generic: the transition, its key and the breaker context', () => {
    assert.deepEqual(toWebhookBody({ shape: 'generic', transition: halt, context }), {
      type: 'breaker.transition',
      idempotencyKey: 'options:2:caution>halt',
      transition: halt,
      breaker: { name: 'options', chains: ['ethereum', 'bitcoin'] },
    });
  });

  it('args: slack: text and blocks, with the reason escaped for mrkdwn', () => {
    const body = toWebhookBody({ shape: 'slack', transition: halt, context }) as {
      text: string;
      blocks: Array<{ type: string; text?: { type: string; text: string } }>;
    };
    assert.match(body.text, /breaker \*options\* \(ethereum, bitcoin\): caution → \*halt\*/);
    assert.match(body.text, /&lt;below finality&gt;/);
    assert.deepEqual(
      body.blocks.map((b) => b.type),
      ['section', 'section', 'context'],
    );
    assert.equal(body.blocks[0]?.text?.type, 'mrkdwn');
  });

  it('args: pagerduty: trigger on a raised level, resolve on normal, one dedup key per breaker', () => {
    const trigger = toWebhookBody({
      shape: 'pagerduty',
      transition: halt,
      context,
      routingKey: 'R0UT1NG',
    }) as Record<string, unknown> & { payload: Record<string, unknown> };
    assert.equal(trigger.routing_key, 'R0UT1NG');
    assert.equal(trigger.event_action, 'trigger');
    assert.equal(trigger.dedup_key, 'consensus-guard/options');
    assert.equal(trigger.payload.severity, 'critical');
    assert.equal(trigger.payload.source, 'consensus-guard');
    assert.equal(
      trigger.payload.summary,
      'options: caution -> halt (reorg critical: reorg of depth 7 <below finality>)',
    );
    assert.equal(trigger.payload.timestamp, '2023-11-14T22:13:20.000Z');
    const resolve = toWebhookBody({
      shape: 'pagerduty',
      transition: recovered,
      context,
      routingKey: 'R0UT1NG',
    });
    assert.equal(resolve.event_action, 'resolve');
    assert.equal(resolve.dedup_key, trigger.dedup_key);
    const caution = toWebhookBody({
      shape: 'pagerduty',
      transition: { ...halt, to: 'caution' },
      context,
    }) as {
      payload: { severity: string };
    };
    assert.equal(caution.payload.severity, 'warning');
  });

  it('args: pagerduty: a long summary is cut to 1024 characters', () => {
    const long = { ...halt, reason: 'x'.repeat(2000) };
    const body = toWebhookBody({ shape: 'pagerduty', transition: long, context }) as {
      payload: { summary: string };
    };
    assert.equal(body.payload.summary.length, 1024);
  });
});
