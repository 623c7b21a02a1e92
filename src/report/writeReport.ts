import { stat, writeFile } from 'node:fs/promises';
import type { EngineConfig } from '../engine/config.ts';
import { createEngineState, step } from '../engine/step.ts';
import type { ObservationLineError } from '../sources/replay/parseObservation.ts';
import { readObservationLogBatches } from '../sources/replay/readObservationLogBatches.ts';
import { createReportCollector } from './createReportCollector.ts';
import { loadReportAssets } from './loadReportAssets.ts';
import { renderReportHtml } from './renderReportHtml.ts';
import type { ReportData } from './reportData.ts';
import { ReportError } from './reportError.ts';

export type WriteReportParameters = {
  /** The observation log (JSON Lines, docs/formats.md). */
  file: string;
  /** Where the HTML goes. */
  out: string;
  config: EngineConfig;
  /** Page title. Default `consensus-guard report: <file>`. */
  title?: string;
  /** Each malformed line (it is skipped). */
  onLineError?: (error: ObservationLineError) => void;
  /** After each chunk read: observations so far, the fraction of the file read (0 to 1, from the
   * chunks read) and the file's size. */
  onProgress?: (progress: { observations: number; fraction: number; sizeBytes: number }) => void;
};

export type WriteReportReturnType = {
  out: string;
  bytes: number;
  data: ReportData;
};

const CHUNK_BYTES = 1 << 20;

/**
 * Replays a log through the engine, as `consensus-guard replay` does, and writes the report: one
 * self-contained HTML file with the charts and the incident table. Throws a ReplayError when the
 * log cannot be read, a ReportError when it holds no observation or the output cannot be written.
 */
export async function writeReport(parameters: WriteReportParameters): Promise<WriteReportReturnType> {
  const { file, out, config } = parameters;
  const assets = await loadReportAssets();
  const state = createEngineState(config);
  const collector = createReportCollector(state);
  let malformed = 0;
  let firstError: ObservationLineError | undefined;
  const onError = (error: ObservationLineError): void => {
    malformed += 1;
    firstError ??= error;
    parameters.onLineError?.(error);
  };
  const sizeBytes = await stat(file).then(
    (s) => s.size,
    () => 0,
  );
  let chunks = 0;
  let observations = 0;
  for await (const batch of readObservationLogBatches(file, { onError, chunkBytes: CHUNK_BYTES })) {
    for (const observation of batch) collector.add(observation, step(state, observation));
    chunks += 1;
    observations += batch.length;
    parameters.onProgress?.({
      observations,
      fraction: sizeBytes > 0 ? Math.min(1, (chunks * CHUNK_BYTES) / sizeBytes) : 1,
      sizeBytes,
    });
  }
  if (observations === 0) {
    throw new ReportError({
      code: 'report_no_observations',
      shortMessage: `${file} holds no observation`,
      details: firstError
        ? `${malformed} malformed lines, the first: line ${firstError.line}: ${firstError.message}; is it an observation log (docs/formats.md)?`
        : 'the file is empty',
    });
  }
  const data = collector.finish({
    title: parameters.title ?? `consensus-guard report: ${file}`,
    source: file,
    malformedLines: malformed,
  });
  const html = renderReportHtml(data, assets);
  try {
    await writeFile(out, html, 'utf8');
  } catch (cause) {
    throw new ReportError({
      code: 'report_unwritable',
      shortMessage: `cannot write ${out}`,
      details: (cause as NodeJS.ErrnoException).code ?? String(cause),
      cause,
    });
  }
  return { out, bytes: Buffer.byteLength(html, 'utf8'), data };
}
