import type { Page } from 'playwright-core';

/** One uPlot chart on a page: its chain and chart id, points per series, coloured canvas pixels. */
export type ChartStats = { chain: string; chart: string; points: number[]; inkPixels: number };

type BrowserChart = {
  chain: string;
  chart: string;
  plot: {
    data: Array<Array<number | null>>;
    ctx: {
      canvas: { width: number; height: number };
      getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
    };
  };
};

/**
 * Reads every chart of `GuardCharts.instances` (src/http/dashboard/charts.js) in the page: the
 * non-null values of each series, and how many canvas pixels are neither transparent nor grey
 * (series strokes and points, not the axes and grid).
 */
export function readChartStats(page: Page): Promise<ChartStats[]> {
  return page.evaluate(() => {
    const charts = (globalThis as unknown as { GuardCharts: { instances: BrowserChart[] } }).GuardCharts
      .instances;
    return charts.map(({ chain, chart, plot }) => {
      const { width, height } = plot.ctx.canvas;
      const pixels = plot.ctx.getImageData(0, 0, width, height).data;
      let inkPixels = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        const [r, g, b, a] = [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!, pixels[i + 3]!];
        if (a > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 40) inkPixels += 1;
      }
      return {
        chain,
        chart,
        points: plot.data
          .slice(1)
          .map((column) => column.filter((v) => v !== null && v !== undefined).length),
        inkPixels,
      };
    });
  });
}
