const SVG_NS = 'http://www.w3.org/2000/svg';
const TREE_DEPTH = 16;
const POLL_MS = 2000;
const MAX_TIMELINE = 200;

// `levelNames`: the breaker levels, lowest to highest, as GET /api/breakers lists them;
// `partitionAlerts`: the newest monitor_partition signal of each location.
const state = {
  token: '',
  actor: '',
  dialogBreaker: '',
  levels: new Map(),
  levelNames: [],
  seen: new Set(),
  partitionAlerts: new Map(),
};

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') el.textContent = String(value);
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    el.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return el;
}

function s(tag, attrs = {}, text) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

function levelBadge(level) {
  return h('span', { class: 'level', 'data-level': level, text: level });
}

function shortHash(hash) {
  return hash ? hash.slice(0, 10) : '';
}

function formatTime(ms) {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}

function formatSeconds(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** The levels of GET /api/breakers: kept, and offered in the override dialog. */
function setLevelNames(levels) {
  if (levels.join() === state.levelNames.join()) return;
  state.levelNames = levels;
  document
    .getElementById('override-level')
    .replaceChildren(...levels.map((level) => h('option', { value: level, text: level })));
}

async function getJson(path) {
  const res = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

function announce(text) {
  const el = document.getElementById('announcer');
  el.textContent = text;
}

function renderBreakers(breakers) {
  const root = document.getElementById('breakers');
  root.replaceChildren(
    ...breakers.map((breaker) => {
      const previous = state.levels.get(breaker.name);
      if (previous !== undefined && previous !== breaker.level) {
        announce(`Breaker ${breaker.name} moved from ${previous} to ${breaker.level}`);
      }
      state.levels.set(breaker.name, breaker.level);
      const last = breaker.history.at(-1);
      return h(
        'article',
        { class: 'card breaker', 'data-breaker': breaker.name, 'data-level': breaker.level },
        h(
          'div',
          { class: 'row' },
          h('h3', { text: breaker.name }),
          h('span', { class: 'muted', text: `chains: ${breaker.chains.join(', ')}` }),
        ),
        h('div', { class: 'row' }, h('span', { text: 'Level' }), levelBadge(breaker.level)),
        breaker.override
          ? h('p', {
              class: 'override',
              text: `Manual override by ${breaker.override.actor}: ${breaker.override.reason}`,
            })
          : h('p', { class: 'muted', text: 'Following the rules' }),
        last
          ? h('p', { class: 'muted', text: `Last change ${formatTime(last.atMs)}: ${last.reason}` })
          : null,
        h(
          'div',
          { class: 'row' },
          h('button', {
            type: 'button',
            class: 'override-button',
            text: 'Override…',
            'aria-label': `Override breaker ${breaker.name}`,
            onclick: () => openOverride(breaker.name),
          }),
          breaker.override
            ? h('button', {
                type: 'button',
                class: 'resume-button',
                text: 'Resume',
                'aria-label': `Resume breaker ${breaker.name}`,
                onclick: () => resume(breaker.name),
              })
            : null,
        ),
      );
    }),
  );
  if (breakers.length === 0) root.replaceChildren(h('p', { class: 'muted', text: 'No breaker yet.' }));
}

function formatAge(ms) {
  return ms === null || ms === undefined ? '–' : formatSeconds(ms / 1000);
}

/** The place a chain condition is about: `monitor_partition:<location>`, or the place a node
 * condition's node is seen from (`''` for the guard's own nodes); undefined for the chain's own
 * conditions (liveness, finality, quorum), which a quorum of locations must see. */
function conditionLocation(condition) {
  if (condition.kind === 'monitor_partition') return condition.key.slice('monitor_partition:'.length);
  return condition.location;
}

/**
 * The cluster (GET /api/cluster): the lease and its holder, the members, and each watcher location
 * with its last observation and what it sees: its monitor_partition condition (a failure that it
 * alone sees), the conditions of its nodes, the newest monitor_partition signal of the event
 * stream; below, the chain-level failures, which a quorum of locations sees.
 */
function renderCluster(cluster, chains) {
  const root = document.getElementById('cluster');
  if (cluster.error !== undefined) {
    root.replaceChildren(h('p', { class: 'error', text: `Cluster status unavailable: ${cluster.error}` }));
    return;
  }
  if (!cluster.clustered) {
    root.replaceChildren(h('p', { class: 'muted', text: 'One guard on its own store: no cluster.' }));
    return;
  }
  const lease = cluster.lease;
  const leader = lease?.valid ? lease.holder : null;
  const seen = new Map();
  const widely = [];
  for (const chain of chains) {
    for (const condition of chain.conditions) {
      const location = conditionLocation(condition);
      if (location === undefined) {
        widely.push(`${chain.name}: ${condition.kind} ${condition.severity}`);
        continue;
      }
      const list = seen.get(location) ?? [];
      list.push({
        partition: condition.kind === 'monitor_partition',
        text:
          condition.kind === 'monitor_partition'
            ? `${chain.name}: ${condition.message}`
            : `${chain.name}: ${condition.node} ${condition.kind} ${condition.severity}`,
      });
      seen.set(location, list);
    }
  }
  const locationNames = [...new Set([...cluster.locations.map((l) => l.location), ...seen.keys()])].sort();
  const byName = new Map(cluster.locations.map((l) => [l.location, l]));
  root.replaceChildren(
    h(
      'article',
      { class: 'card', 'data-leader': leader ?? '', 'aria-labelledby': 'cluster-lease' },
      h(
        'div',
        { class: 'row' },
        h('h3', { id: 'cluster-lease', text: leader ? `Leader ${leader}` : 'No leader' }),
        h('span', { class: 'mono', text: `epoch ${lease?.epoch ?? 0}` }),
        h('span', {
          class: 'lease',
          'data-valid': String(lease?.valid === true),
          text: lease?.valid
            ? `lease renewed ${formatAge(lease.ageMs)} ago, expires in ${formatAge(lease.expiresInMs)}`
            : `no valid lease${lease?.holder ? ` (last held by ${lease.holder} ${formatAge(lease.ageMs)} ago)` : ''}`,
        }),
      ),
      h(
        'table',
        { class: 'instances', 'aria-label': 'Members of the cluster' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Instance', 'Role', 'Location', 'Epoch', 'Last heartbeat'].map((text) => h('th', { text })),
          ),
        ),
        h(
          'tbody',
          {},
          ...cluster.instances.map((i) =>
            h(
              'tr',
              { 'data-instance': i.instance, 'data-role': i.role },
              h('td', { class: 'mono', text: i.instance }),
              h('td', { text: i.role }),
              h('td', { text: i.location ?? '–' }),
              h('td', { text: i.epoch ?? '–' }),
              h('td', { text: `${formatAge(i.ageMs)} ago` }),
            ),
          ),
        ),
      ),
      h(
        'table',
        { class: 'locations', 'aria-label': 'Watcher locations' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Location', 'Watchers', 'Observations', 'Last observation', 'Stored', 'Sees'].map((text) =>
              h('th', { text }),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          ...locationNames.map((name) => {
            const l = byName.get(name);
            const failures = (seen.get(name) ?? []).sort((a, b) => Number(b.partition) - Number(a.partition));
            const alert = state.partitionAlerts.get(name);
            return h(
              'tr',
              { 'data-location': name, 'data-partitioned': String(failures.some((f) => f.partition)) },
              h('td', { text: name === '' ? "the guard's own" : name }),
              h('td', { class: 'mono', text: l ? l.instances.join(', ') : '–' }),
              h('td', { text: l ? String(l.observations) : '0' }),
              h('td', { text: l ? formatTime(l.lastObservedAtMs) : '–' }),
              h('td', { text: l ? `${formatAge(l.lastStoredAgeMs)} ago` : '–' }),
              h(
                'td',
                { class: 'partition' },
                failures.length > 0
                  ? h(
                      'ul',
                      {},
                      ...failures.map((f) =>
                        h('li', { class: f.partition ? 'alone' : undefined, text: f.text }),
                      ),
                    )
                  : h('span', {
                      class: 'muted',
                      text: alert ? `nothing now (alone until ${formatTime(alert.atMs)})` : 'nothing',
                    }),
              ),
            );
          }),
        ),
      ),
      h('p', {
        class: widely.length > 0 ? 'widely' : 'muted',
        text:
          widely.length > 0
            ? `Chain-level failures (seen from a quorum of locations): ${widely.join('; ')}`
            : 'No chain-level failure (seen from a quorum of locations).',
      }),
    ),
  );
}

function renderChains(chains, nodes, trees) {
  const root = document.getElementById('chains');
  if (chains.length === 0) {
    root.replaceChildren(h('p', { class: 'muted', text: 'No chain observed yet.' }));
    return;
  }
  root.replaceChildren(
    ...chains.map((chain) => {
      const head = chain.canonicalHead;
      const finalized = chain.finalized;
      const chainNodes = nodes.filter((n) => n.chain === chain.name);
      return h(
        'article',
        { class: 'card chain', 'data-chain': chain.name, 'aria-labelledby': `chain-${chain.name}` },
        h(
          'div',
          { class: 'row' },
          h('h3', { id: `chain-${chain.name}`, text: chain.name }),
          h('span', { class: 'muted', text: chain.preset }),
          h('span', { class: 'status', 'data-status': chain.status, text: `status: ${chain.status}` }),
          h('span', { text: 'breaker' }),
          levelBadge(chain.level),
        ),
        h(
          'dl',
          { class: 'facts' },
          fact('canonical head', head ? `${head.number} (${shortHash(head.hash)})` : '–'),
          fact(
            'finalized',
            finalized
              ? `${finalized.number ?? `epoch ${finalized.epoch}`} (${shortHash(finalized.hash)})`
              : '–',
          ),
          fact('since last head', formatSeconds(chain.secondsSinceLastHead)),
          fact('finality age', formatSeconds(chain.finalityAgeSeconds)),
        ),
        chain.conditions.length + chain.holds.length > 0
          ? h(
              'ul',
              { class: 'conditions', 'aria-label': `Active conditions of ${chain.name}` },
              chain.conditions.map((c) => h('li', { text: `${c.kind} ${c.severity}: ${c.message}` })),
              chain.holds.map((c) =>
                h('li', {
                  text: `${c.kind} ${c.severity} (held until ${formatTime(c.untilMs)}): ${c.message}`,
                }),
              ),
            )
          : null,
        renderNodes(chain.name, chainNodes),
        renderTree(trees.get(chain.name)),
      );
    }),
  );
}

function fact(label, value) {
  return h('div', {}, h('dt', { text: label }), h('dd', { text: value }));
}

function renderNodes(chain, nodes) {
  return h(
    'table',
    { class: 'nodes' },
    h('caption', { class: 'visually-hidden', text: `Nodes of ${chain}` }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        [
          'node',
          'client',
          'head',
          'lag (blocks)',
          'on canonical',
          'RPC latency',
          'head − finalized',
          'last error',
        ].map((label) => h('th', { scope: 'col', text: label })),
      ),
    ),
    h(
      'tbody',
      {},
      nodes.map((node) =>
        h(
          'tr',
          { 'data-node': node.name },
          h('th', { scope: 'row', text: node.name }),
          h('td', { text: node.client ?? '–' }),
          h('td', {
            class: 'mono',
            text: node.head ? `${node.head.number} ${shortHash(node.head.hash)}` : '–',
          }),
          h('td', { text: node.lagBlocks ?? '–' }),
          h('td', { text: node.onCanonical === null ? '–' : node.onCanonical ? 'yes' : 'no (fork)' }),
          h('td', { text: node.lastLatencyMs === null ? '–' : `${Math.round(node.lastLatencyMs)} ms` }),
          h('td', { text: node.headMinusFinalized ?? '–' }),
          h('td', { text: node.lastError ?? '' }),
        ),
      ),
    ),
  );
}

function layoutTree(tree) {
  const lanes = new Map();
  const continued = new Set();
  let nextLane = 1;
  for (const block of tree.blocks) {
    if (block.canonical) {
      lanes.set(block.hash, 0);
      continue;
    }
    const parentLane = lanes.get(block.parentHash);
    if (parentLane !== undefined && parentLane !== 0 && !continued.has(block.parentHash)) {
      lanes.set(block.hash, parentLane);
      continued.add(block.parentHash);
    } else {
      lanes.set(block.hash, nextLane);
      nextLane += 1;
    }
  }
  return { lanes, laneCount: nextLane };
}

/** Heights kept at the tip, and around each block off the canonical line; the rest folds. */
const TIP_HEIGHTS = 12;

/**
 * Columns of the drawing: one per height near the tip or near a competing branch; each run of
 * heights in between with only canonical blocks folds into one narrow gap column.
 */
function columnsOf(tree, colW, gapW) {
  const from = tree.fromHeight;
  const to = tree.toHeight;
  const keep = new Set([from]);
  for (let h = Math.max(from, to - TIP_HEIGHTS + 1); h <= to; h++) keep.add(h);
  for (const block of tree.blocks) {
    if (block.canonical) continue;
    for (const h of [block.number - 1, block.number, block.number + 1]) keep.add(h);
  }
  const x = new Map();
  const gaps = [];
  let cursor = 12;
  let folded = 0;
  for (let h = from; h <= to; h++) {
    if (!keep.has(h)) {
      folded += 1;
      continue;
    }
    if (folded > 0) {
      gaps.push({ x: cursor, count: folded, from: h - folded, to: h - 1 });
      cursor += gapW;
      folded = 0;
    }
    x.set(h, cursor);
    cursor += colW;
  }
  return { x, gaps, width: cursor + 12 };
}

function renderTree(tree) {
  const box = h('div', { class: 'tree' });
  if (!tree || tree.blocks.length === 0) {
    box.append(h('p', { class: 'muted', text: 'No blocks yet.' }));
    return box;
  }
  const { lanes, laneCount } = layoutTree(tree);
  const colW = 76;
  const gapW = 56;
  const laneH = 84;
  const blockW = 64;
  const blockH = 34;
  const from = tree.fromHeight;
  const columns = columnsOf(tree, colW, gapW);
  const width = columns.width;
  const height = laneCount * laneH + 28;
  const shown = tree.blocks.filter((b) => columns.x.has(b.number));
  const pos = (block) => ({ x: columns.x.get(block.number), y: 24 + lanes.get(block.hash) * laneH });
  const forks = tree.blocks.filter((b) => !b.canonical);
  const branchNodes = forks.flatMap((b) => b.heads);
  const label =
    `Block tree of ${tree.chain}, heights ${from} to ${tree.toHeight}: ` +
    (forks.length === 0
      ? 'one branch, no fork.'
      : `${laneCount} branches; ${forks.length} blocks off the canonical chain` +
        (branchNodes.length > 0 ? `, followed by ${branchNodes.join(', ')}.` : '.'));
  const svg = s('svg', {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': label,
    'data-forks': forks.length,
    'data-branches': laneCount,
  });
  svg.append(s('title', {}, label));
  svg.append(
    s(
      'text',
      { x: 12, y: 14, class: 'legend' },
      'blue: canonical · orange dashed: competing branch · grey: finalized · names: node heads · ⋯: canonical blocks folded',
    ),
  );
  for (const gap of columns.gaps) {
    const y = 24 + blockH / 2;
    svg.append(s('path', { d: `M${gap.x - 12},${y} L${gap.x + gapW},${y}`, class: 'gap-line' }));
    const text = s('text', { x: gap.x + 4, y: y - 8, class: 'gap' }, `⋯ ${gap.count}`);
    text.append(s('title', {}, `${gap.count} canonical blocks, heights ${gap.from} to ${gap.to}`));
    svg.append(text);
  }
  const byHash = new Map(shown.map((b) => [b.hash, b]));
  for (const block of shown) {
    const parent = byHash.get(block.parentHash);
    if (!parent) continue;
    const a = pos(parent);
    const b = pos(block);
    const x1 = a.x + blockW;
    const y1 = a.y + blockH / 2;
    const x2 = b.x;
    const y2 = b.y + blockH / 2;
    const mid = (x1 + x2) / 2;
    svg.append(
      s('path', {
        d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`,
        class: block.canonical ? 'edge' : 'edge fork',
      }),
    );
  }
  for (const block of shown) {
    const { x, y } = pos(block);
    const kind = block.finalized ? 'finalized' : block.canonical ? 'canonical' : 'fork';
    const g = s('g', { class: `block ${kind}`, 'data-hash': block.hash, 'data-number': block.number });
    g.append(s('title', {}, `${block.number} ${block.hash}\nfirst seen by ${block.firstSeenBy}`));
    g.append(s('rect', { x, y, width: blockW, height: blockH, rx: 4 }));
    g.append(s('text', { x: x + 5, y: y + 14 }, `#${String(block.number).slice(-5)}`));
    g.append(s('text', { x: x + 5, y: y + 28 }, block.hash.slice(0, 8)));
    block.heads.forEach((name, i) => {
      g.append(
        s(
          'text',
          { x, y: y + blockH + 13 + i * 13, class: `head-label ${block.canonical ? '' : 'fork'}` },
          `▲ ${name}`,
        ),
      );
    });
    svg.append(g);
  }
  box.append(svg);
  requestAnimationFrame(() => {
    box.scrollLeft = box.scrollWidth;
  });
  return box;
}

function timelineItem(type, payload) {
  if (type === 'signal') {
    const who = payload.node ? ` ${payload.node}` : '';
    return h(
      'li',
      { 'data-type': 'signal', 'data-kind': payload.kind },
      h('time', { datetime: new Date(payload.atMs).toISOString(), text: formatTime(payload.atMs) }),
      h('span', {
        class: 'status',
        'data-status': payload.severity,
        text: `${payload.kind} ${payload.severity}`,
      }),
      h('span', { text: `${payload.chain}${who}: ${payload.message}` }),
    );
  }
  const by = payload.actor ? ` by ${payload.actor}` : '';
  return h(
    'li',
    { 'data-type': 'transition' },
    h('time', { datetime: new Date(payload.atMs).toISOString(), text: formatTime(payload.atMs) }),
    h('span', {}, levelBadge(payload.to)),
    h('span', {
      text: `${payload.breaker}: ${payload.from} → ${payload.to} (${payload.mode}${by}): ${payload.reason}`,
    }),
  );
}

function addToTimeline(type, payload) {
  const key =
    type === 'signal'
      ? `s:${payload.chain}:${payload.kind}:${payload.node}:${payload.atMs}:${payload.message}`
      : `t:${payload.idempotencyKey}`;
  if (state.seen.has(key)) return;
  state.seen.add(key);
  if (type === 'signal') recordSignal(payload);
  else recordTransition(payload);
  const list = document.getElementById('timeline');
  list.prepend(timelineItem(type, payload));
  while (list.children.length > MAX_TIMELINE) list.lastElementChild.remove();
}

/** Points kept per chart series: the oldest go first. */
const MAX_POINTS = 2000;
/** What the charts draw, gathered from the REST routes and the event stream while the page is open. */
const history = { chains: new Map(), transitions: new Map() };

function chainHistory(name) {
  let c = history.chains.get(name);
  if (!c) {
    c = {
      chain: name,
      preset: '',
      blockTime: null,
      fromS: undefined,
      toS: undefined,
      breakers: [],
      heads: new Map(),
      lag: new Map(),
      firstSeenMs: new Map(),
      reorgs: { chain: { name: 'chain', t: [], v: [] }, node: { name: 'node', t: [], v: [] } },
      signals: [],
      view: undefined,
    };
    history.chains.set(name, c);
  }
  return c;
}

function noteTime(c, seconds) {
  if (c.fromS === undefined || seconds < c.fromS) c.fromS = seconds;
  if (c.toS === undefined || seconds > c.toS) c.toS = seconds;
}

function trim(list) {
  if (list.length > MAX_POINTS) list.splice(0, list.length - MAX_POINTS);
}

/** Adds a point to a step series, only when the value changes. */
function pushStep(map, name, t, v) {
  let series = map.get(name);
  if (!series) {
    series = { name, t: [], v: [] };
    map.set(name, series);
  }
  if (series.v.length > 0 && series.v.at(-1) === v) return;
  series.t.push(t);
  series.v.push(v);
  trim(series.t);
  trim(series.v);
}

function recordSignal(signal) {
  if (signal.kind === 'monitor_partition') state.partitionAlerts.set(signal.location, signal);
  const c = chainHistory(signal.chain);
  const t = signal.atMs / 1000;
  noteTime(c, t);
  c.signals.push({
    t,
    kind: signal.kind,
    severity: signal.severity,
    node: signal.node ?? null,
    message: signal.message,
  });
  trim(c.signals);
  if (signal.kind === 'reorg') {
    const series = c.reorgs[signal.scope === 'node' ? 'node' : 'chain'];
    series.t.push(t);
    series.v.push(signal.depth);
  }
}

function recordTransition(transition) {
  const list = history.transitions.get(transition.breaker) ?? [];
  list.push(transition);
  list.sort((a, b) => a.atMs - b.atMs);
  history.transitions.set(transition.breaker, list);
}

function recordRefresh(chains, nodes, trees) {
  for (const chain of chains) {
    const c = chainHistory(chain.name);
    const t = chain.nowMs / 1000;
    noteTime(c, t);
    c.preset = chain.preset;
    c.blockTime = chain.blockTime ?? null;
    c.breakers = chain.breakers.map((b) => ({ name: b.name, level: b.level }));
    for (const node of nodes) {
      if (node.chain !== chain.name || !node.head) continue;
      pushStep(c.heads, node.name, t, Number(node.head.number));
      if (node.lagBlocks !== null) pushStep(c.lag, node.name, t, node.lagBlocks);
    }
    for (const block of trees.get(chain.name)?.blocks ?? []) {
      if (block.canonical) c.firstSeenMs.set(Number(block.number), block.firstSeenMs);
    }
    if (c.firstSeenMs.size > MAX_POINTS) {
      const heights = [...c.firstSeenMs.keys()].sort((a, b) => a - b);
      for (const h of heights.slice(0, heights.length - MAX_POINTS)) c.firstSeenMs.delete(h);
    }
  }
}

/** One chain's history in the shape charts.js draws (the report's shape). */
function toChartData(c) {
  const intervals = { t: [], v: [] };
  const heights = [...c.firstSeenMs.keys()].sort((a, b) => a - b);
  for (const h of heights) {
    const previous = c.firstSeenMs.get(h - 1);
    if (previous === undefined) continue;
    const at = c.firstSeenMs.get(h);
    intervals.t.push(at / 1000);
    intervals.v.push(Math.max(0.001, (at - previous) / 1000));
  }
  const breakers = c.breakers.map(({ name, level }) => {
    const list = history.transitions.get(name) ?? [];
    const start = list.length > 0 ? list[0].from : level;
    const series = { name, t: [c.fromS], v: [state.levelNames.indexOf(start)] };
    for (const tr of list) {
      series.t.push(Math.max(c.fromS, tr.atMs / 1000));
      series.v.push(state.levelNames.indexOf(tr.to));
    }
    return series;
  });
  return {
    chain: c.chain,
    preset: c.preset,
    fromS: c.fromS,
    toS: c.toS,
    blockTime: c.blockTime,
    heads: [...c.heads.values()],
    lag: [...c.lag.values()],
    intervals,
    reorgs: [c.reorgs.chain, c.reorgs.node],
    levels: state.levelNames,
    breakers,
    signals: c.signals,
  };
}

function renderCharts() {
  const root = document.getElementById('charts');
  for (const c of history.chains.values()) {
    if (c.fromS === undefined || c.heads.size === 0) continue;
    const data = toChartData(c);
    if (c.view) {
      c.view.update(data);
      continue;
    }
    const charts = h('div', { class: 'charts' });
    root.append(h('section', { 'data-chain-charts': c.chain }, h('h3', { text: c.chain }), charts));
    c.view = GuardCharts.renderChain(charts, data);
  }
}

/** One card per chain: the branch to follow and why, the nodes to drain, the rollback height. */
function renderResolutions(resolutions) {
  const root = document.getElementById('resolution');
  root.replaceChildren(
    ...resolutions.map((r) =>
      h(
        'article',
        { class: 'card', 'data-resolution': r.chain, 'data-status': r.status },
        h(
          'div',
          { class: 'row' },
          h('h3', { text: r.chain }),
          h('span', { text: `${r.status} (${r.basis})` }),
        ),
        h('p', { text: r.reason }),
        r.winner
          ? h('p', {
              text: `Follow ${shortHash(r.winner.head.hash)} at ${r.winner.head.number} (${r.winner.nodes.join(', ')})`,
            })
          : null,
        r.drain.length > 0 ? h('p', { text: `Drain: ${r.drain.join(', ')}` }) : null,
        r.rollbackHeight !== undefined ? h('p', { text: `Roll back from height ${r.rollbackHeight}` }) : null,
        h('p', { class: 'muted', text: `Resume: ${r.resume}` }),
      ),
    ),
  );
  if (resolutions.length === 0) root.replaceChildren(h('p', { class: 'muted', text: 'No chain yet.' }));
}

let refreshing = false;
let again = false;
async function refresh() {
  if (refreshing) {
    again = true;
    return;
  }
  refreshing = true;
  try {
    const [chains, nodes, breakers, cluster] = await Promise.all([
      getJson('/api/chains'),
      getJson('/api/nodes'),
      getJson('/api/breakers'),
      getJson('/api/cluster').catch((error) => ({ error: error.message })),
    ]);
    setLevelNames(breakers.levels);
    renderCluster(cluster, chains.chains);
    const trees = new Map();
    await Promise.all(
      chains.chains.map(async (chain) => {
        trees.set(
          chain.name,
          await getJson(`/api/chains/${encodeURIComponent(chain.name)}/tree?depth=${TREE_DEPTH}`),
        );
      }),
    );
    renderBreakers(breakers.breakers);
    renderChains(chains.chains, nodes.nodes, trees);
    recordRefresh(chains.chains, nodes.nodes, trees);
    renderCharts();
    renderResolutions(
      await Promise.all(
        chains.chains.map((chain) => getJson(`/api/chains/${encodeURIComponent(chain.name)}/resolution`)),
      ),
    );
  } catch (error) {
    setConnection('down', `API unreachable: ${error.message}`);
  } finally {
    refreshing = false;
    if (again) {
      again = false;
      scheduleRefresh();
    }
  }
}

let refreshTimer;
function scheduleRefresh() {
  if (refreshTimer !== undefined) return;
  refreshTimer = setTimeout(() => {
    refreshTimer = undefined;
    refresh();
  }, 100);
}

function setConnection(stateName, text) {
  const el = document.getElementById('connection');
  el.dataset.state = stateName;
  el.textContent = text;
}

function connect() {
  const source = new EventSource('/api/events');
  source.addEventListener('open', () => setConnection('live', 'live'));
  source.addEventListener('error', () => setConnection('down', 'reconnecting…'));
  source.addEventListener('signal', (event) => {
    addToTimeline('signal', JSON.parse(event.data));
    scheduleRefresh();
  });
  source.addEventListener('transition', (event) => {
    addToTimeline('transition', JSON.parse(event.data));
    scheduleRefresh();
  });
}

function openOverride(name) {
  state.dialogBreaker = name;
  const dialog = document.getElementById('override-dialog');
  document.getElementById('override-breaker').textContent = name;
  document.getElementById('override-error').textContent = '';
  document.getElementById('override-reason').value = '';
  document.getElementById('override-actor').value = state.actor;
  document.getElementById('override-token').value = state.token;
  const names = state.levelNames;
  const current = state.levels.get(name);
  const suggested = names[Math.min(names.indexOf(current ?? names[0]) + 1, names.length - 1)];
  document.getElementById('override-level').value = suggested;
  dialog.showModal();
  document.getElementById('override-level').focus();
}

async function post(path, body) {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${state.token}` },
    body: JSON.stringify(body),
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok)
    throw new Error(data.error ? `${data.error.message} (${data.error.code})` : `HTTP ${res.status}`);
  return data;
}

async function submitOverride(event) {
  event.preventDefault();
  const name = state.dialogBreaker;
  const level = document.getElementById('override-level').value;
  const actor = document.getElementById('override-actor').value.trim();
  const reason = document.getElementById('override-reason').value.trim();
  state.token = document.getElementById('override-token').value;
  state.actor = actor;
  try {
    await post(`/api/breakers/${encodeURIComponent(name)}/override`, { level, actor, reason });
    document.getElementById('override-dialog').close();
    announce(`Override of ${name} to ${level} applied`);
    await refresh();
  } catch (error) {
    document.getElementById('override-error').textContent = `Override refused: ${error.message}`;
  }
}

async function resume(name) {
  if (!state.token) state.token = window.prompt(`API token to resume ${name}`) ?? '';
  const actor = state.actor || window.prompt('Your name') || '';
  const reason = window.prompt(`Why resume ${name}?`) ?? '';
  if (!state.token || !actor || !reason) return;
  state.actor = actor;
  try {
    await post(`/api/breakers/${encodeURIComponent(name)}/resume`, { actor, reason });
    announce(`Breaker ${name} resumed`);
  } catch (error) {
    announce(`Resume refused: ${error.message}`);
    window.alert(`Resume refused: ${error.message}`);
  }
  await refresh();
}

async function start() {
  document.getElementById('override-form').addEventListener('submit', submitOverride);
  document
    .getElementById('override-cancel')
    .addEventListener('click', () => document.getElementById('override-dialog').close());
  try {
    const { signals } = await getJson('/api/signals?limit=100');
    const { breakers, levels } = await getJson('/api/breakers?history=50');
    setLevelNames(levels);
    const items = [
      ...signals.map((payload) => ({ type: 'signal', payload })),
      ...breakers.flatMap((b) => b.history.map((payload) => ({ type: 'transition', payload }))),
    ].sort((a, b) => a.payload.atMs - b.payload.atMs);
    for (const item of items) addToTimeline(item.type, item.payload);
  } catch (error) {
    setConnection('down', `API unreachable: ${error.message}`);
  }
  connect();
  await refresh();
  setInterval(refresh, POLL_MS);
}

start();
