import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LivenessSignal } from '../../src/core/signal.ts';
import { runObservations } from '../../src/engine/run.ts';
import { readIncidentFile, toSlotRows } from './incidentData.ts';
import { parseCsvRecords } from './parseCsv.ts';
import { DEFAULT_SLOT_NODES, type SlotRow, toEthereumSlotLog } from './toEthereumSlotLog.ts';

/**
 * The Ethereum finality incidents of 11 and 12 May 2023, slot by slot (from reorg.pics): which
 * slots had a canonical block. Three nodes receive each canonical block early in its slot; missed
 * slots bring only ticks (toEthereumSlotLog). The `ethereum` preset tolerates 3 missed slots.
 *
 * Expectations from the data: every run of 4 or more consecutive slots without a canonical block
 * (computed from the slot file, and checked against the runs file of the same source) raises one
 * liveness `warning` during the run; shorter runs raise nothing; nothing is `critical`.
 */

type Run = { firstSlot: number; length: number };

function toRuns(slots: readonly SlotRow[]): Run[] {
  const runs: Run[] = [];
  let current: Run | undefined;
  for (const row of slots) {
    if (row.canonical) {
      if (current) runs.push(current);
      current = undefined;
    } else if (current) current.length += 1;
    else current = { firstSlot: row.slot, length: 1 };
  }
  if (current) runs.push(current);
  return runs;
}

const listedRuns: Run[] = parseCsvRecords(
  readIncidentFile('ethereum-beacon/reorgpics_runs_of_4plus_consecutive_noncanonical_slots.csv'),
).map((r) => ({ firstSlot: Number(r.first_slot), length: Number(r.length_slots) }));

const windows = [
  { day: '2023-05-11', file: 'ethereum-beacon/eth_mainnet_2023-05-11_finality_incident_slots.csv' },
  { day: '2023-05-12', file: 'ethereum-beacon/eth_mainnet_2023-05-12_finality_incident_slots.csv' },
];

for (const { day, file } of windows) {
  const slots = toSlotRows(readIncidentFile(file));
  const first = slots[0]!.slot;
  const last = slots.at(-1)!.slot;
  const runs = toRuns(slots);
  const bursts = runs.filter((r) => r.length >= 4);
  const shortRuns = runs.filter((r) => r.length < 4);
  const slotStartMs = (slot: number) => slots.find((s) => s.slot === slot)!.slotStartUnix * 1000;
  const result = runObservations({ chains: { ethereum: { preset: 'ethereum' } } }, toEthereumSlotLog(slots));
  const liveness = result.signals.filter((s): s is LivenessSignal => s.kind === 'liveness');

  describe(`real data: Ethereum ${day}, slots ${first}-${last}`, () => {
    it(`default: the ${bursts.length} bursts of 4+ missed slots are those the runs file lists`, () => {
      const listed = listedRuns.filter((r) => r.firstSlot >= first && r.firstSlot <= last);
      assert.deepEqual(bursts, listed);
    });

    it(`behavior: one liveness warning per burst (${bursts.map((b) => `${b.firstSlot}+${b.length}`).join(', ')})`, () => {
      assert.equal(liveness.length, bursts.length);
      bursts.forEach((burst, i) => {
        const signal = liveness[i]!;
        const runStartMs = slotStartMs(burst.firstSlot);
        const nextBlockSlotStartMs = slotStartMs(burst.firstSlot + burst.length);
        assert.equal(signal.severity, 'warning');
        assert.ok(
          signal.atMs > runStartMs && signal.atMs <= nextBlockSlotStartMs,
          `warning for the burst at ${burst.firstSlot} raised at ${new Date(signal.atMs).toISOString()}`,
        );
      });
    });

    it(`behavior: nothing for the ${shortRuns.length} runs of 1 to 3 missed slots, nothing critical`, () => {
      for (const run of shortRuns) {
        const from = slotStartMs(run.firstSlot);
        const to = slotStartMs(run.firstSlot + run.length);
        assert.deepEqual(
          liveness.filter((s) => s.atMs >= from && s.atMs <= to),
          [],
        );
      }
      assert.deepEqual(
        result.signals.filter((s) => s.severity !== 'info' && s.severity !== 'warning'),
        [],
      );
      assert.deepEqual(
        result.signals.filter((s) => s.kind !== 'liveness'),
        [],
      );
      assert.ok(result.transitions.every((t) => t.to === 'caution' || t.to === 'normal'));
    });

    it('behavior: a burst warning counts the slots already missed', () => {
      const offsetMs = Math.min(...DEFAULT_SLOT_NODES.map((n) => n.offsetMs));
      bursts.forEach((burst, i) => {
        const signal = liveness[i]!;
        const slotsOver = Math.floor((signal.atMs - slotStartMs(burst.firstSlot)) / 12_000);
        assert.ok(offsetMs < 12_000);
        assert.equal(signal.missedSlots, slotsOver);
      });
    });
  });
}
