import { createHash } from 'node:crypto';
import type { ReportData } from './reportData.ts';

/** The page's scripts and style sheets, as text (see loadReportAssets). */
export type ReportAssets = {
  /** uPlot's minified script (defines the global `uPlot`) and style sheet. */
  uplotJs: string;
  uplotCss: string;
  /** src/http/dashboard/charts.js: the charts, shared with the dashboard. */
  chartsJs: string;
  /** src/http/dashboard/base.css: the style shared with the dashboard. */
  baseCss: string;
  /** src/report/page/report.js and report.css: the page around them. */
  reportJs: string;
  reportCss: string;
};

/**
 * One self-contained HTML page: every script and style sheet inline, the data embedded as JSON,
 * and a Content-Security-Policy that allows exactly these inline scripts and styles (by hash) and
 * no request at all, so the file opens without a network and never reaches one.
 */
export function renderReportHtml(data: ReportData, assets: ReportAssets): string {
  const scripts = [assets.uplotJs, assets.chartsJs, assets.reportJs].map(toInline);
  const styles = [assets.uplotCss, assets.baseCss, assets.reportCss].map(toInline);
  const csp = [
    "default-src 'none'",
    `script-src ${scripts.map(toHashSource).join(' ')}`,
    `style-src ${styles.map(toHashSource).join(' ')}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8" />',
    `<meta http-equiv="Content-Security-Policy" content="${csp}" />`,
    '<meta name="viewport" content="width=device-width, initial-scale=1" />',
    `<title>${escapeHtml(data.title)}</title>`,
    ...styles.map((css) => `<style>${css}</style>`),
    '</head>',
    '<body>',
    `<header><h1 id="title">${escapeHtml(data.title)}</h1></header>`,
    '<main>',
    '<section aria-labelledby="summary-title" class="card"><h2 id="summary-title">Summary</h2><div id="summary"></div></section>',
    '<div id="chains"></div>',
    '<section aria-labelledby="incidents-title" class="card"><h2 id="incidents-title">Incidents: breaker transitions and their causes</h2><div id="incidents"></div></section>',
    '</main>',
    `<script type="application/json" id="report-data">${toScriptJson(data)}</script>`,
    ...scripts.map((js) => `<script>${js}</script>`),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Text that cannot close the element it is inlined in. */
function toInline(text: string): string {
  return text.replace(/<\/(script|style)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

function toHashSource(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** JSON that is safe inside a script element: `<`, `>` and `&` escaped. */
function toScriptJson(data: ReportData): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
