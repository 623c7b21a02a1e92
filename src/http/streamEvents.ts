import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { toJson } from '../core/json.ts';
import type { ServiceEvent, ServiceView } from '../runtime/serviceView.ts';
import type { HttpLimits } from './createApp.ts';

/**
 * `GET /api/events`: the view's signals and transitions as server-sent events (`signal`,
 * `transition`, numbered from 1), a `: keep-alive` comment every `sseKeepAliveMs` of quiet, and the
 * stream closed once more than `sseMaxQueue` events wait for a slow client.
 */
export function streamEvents(
  c: Context,
  view: ServiceView,
  limits: Pick<HttpLimits, 'sseKeepAliveMs' | 'sseMaxQueue'>,
): Response {
  return streamSSE(c, async (stream) => {
    const queue: ServiceEvent[] = [];
    let wake: (() => void) | undefined;
    let overflow = false;
    const unsubscribe = view.subscribe((event) => {
      if (queue.length >= limits.sseMaxQueue) overflow = true;
      else queue.push(event);
      wake?.();
    });
    stream.onAbort(() => {
      unsubscribe();
      wake?.();
    });
    try {
      await stream.write(': connected\n\n');
      let id = 0;
      while (!stream.aborted && !overflow) {
        const event = queue.shift();
        if (event) {
          id += 1;
          await stream.writeSSE(
            event.type === 'signal'
              ? { event: 'signal', data: toJson(event.signal), id: String(id) }
              : { event: 'transition', data: toJson(event.transition), id: String(id) },
          );
          continue;
        }
        const timedOut = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(true), limits.sseKeepAliveMs);
          wake = () => {
            clearTimeout(timer);
            resolve(false);
          };
        });
        wake = undefined;
        if (timedOut && !stream.aborted) await stream.write(': keep-alive\n\n');
      }
    } finally {
      unsubscribe();
    }
  });
}
