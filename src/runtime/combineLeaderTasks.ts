import type { LeaderTask } from './leaderTask.ts';
import type { ServiceLogEntry } from './log/serviceLogEntry.ts';

/** One {@link LeaderTask} that starts and stops each of `tasks`; one that fails to stop is logged
 * (`leader_task_stop_failed`) and the others still stop. */
export function combineLeaderTasks(
  tasks: readonly LeaderTask[],
  log: (entry: ServiceLogEntry) => void,
): LeaderTask {
  return {
    start() {
      for (const task of tasks) task.start();
    },
    async stop() {
      await Promise.all(
        tasks.map((task) =>
          task
            .stop()
            .catch((error: Error) =>
              log({ level: 'warn', code: 'leader_task_stop_failed', message: error.message }),
            ),
        ),
      );
    },
  };
}
