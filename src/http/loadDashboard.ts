import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { toUplotPaths } from '../report/toUplotPaths.ts';

export type DashboardAsset = { body: string; contentType: string };

const ASSETS = {
  '/': { file: 'index.html', contentType: 'text/html; charset=utf-8' },
  '/dashboard/app.js': { file: 'app.js', contentType: 'text/javascript; charset=utf-8' },
  '/dashboard/base.css': { file: 'base.css', contentType: 'text/css; charset=utf-8' },
  '/dashboard/style.css': { file: 'style.css', contentType: 'text/css; charset=utf-8' },
  '/dashboard/charts.js': { file: 'charts.js', contentType: 'text/javascript; charset=utf-8' },
} as const;

/**
 * Reads the dashboard's static files (src/http/dashboard: a page, its scripts and style sheet; no
 * build step) once, keyed by the path they are served at, with uPlot's browser build and style
 * sheet from its package. Looks beside this module, then in the source tree when running from
 * `dist/`.
 */
export function loadDashboard(): Map<string, DashboardAsset> {
  const candidates = [
    new URL('./dashboard/', import.meta.url),
    new URL('../../../src/http/dashboard/', import.meta.url),
  ];
  const dir = candidates.find((url) => existsSync(fileURLToPath(new URL('index.html', url))));
  const assets = new Map<string, DashboardAsset>();
  if (!dir) return assets;
  for (const [path, { file, contentType }] of Object.entries(ASSETS)) {
    assets.set(path, { body: readFileSync(fileURLToPath(new URL(file, dir)), 'utf8'), contentType });
  }
  const uplot = toUplotPaths();
  assets.set('/dashboard/uplot.js', {
    body: readFileSync(uplot.js, 'utf8'),
    contentType: 'text/javascript; charset=utf-8',
  });
  assets.set('/dashboard/uplot.css', {
    body: readFileSync(uplot.css, 'utf8'),
    contentType: 'text/css; charset=utf-8',
  });
  return assets;
}
