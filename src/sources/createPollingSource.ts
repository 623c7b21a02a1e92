import type { Observation } from '../core/observation.ts';
import type { Logger } from '../log/createLogger.ts';
import { type Source, sourceConfigError } from './source.ts';

/**
 * A source that runs `poll` at once on start and then `intervalMs` after each poll ends (never two
 * at a time; a second start is a `config` error). `emit` hands observations to the consumer of the
 * moment: none before start or after stop; a consumer that throws is logged
 * (`source_consumer_failed`), never thrown into the poll. Stop waits for a poll under way.
 */
export function createPollingSource(parameters: {
  name: string;
  intervalMs: number;
  poll: () => Promise<void>;
  logger: Logger;
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
    emit(observation) {
      try {
        consumer(observation);
      } catch (error) {
        parameters.logger.error(
          { code: 'source_consumer_failed', err: error },
          `the consumer of source ${parameters.name} threw`,
        );
      }
    },
    source: {
      name: parameters.name,
      async start(onObservation) {
        if (running) throw sourceConfigError(`source ${parameters.name} is already started`);
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
