/** One entry of the service's log: what its parts (outbox, commits, cluster) report. */
export type ServiceLogEntry = {
  level: 'info' | 'warn' | 'error';
  /** Machine-readable event code, e.g. `delivery_failed`, `store_write_failed`. */
  code: string;
  message: string;
  [field: string]: unknown;
};
