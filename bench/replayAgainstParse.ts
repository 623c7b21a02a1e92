import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeObservationLog } from '../src/sources/replay/writeObservationLog.ts';
import { readBitcoinArrivalInput } from '../test/realData/incidentData.ts';
import { toBitcoinArrivalLog } from '../test/realData/toBitcoinArrivalLog.ts';
import { median, timeProcess } from './timeProcess.ts';

/**
 * What a process does at best with the file: read it in 1 MiB chunks, split the lines and
 * JSON.parse each one. Plain JavaScript, so it starts as fast as Node does.
 */
const READ_AND_PARSE = `
import { createReadStream } from 'node:fs';
let rest = '';
let lines = 0;
for await (const chunk of createReadStream(process.argv[1], { encoding: 'utf8', highWaterMark: 1 << 20 })) {
  const text = rest + chunk;
  let start = 0;
  let end = text.indexOf('\\n');
  while (end !== -1) {
    if (end > start) { JSON.parse(text.slice(start, end)); lines++; }
    start = end + 1;
    end = text.indexOf('\\n', start);
  }
  rest = text.slice(start);
}
if (rest.length > 0) { JSON.parse(rest); lines++; }
`;

/**
 * `consensus-guard replay` end to end against a process that only reads and JSON.parses the same
 * file: the real Bitcoin log of test/realData (two nodes, 2023, about 509,000 observations), both
 * run as processes. The process start is left out of both rates: each is timed on the log and on
 * an empty file, and the rate is lines / (log - empty). Rounds are interleaved, each figure the
 * median of its rounds.
 */
export async function runReplayAgainstParseBench(
  options: { rounds?: number; log?: (line: string) => void } = {},
): Promise<{ ratio: number; ratioWithStart: number }> {
  const log = options.log ?? console.log;
  const rounds = options.rounds ?? 5;
  const dir = mkdtempSync(join(tmpdir(), 'cg-bench-'));
  try {
    const file = join(dir, 'bitcoin.jsonl');
    const empty = join(dir, 'empty.jsonl');
    const lines = await writeObservationLog(file, toBitcoinArrivalLog(readBitcoinArrivalInput()));
    writeFileSync(empty, '');
    const mib = statSync(file).size / 2 ** 20;
    const parse = (path: string) => ['--input-type=module', '-e', READ_AND_PARSE, path];
    const replay = (path: string) => ['bin/consensus-guard.js', 'replay', path, '--preset', 'bitcoin'];
    const times = {
      parse: [] as number[],
      parseStart: [] as number[],
      replay: [] as number[],
      replayStart: [] as number[],
    };
    for (let round = 0; round < rounds; round++) {
      times.parse.push(timeProcess(parse(file)));
      times.parseStart.push(timeProcess(parse(empty)));
      times.replay.push(timeProcess(replay(file)));
      times.replayStart.push(timeProcess(replay(empty)));
    }
    const m = {
      parse: median(times.parse),
      parseStart: median(times.parseStart),
      replay: median(times.replay),
      replayStart: median(times.replayStart),
    };
    const parseRate = lines / ((m.parse - m.parseStart) / 1000);
    const replayRate = lines / ((m.replay - m.replayStart) / 1000);
    const rate = (perSecond: number) => `${Math.round(perSecond).toLocaleString('en-US')} lines/s`;
    log(
      `replay vs parse: real Bitcoin log, ${lines} lines, ${mib.toFixed(1)} MiB; medians of ${rounds} rounds`,
    );
    log(
      `replay vs parse: read + JSON.parse ${rate(parseRate)} (${m.parse.toFixed(0)} ms, start ${m.parseStart.toFixed(0)} ms)`,
    );
    log(
      `replay vs parse: consensus-guard replay ${rate(replayRate)} (${m.replay.toFixed(0)} ms, start ${m.replayStart.toFixed(0)} ms)`,
    );
    const ratio = replayRate / parseRate;
    const ratioWithStart = m.parse / m.replay;
    log(
      `replay vs parse: ratio ${ratio.toFixed(2)} without the process start, ${ratioWithStart.toFixed(2)} with it`,
    );
    return { ratio, ratioWithStart };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runReplayAgainstParseBench();
