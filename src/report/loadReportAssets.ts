import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ReportAssets } from './renderReportHtml.ts';
import { ReportError } from './reportError.ts';
import { toUplotPaths } from './toUplotPaths.ts';

/**
 * Reads what a report inlines: uPlot from node_modules, the charts and the shared style sheet from
 * the dashboard's folder, and the page's script and style sheet. Looks beside this module, then in the source tree when
 * running from `dist/`.
 */
export async function loadReportAssets(): Promise<ReportAssets> {
  const uplot = toUplotPaths();
  const page = findDir('./page/report.js', '../../../src/report/page/report.js');
  const dashboard = findDir('../http/dashboard/charts.js', '../../../src/http/dashboard/charts.js');
  try {
    const [uplotJs, uplotCss, chartsJs, baseCss, reportJs, reportCss] = await Promise.all([
      readFile(uplot.js, 'utf8'),
      readFile(uplot.css, 'utf8'),
      readFile(new URL('charts.js', dashboard), 'utf8'),
      readFile(new URL('base.css', dashboard), 'utf8'),
      readFile(new URL('report.js', page), 'utf8'),
      readFile(new URL('report.css', page), 'utf8'),
    ]);
    return { uplotJs, uplotCss, chartsJs, baseCss, reportJs, reportCss };
  } catch (cause) {
    throw new ReportError({
      code: 'report_assets_missing',
      shortMessage: 'the report page files cannot be read: reinstall consensus-guard',
      cause,
    });
  }
}

function findDir(...candidates: string[]): URL {
  for (const candidate of candidates) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(url))) return new URL('./', url);
  }
  return new URL('./', new URL(candidates[0]!, import.meta.url));
}
