import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createKeeperHeartbeat } from './createKeeperHeartbeat.ts';
import { OnchainGuardError } from './onchainGuardError.ts';

describe('createKeeperHeartbeat', () => {
  const sink = { heartbeat: async () => undefined };

  for (const intervalMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
    it(`error: intervalMs ${intervalMs} is a config OnchainGuardError`, () => {
      assert.throws(
        () => createKeeperHeartbeat({ sink, intervalMs, onError: () => {} }),
        (error) =>
          error instanceof OnchainGuardError &&
          error.code === 'config' &&
          error.message === `heartbeat intervalMs must be a positive number, got ${intervalMs}`,
      );
    });
  }
});
