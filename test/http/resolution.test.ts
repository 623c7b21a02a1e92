import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createApp } from '../../src/http/createApp.ts';
import { createTestService, feedUntil } from './createTestService.ts';

describe('GET /api/chains/:chain/resolution', () => {
  test('default: during client-split it names the branch to follow, the nodes to drain and the rollback height', async () => {
    const service = await createTestService('client-split');
    await feedUntil(service, 0, () =>
      [...(service.guard.state.chains.get('ethereum')?.conditions.keys() ?? [])].includes(
        'divergence:infura-geth-2',
      ),
    );
    const app = createApp({ view: service.view, metrics: service.metrics, limits: { rateLimit: false } });
    const res = await app.request('/api/chains/ethereum/resolution');
    assert.equal(res.status, 200);
    const body = (await res.json()) as {
      status: string;
      winner: { nodes: string[] };
      drain: string[];
      rollbackHeight: number;
    };
    assert.equal(body.status, 'follow');
    assert.deepEqual(body.winner.nodes, ['geth-new-1', 'geth-new-2', 'openethereum-1']);
    assert.deepEqual(body.drain, ['infura-geth-1', 'infura-geth-2']);
    assert.equal(body.rollbackHeight, 11_234_873);
  });

  test('error: an unknown chain is 404', async () => {
    const service = await createTestService('client-split');
    const app = createApp({ view: service.view, metrics: service.metrics, limits: { rateLimit: false } });
    const res = await app.request('/api/chains/nope/resolution');
    assert.equal(res.status, 404);
  });
});
