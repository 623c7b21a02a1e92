// Charts of one chain's history, drawn with uPlot (loaded before this script as the global
// `uPlot`). Shared by the live dashboard (served from /dashboard/charts.js) and the report of
// `consensus-guard report` (inlined). A classic script: it defines the global `GuardCharts`.
//
// Input, one object per chain (times in seconds since the Unix epoch, as uPlot expects):
//   { chain, preset, fromS, toS,
//     blockTime: { kind, meanMs, warningMs, criticalMs } | null,
//     heads:     [{ name, t: [], v: [] }]   head height per node
//     lag:       [{ name, t: [], v: [] }]   canonical head minus the node's head, blocks
//     intervals: { t: [], v: [] }           seconds between successive canonical heights
//     reorgs:    [{ name, t: [], v: [] }]   reorg depths, `chain` and `node` scope
//     levels:    ['normal', …]              the breaker levels, lowest to highest (from the API)
//     breakers:  [{ name, t: [], v: [] }]   breaker level rank: an index into `levels`
//     signals:   [{ t, kind, severity, node, message }] }
(() => {
  const SEVERITIES = ['info', 'warning', 'critical', 'safety'];
  const PALETTE = ['#0969da', '#bc4c00', '#1a7f37', '#8250df', '#cf222e', '#9a6700', '#1b7c83', '#57606a'];
  const KIND_COLORS = {
    reorg: '#cf222e',
    liveness: '#8250df',
    finality: '#1b7c83',
    divergence: '#bc4c00',
    lag: '#9a6700',
    latency: '#57606a',
    integrity: '#000000',
    quorum: '#0969da',
  };
  const HEIGHT = 220;

  /** Merges series with their own x values into uPlot's aligned columns (null where absent). */
  function align(series) {
    const xs = new Set();
    for (const s of series) for (const t of s.t) xs.add(t);
    const x = [...xs].sort((a, b) => a - b);
    const index = new Map(x.map((t, i) => [t, i]));
    const columns = series.map((s) => {
      const column = new Array(x.length).fill(null);
      s.t.forEach((t, i) => {
        column[index.get(t)] = s.v[i];
      });
      return column;
    });
    return [x, ...columns];
  }

  /** A step series carried to `toS`, so that the last value shows until the end. */
  function carried(series, toS) {
    const last = series.v.at(-1);
    if (last === undefined || series.t.at(-1) >= toS) return series;
    return { ...series, t: [...series.t, toS], v: [...series.v, last] };
  }

  function color(i) {
    return PALETTE[i % PALETTE.length];
  }

  function formatSeconds(s) {
    if (s === null || s === undefined) return '–';
    if (s < 120) return `${s.toFixed(0)} s`;
    if (s < 7200) return `${(s / 60).toFixed(1)} min`;
    return `${(s / 3600).toFixed(1)} h`;
  }

  /** The x scale over the chain's span; reads `data.span`, which each update refreshes. */
  function xScale(data) {
    const span = data.span;
    return { time: true, range: () => [span.fromS, span.toS > span.fromS ? span.toS : span.fromS + 1] };
  }

  const stepped = () => uPlot.paths.stepped({ align: 1 });
  const noLine = () => null;

  /** One chart definition: a title, the uPlot options and the aligned data, from chain data. */
  const CHARTS = [
    {
      id: 'heads',
      title: 'Head height per node',
      build(data) {
        const series = data.heads.map((s) => carried(s, data.toS));
        return {
          options: {
            scales: { x: xScale(data) },
            series: [
              {},
              ...series.map((s, i) => ({
                label: s.name,
                stroke: color(i),
                width: 1.5,
                spanGaps: true,
                paths: stepped(),
                value: (_u, v) => (v === null ? '–' : String(v)),
              })),
            ],
            axes: [{}, { label: 'height', size: 80, values: (_u, splits) => splits.map((v) => String(v)) }],
          },
          data: align(series),
        };
      },
    },
    {
      id: 'intervals',
      title: 'Block intervals against the block-time model',
      build(data) {
        const model = data.blockTime;
        const x = data.intervals.t;
        const flat = (value) => x.map(() => value);
        const series = [
          {},
          {
            label: 'interval',
            stroke: '#0969da',
            paths: noLine,
            points: { show: true, size: 4, fill: '#0969da' },
            value: (_u, v) => formatSeconds(v),
          },
        ];
        const columns = [x, data.intervals.v];
        if (model) {
          const lines = [
            [model.kind === 'slots' ? 'slot' : 'mean block time', model.meanMs, '#1a7f37', []],
            ['liveness warning', model.warningMs, '#9a6700', [6, 4]],
            ['liveness critical', model.criticalMs, '#cf222e', [2, 3]],
          ];
          for (const [label, ms, stroke, dash] of lines) {
            series.push({
              label,
              stroke,
              width: 1.5,
              dash,
              points: { show: false },
              value: () => formatSeconds(ms / 1000),
            });
            columns.push(flat(ms / 1000));
          }
        }
        return {
          options: {
            scales: { x: xScale(data), y: { distr: 3 } },
            series,
            axes: [{}, { label: 'seconds (log)', size: 80 }],
          },
          data: columns,
        };
      },
    },
    {
      id: 'reorgs',
      title: 'Reorg depths',
      build(data) {
        return {
          options: {
            scales: { x: xScale(data), y: { range: (_u, _min, max) => [0, Math.max(2, (max ?? 1) + 1)] } },
            series: [
              {},
              ...data.reorgs.map((s, i) => ({
                label: `${s.name} reorg`,
                stroke: i === 0 ? '#cf222e' : '#bc4c00',
                paths: noLine,
                points: { show: true, size: 9, fill: i === 0 ? '#cf222e' : '#bc4c00' },
              })),
            ],
            axes: [{}, { label: 'depth (blocks)', size: 80 }],
          },
          data: align(data.reorgs),
        };
      },
    },
    {
      id: 'lag',
      title: 'Node lag behind the canonical head',
      build(data) {
        const series = data.lag.map((s) => carried(s, data.toS));
        return {
          options: {
            scales: { x: xScale(data), y: { range: (_u, _min, max) => [0, Math.max(2, (max ?? 1) + 1)] } },
            series: [
              {},
              ...series.map((s, i) => ({
                label: s.name,
                stroke: color(i),
                width: 1.5,
                spanGaps: true,
                paths: stepped(),
              })),
            ],
            axes: [{}, { label: 'lag (blocks)', size: 80 }],
          },
          data: align(series),
        };
      },
    },
    {
      id: 'breaker',
      title: 'Breaker level and signals',
      build(data) {
        const names = data.levels;
        const levels = data.breakers.map((s) => carried(s, data.toS));
        const kinds = [...new Set(data.signals.map((s) => s.kind))].sort();
        const signalSeries = kinds.map((kind) => {
          const own = data.signals.filter((s) => s.kind === kind);
          return { name: kind, t: own.map((s) => s.t), v: own.map((s) => SEVERITIES.indexOf(s.severity)) };
        });
        return {
          options: {
            scales: {
              x: xScale(data),
              y: { range: [-0.2, names.length - 0.8] },
              severity: { range: [-0.5, 3.5] },
            },
            series: [
              {},
              ...levels.map((s, i) => ({
                label: `breaker ${s.name}`,
                stroke: color(i),
                width: 2.5,
                spanGaps: true,
                paths: stepped(),
                value: (_u, v) => (v === null ? '–' : names[v]),
              })),
              ...signalSeries.map((s) => ({
                label: s.name,
                scale: 'severity',
                stroke: KIND_COLORS[s.name] ?? '#000000',
                paths: noLine,
                points: { show: true, size: 7, fill: KIND_COLORS[s.name] ?? '#000000' },
                value: (_u, v) => (v === null ? '–' : SEVERITIES[v]),
              })),
            ],
            axes: [
              {},
              {
                label: 'breaker level',
                size: 110,
                splits: () => names.map((_, i) => i),
                values: (_u, splits) => splits.map((v) => names[v] ?? ''),
              },
              {
                scale: 'severity',
                side: 1,
                label: 'signal severity',
                size: 80,
                grid: { show: false },
                splits: () => [0, 1, 2, 3],
                values: (_u, splits) => splits.map((v) => SEVERITIES[v] ?? ''),
              },
            ],
          },
          data: align([...levels, ...signalSeries]),
        };
      },
    },
  ];

  /** All charts drawn on the page, for inspection (`GuardCharts.instances`). */
  const instances = [];

  /**
   * Draws the charts of one chain into `root` and returns `update(data)`, which redraws them with
   * new data (the series of a chart can change: it is then rebuilt).
   */
  function renderChain(root, data) {
    root.replaceChildren();
    const charts = new Map();
    const width = () => Math.max(320, Math.floor(root.clientWidth || 900) - 8);
    // One span object for the chain's charts, so that their x range follows each update.
    const span = { fromS: data.fromS, toS: data.toS };
    const draw = (next) => {
      span.fromS = next.fromS;
      span.toS = next.toS;
      for (const def of CHARTS) {
        const built = def.build({ ...next, span });
        const shape = built.options.series.map((s) => s.label ?? '').join('|');
        const existing = charts.get(def.id);
        if (existing && existing.shape === shape) {
          existing.plot.setData(built.data);
          continue;
        }
        let box = existing?.box;
        if (!box) {
          box = document.createElement('figure');
          box.className = 'chart';
          box.dataset.chart = def.id;
          const caption = document.createElement('figcaption');
          caption.textContent = def.title;
          box.append(caption);
          root.append(box);
        }
        if (existing) {
          existing.plot.destroy();
          instances.splice(instances.indexOf(existing.entry), 1);
        }
        const plot = new uPlot(
          {
            width: width(),
            height: HEIGHT,
            cursor: { sync: { key: `chain:${next.chain}` } },
            legend: { live: true },
            // Times in UTC, as the rest of the page and the logs give them.
            tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
            ...built.options,
          },
          built.data,
          box,
        );
        const entry = { chain: next.chain, chart: def.id, plot };
        instances.push(entry);
        charts.set(def.id, { box, plot, shape, entry });
      }
    };
    draw(data);
    window.addEventListener('resize', () => {
      for (const { plot } of charts.values()) plot.setSize({ width: width(), height: HEIGHT });
    });
    return { update: draw };
  }

  window.GuardCharts = { renderChain, instances, align, SEVERITIES };
})();
