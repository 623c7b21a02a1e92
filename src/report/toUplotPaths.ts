import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Paths of uPlot's browser build (defines the global `uPlot`) and style sheet, from its package. */
export function toUplotPaths(): { js: string; css: string } {
  return {
    js: require.resolve('uplot/dist/uPlot.iife.min.js'),
    css: require.resolve('uplot/dist/uPlot.min.css'),
  };
}
