/**
 * Awaits `promise` while holding the event loop open. A command that waits for SIGINT or SIGTERM
 * needs it: signal listeners do not keep Node running, the runtime's timers are unref'd, and with
 * no socket left (nothing to watch, every source stopped) the loop would empty, the promise stay
 * unsettled, and Node exit with code 13 without a word.
 */
export async function holdOpenUntil<T>(promise: Promise<T>): Promise<T> {
  // The longest delay a timer takes; it only has to exist.
  const timer = setInterval(() => undefined, 2 ** 31 - 1);
  try {
    return await promise;
  } finally {
    clearInterval(timer);
  }
}
