import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createTestService, feedUntil } from './createTestService.ts';

type Target = { expr?: string };
type Panel = { title: string; targets?: Target[]; panels?: Panel[] };

test('grafana/consensus-guard.json queries only metrics that /metrics exposes', async () => {
  const dashboard = JSON.parse(
    readFileSync(new URL('../../grafana/consensus-guard.json', import.meta.url), 'utf8'),
  ) as {
    panels: Panel[];
    templating: { list: Array<{ query?: unknown }> };
    annotations: { list: Array<{ expr?: string }> };
  };
  const expressions: string[] = [];
  const walk = (panels: Panel[]) => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) if (target.expr) expressions.push(target.expr);
      walk(panel.panels ?? []);
    }
  };
  walk(dashboard.panels);
  for (const variable of dashboard.templating.list) {
    const query = (variable.query as { query?: string } | undefined)?.query;
    if (query) expressions.push(query);
  }
  for (const annotation of dashboard.annotations.list) if (annotation.expr) expressions.push(annotation.expr);
  assert.ok(expressions.length >= 20);

  const service = await createTestService('reorg-7', { processMetrics: true });
  await feedUntil(service, 0, () => service.guard.state.breakers.get('ethereum')?.level === 'reduce_only');
  service.metrics.countRequest('/healthz', 'GET', 200);
  const exposed = new Set(
    (await service.metrics.registry.metrics())
      .split('\n')
      .filter((line) => line.length > 0 && !line.startsWith('#'))
      .map((line) => /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)![0]),
  );
  for (const name of (await service.metrics.registry.getMetricsAsJSON()).map((m) => m.name))
    exposed.add(name);
  const used = new Set(
    expressions.flatMap((e) => e.match(/\b(?:consensus_guard|process|nodejs)_[a-z0-9_]+/g) ?? []),
  );
  assert.ok(used.size >= 15);
  for (const name of used) assert.ok(exposed.has(name), `${name} is not exposed`);
});
