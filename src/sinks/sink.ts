import type { Transition } from '../breaker/levels.ts';

/**
 * A sink receives every breaker transition through the durable outbox, at least once, in order
 * per breaker. `transition.idempotencyKey` identifies it: a sink (or its receiver) drops repeats.
 * `deliver` resolves when the receiver has accepted the action and rejects to ask for a retry
 * (the outbox retries with backoff); it must not throw for a transition it chooses to ignore.
 */
/** Who delivers: the leader of a cluster (docs/deploy.md) and its fencing epoch. A receiver may
 * refuse an epoch lower than one it has seen; it deduplicates by idempotency key either way. */
export type DeliveryContext = { instance: string; epoch: number };

export type Sink = {
  /** Unique name, used as the outbox's delivery key with the idempotency key. */
  readonly name: string;
  deliver(transition: Transition, context?: DeliveryContext): Promise<void>;
  close?(): Promise<void>;
};
