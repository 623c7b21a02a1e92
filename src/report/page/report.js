// The page of a report written by `consensus-guard report`: reads the embedded data (the
// <script type="application/json" id="report-data"> block) and draws it with GuardCharts.
(() => {
  const data = JSON.parse(document.getElementById('report-data').textContent);

  function h(tag, attrs = {}, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null) continue;
      if (key === 'text') el.textContent = String(value);
      else el.setAttribute(key, String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null) continue;
      el.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return el;
  }

  function formatTime(ms) {
    if (ms === null || ms === undefined) return '–';
    return new Date(ms)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z');
  }

  function formatSpan(ms) {
    if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
    if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
    if (ms < 172_800_000) return `${(ms / 3_600_000).toFixed(1)} h`;
    return `${(ms / 86_400_000).toFixed(1)} days`;
  }

  const levelBadge = (level) => h('span', { class: 'level', 'data-level': level, text: level });

  function renderSummary() {
    const span =
      data.fromMs === null
        ? '–'
        : `${formatTime(data.fromMs)} to ${formatTime(data.toMs)} (${formatSpan(data.toMs - data.fromMs)})`;
    const kinds = Object.entries(data.signalsByKind)
      .sort((a, b) => b[1] - a[1])
      .map(([kind, n]) => `${kind} ${n.toLocaleString('en-US')}`)
      .join(', ');
    const facts = [
      ['log', data.source],
      ['time span', span],
      [
        'observations',
        `${data.observations.toLocaleString('en-US')}${data.malformedLines ? ` (${data.malformedLines} malformed lines skipped)` : ''}`,
      ],
      ['chains', data.chains.map((c) => `${c.chain} (${c.preset})`).join(', ') || '–'],
      ['signals', kinds || 'none'],
      ['breaker transitions', String(data.transitions)],
    ];
    const thinned = data.thinned;
    const notes = [];
    if (thinned.points > 0)
      notes.push(
        `${thinned.points.toLocaleString('en-US')} chart points thinned (each time bucket keeps its highest and its last point)`,
      );
    if (thinned.signals > 0)
      notes.push(`${thinned.signals.toLocaleString('en-US')} info signals left out of the charts`);
    if (thinned.incidents > 0)
      notes.push(`${thinned.incidents.toLocaleString('en-US')} later transitions left out of the table`);
    document.getElementById('summary').replaceChildren(
      ...[
        h(
          'dl',
          { class: 'facts' },
          facts.map(([k, v]) => h('div', {}, h('dt', { text: k }), h('dd', { text: v }))),
        ),
        h(
          'div',
          { class: 'breakers' },
          data.breakers.map((b) =>
            h(
              'div',
              { class: 'card breaker', 'data-breaker': b.name, 'data-level': b.maxLevel },
              h('h3', { text: b.name }),
              h('p', {}, 'highest level ', levelBadge(b.maxLevel)),
              h('p', {}, 'at the end ', levelBadge(b.level)),
            ),
          ),
        ),
        notes.length > 0 ? h('p', { class: 'muted', text: `${notes.join('; ')}.` }) : null,
      ].filter(Boolean),
    );
  }

  function renderChains() {
    const root = document.getElementById('chains');
    for (const chain of data.chains) {
      const charts = h('div', { class: 'charts' });
      root.append(
        h(
          'section',
          { class: 'card chain', 'data-chain': chain.chain, 'aria-labelledby': `chain-${chain.chain}` },
          h('h2', { id: `chain-${chain.chain}`, text: `${chain.chain} (${chain.preset})` }),
          charts,
        ),
      );
      GuardCharts.renderChain(charts, chain);
    }
    if (data.chains.length === 0)
      root.append(h('p', { class: 'muted', text: 'The log holds no chain observation.' }));
  }

  function renderIncidents() {
    const root = document.getElementById('incidents');
    if (data.incidents.length === 0) {
      root.replaceChildren(
        h('p', { class: 'muted', text: 'No breaker transition: every breaker stayed normal.' }),
      );
      return;
    }
    root.replaceChildren(
      h(
        'table',
        { class: 'incidents' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['time (UTC)', 'breaker', 'from', 'to', 'mode', 'causes', 'reason'].map((label) =>
              h('th', { scope: 'col', text: label }),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          data.incidents.map((i) =>
            h(
              'tr',
              { 'data-to': i.to },
              h('td', { class: 'mono', text: formatTime(i.atMs) }),
              h('td', { text: i.breaker }),
              h('td', {}, levelBadge(i.from)),
              h('td', {}, levelBadge(i.to)),
              h('td', { text: i.mode }),
              h('td', { text: i.causes.join(', ') || '–' }),
              h('td', { text: i.reason }),
            ),
          ),
        ),
      ),
    );
  }

  document.title = data.title;
  document.getElementById('title').textContent = data.title;
  renderSummary();
  renderChains();
  renderIncidents();
  document.body.dataset.ready = 'true';
})();
