import { describeSignalCases, everySecond, type Script } from '../../test/support/describeSignalCases.ts';
import type { Observation } from '../core/observation.ts';
import type { Signal } from '../core/signal.ts';

// A chain seen from several watcher locations: a location whose every node is frozen (no head
// change for the liveness warning time, devnet 4.5 s) while a majority of locations see progress
// is the guard's own partition, not the chain's.
const project = (s: Signal) =>
  s.kind === 'monitor_partition'
    ? { location: s.location, healthyLocations: s.healthyLocations, locations: s.locations }
    : {};

/** Node n at each of `locations` reports heads a1..a<to>, one a second. */
const watched = (s: Script, locations: readonly string[], from: number, to: number): Observation[] =>
  everySecond(from, to, (t) => locations.map((location) => ({ ...s.head('n', `a${t}`, t), location })));

describeSignalCases('detectMonitorPartition', ['monitor_partition'], project, [
  {
    name: 'default: every location sees progress',
    observations: (s) => watched(s, ['eu', 'us', 'asia'], 1, 12),
    expected: [],
  },
  {
    name: 'behavior: one location of three frozen while two advance is the monitor’s partition',
    observations: (s) => [...watched(s, ['eu', 'us', 'asia'], 1, 3), ...watched(s, ['eu', 'us'], 4, 10)],
    // asia's head last moved at t=3: frozen from t=7.5, first seen at t=8.
    expected: [{ location: 'asia', healthyLocations: 2, locations: 3 }],
  },
  {
    name: 'behavior: every location frozen is the chain’s halt, not a partition',
    observations: (s) => [
      ...watched(s, ['eu', 'us', 'asia'], 1, 3),
      ...Array.from({ length: 10 }, (_, i) => s.tick(4 + i)),
    ],
    expected: [],
  },
  {
    name: 'args: a chain watched from one place has no partition of its own',
    observations: (s) => [
      ...watched(s, ['eu'], 1, 3),
      ...Array.from({ length: 10 }, (_, i) => s.tick(4 + i)),
    ],
    expected: [],
  },
]);
