/**
 * Calibrates the severity of consensus failures per event class from the price reactions of real
 * incidents and writes data/incidents/severity.json (docs/hazard.md, "Severity"), which the hazard
 * model imports and test/risk/severity.test.ts checks against this CSV.
 *
 *   node --import tsx scripts/calibrate-severity.ts [CSV] [--check]
 *
 * CSV defaults to data/incidents/price_reactions.csv (a copy of shared/data/incidents). `--check`
 * writes nothing and exits 1 when the committed file differs. Prints the tables of docs/hazard.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { toSeverityTable } from '../src/risk/hazard/toSeverityTable.ts';
import { parseCsvRecords } from '../test/realData/parseCsv.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const check = args.includes('--check');
const csvPath = args.find((a) => !a.startsWith('--')) ?? `${root}data/incidents/price_reactions.csv`;
const outPath = `${root}data/incidents/severity.json`;

const table = toSeverityTable(parseCsvRecords(readFileSync(csvPath, 'utf8')));
const text = `${JSON.stringify(table, null, 2)}\n`;
if (check) {
  const committed = readFileSync(outPath, 'utf8');
  if (committed !== text) {
    console.error(`${outPath} differs from the calibration of ${csvPath}: run scripts/calibrate-severity.ts`);
    process.exit(1);
  }
} else {
  writeFileSync(outPath, text);
}

const f = (x: number, digits = 4) => x.toFixed(digits);
console.log('| class | source | events | weighted | mean log move | sd | sd of mean | recovery | 90% band |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const c of Object.values(table.severity.classes)) {
  console.log(
    `| ${c.eventClass} | ${c.source} | ${c.events} | ${f(c.weightedEvents, 2)} | ${f(c.meanLogMove)} | ${f(c.sdLogMove)} | ${f(c.sdOfMean)} | ${f(c.recovery)} | ${f(c.recoveryLow)} to ${f(c.recoveryHigh)} |`,
  );
}
console.log('');
console.log(
  '| chain | hazard/yr | liveness | finality | reorg | client_split | expected loss/yr | recovery of the mix |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const [chain, mix] of Object.entries(table.chains)) {
  const by = Object.fromEntries(mix.classes.map((c) => [c.eventClass, c.intensityPerYear]));
  console.log(
    `| ${chain} | ${f(mix.hazardPerYear)} | ${f(by.liveness ?? 0)} | ${f(by.finality ?? 0)} | ${f(by.reorg ?? 0)} | ${f(by.client_split ?? 0)} | ${f(mix.expectedLossPerYear, 5)} | ${f(mix.recovery)} |`,
  );
}
console.log(`\nskipped: ${table.severity.skipped.map((s) => `${s.incidentId} (${s.reason})`).join(', ')}`);
