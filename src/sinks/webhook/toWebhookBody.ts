import type { Level, Transition } from '../../breaker/levels.ts';

export const WEBHOOK_SHAPES = ['generic', 'slack', 'pagerduty'] as const;
/** `generic`: the transition with its context; `slack`: an incoming-webhook message;
 * `pagerduty`: a PagerDuty Events API v2 event. */
export type WebhookShape = (typeof WEBHOOK_SHAPES)[number];

/** What the guard knows about the breaker beside the transition. */
export type WebhookContext = {
  /** Chains the breaker protects. */
  chains: readonly string[];
  /** The cluster leader that delivers, with its fencing epoch (generic shape: `leader`). */
  leader?: { instance: string; epoch: number };
};

export type ToWebhookBodyParameters = {
  shape: WebhookShape;
  transition: Transition;
  context: WebhookContext;
  /** PagerDuty integration key (`pagerduty` only). */
  routingKey?: string;
  /** `payload.source` of PagerDuty events. Default `consensus-guard`. */
  source?: string;
};

const PAGERDUTY_SEVERITY: Record<Level, 'info' | 'warning' | 'error' | 'critical'> = {
  normal: 'info',
  caution: 'warning',
  reduce_only: 'error',
  halt: 'critical',
  settlement_hold: 'critical',
};

const SLACK_MARK: Record<Level, string> = {
  normal: ':large_green_circle:',
  caution: ':large_yellow_circle:',
  reduce_only: ':large_orange_circle:',
  halt: ':red_circle:',
  settlement_hold: ':no_entry:',
};

/**
 * The JSON body of a webhook for one transition, in one of the ready-made shapes
 * (docs/service.md). The body is the same at every attempt, so a receiver may compare bodies.
 *
 * - generic: `{ type: 'breaker.transition', idempotencyKey, transition, breaker: { name, chains } }`;
 * - slack: `{ text, blocks }` for a Slack incoming webhook;
 * - pagerduty: `{ routing_key, event_action, dedup_key, payload }`: `trigger` when the breaker
 *   leaves `normal` or moves between raised levels, `resolve` when it returns to `normal`;
 *   `dedup_key` is one per breaker (`consensus-guard/<breaker>`), so a breaker's incident is one
 *   PagerDuty alert that its recovery resolves.
 */
export function toWebhookBody(parameters: ToWebhookBodyParameters): Record<string, unknown> {
  const { transition: t, context } = parameters;
  const summary = `${t.breaker}: ${t.from} -> ${t.to} (${t.reason})`;
  switch (parameters.shape) {
    case 'generic':
      return {
        type: 'breaker.transition',
        idempotencyKey: t.idempotencyKey,
        transition: t,
        breaker: { name: t.breaker, chains: [...context.chains] },
        ...(context.leader === undefined ? {} : { leader: { ...context.leader } }),
      };
    case 'slack': {
      const chains = context.chains.join(', ');
      const text = `${SLACK_MARK[t.to]} consensus-guard breaker *${t.breaker}* (${chains}): ${t.from} → *${t.to}*`;
      const who = t.mode === 'manual' ? `manual, by ${t.actor ?? 'unknown'}` : 'automatic';
      return {
        text: `${text}: ${toSlackText(t.reason)}`,
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text } },
          { type: 'section', text: { type: 'mrkdwn', text: toSlackText(t.reason) } },
          {
            type: 'context',
            elements: [
              {
                type: 'mrkdwn',
                text: `${who} · ${new Date(t.atMs).toISOString()} · ${t.idempotencyKey}`,
              },
            ],
          },
        ],
      };
    }
    case 'pagerduty':
      return {
        routing_key: parameters.routingKey ?? '',
        event_action: t.to === 'normal' ? 'resolve' : 'trigger',
        dedup_key: `consensus-guard/${t.breaker}`,
        payload: {
          summary: summary.length > 1024 ? `${summary.slice(0, 1021)}...` : summary,
          severity: PAGERDUTY_SEVERITY[t.to],
          source: parameters.source ?? 'consensus-guard',
          timestamp: new Date(t.atMs).toISOString(),
          component: t.breaker,
          group: context.chains.join(','),
          class: t.causes.length > 0 ? t.causes.join(',') : t.mode,
          custom_details: { ...t, chains: [...context.chains] },
        },
      };
  }
}

function toSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').slice(0, 2900);
}
