import type { Observation } from '../core/observation.ts';
import type { Source } from './source.ts';

/**
 * A source that runs `poll` at once on start and then `intervalMs` after each poll ends (never two
 * at a time). `emit` hands observations to the consumer of the moment: none before start or after
 * stop. Stop waits for a poll under way.
 */
export function createPollingSource(parameters: {
  name: string;
  intervalMs: number;
  poll: () => Promise<void>;
}): { source: Source; emit: (observation: Observation) => void } {
  let consumer: (observation: Observation) => void = () => {};
  let running = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> | undefined;
  const loop = async () => {
    if (!running) return;
    inFlight = parameters.poll();
    await inFlight;
    inFlight = undefined;
    if (running) timer = setTimeout(loop, parameters.intervalMs);
  };
  return {
    emit: (observation) => consumer(observation),
    source: {
      name: parameters.name,
      async start(onObservation) {
        consumer = onObservation;
        running = true;
        timer = setTimeout(loop, 0);
      },
      async stop() {
        running = false;
        if (timer) clearTimeout(timer);
        await inFlight;
        consumer = () => {};
      },
    },
  };
}
