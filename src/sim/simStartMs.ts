/** Start of monitoring in every run: 2024-01-01T00:00:00Z, in ms. Slot and epoch boundaries of
 * every preset fall on it, so epochs counted from the Unix epoch are whole. */
export const SIM_START_MS = 1_704_067_200_000;
