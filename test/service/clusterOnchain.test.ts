import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createPublicClient, http, keccak256, stringToHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { isLevel, levelRank } from '../../src/breaker/levels.ts';
import { consensusGuardArtifact } from '../../src/sinks/onchain/artifacts/consensusGuardArtifact.ts';
import { deployExampleOptionsMarket } from '../../src/sinks/onchain/deployExampleOptionsMarket.ts';
import { deployGuard } from '../../src/sinks/onchain/deployGuard.ts';
import { toMarketId } from '../../src/sinks/onchain/toMarketId.ts';
import { type RunningNode, startAnvil } from '../peers/nodes.ts';
import { toIncidentArgs } from '../support/clusterChecks.ts';
import { type ClusterMemberProcess, startClusterMember } from '../support/startClusterMember.ts';
import { type RunningPostgres, startPostgres } from '../support/startPostgres.ts';
import { waitFor } from '../support/waitFor.ts';

const guardAbi = consensusGuardArtifact.abi;
const ownerKey = generatePrivateKey();
const keeperKey = generatePrivateKey();
/** Lease time of the replicas. */
const LEASE_MS = 2000;
/** The scenario's chain, hence the name of its breaker. */
const BREAKER = 'ethereum';

const until = <T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>) =>
  waitFor(what, async () => (await check()) || undefined, 120_000, 20);

let server: RunningPostgres;
let settlement: RunningNode;
const members: ClusterMemberProcess[] = [];
before(async () => {
  [server, settlement] = await Promise.all([startPostgres(), startAnvil({ blockTimeS: 0 })]);
  await settlement.rpc('evm_setAutomine', [true]);
  for (const key of [ownerKey, keeperKey]) {
    await settlement.rpc('anvil_setBalance', [privateKeyToAccount(key).address, '0x56bc75e2d63100000']);
  }
});
after(async () => {
  for (const m of members) await m.kill('SIGKILL');
  await Promise.all([server?.stop(), settlement?.stop()]);
});

describe('a cluster of guards keeping a ConsensusGuard on chain', () => {
  it('behavior: the leader killed -9 right after it set a level on chain; the next leader carries on and the guard ends at the breaker level in the store, every accepted seq above the last', {
    timeout: 180_000,
  }, async () => {
    const rpcUrl = settlement.url;
    const client = createPublicClient({ transport: http(rpcUrl), pollingInterval: 50 });
    const { address: guardAddress } = await deployGuard({
      rpcUrl,
      privateKey: ownerKey,
      keeper: privateKeyToAccount(keeperKey).address,
    });
    const market = toMarketId('ethereum-options');
    await deployExampleOptionsMarket({
      rpcUrl,
      privateKey: ownerKey,
      guard: guardAddress,
      market,
      maxStalenessSeconds: 3_600,
    });

    const url = await server.createDatabase();
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const query = async <T>(sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows as T[];
    const spoolDir = await mkdtemp(join(tmpdir(), 'cg-cluster-onchain-'));
    const common = toIncidentArgs(url, LEASE_MS, spoolDir);
    try {
      const onchain = { rpcUrl, guardAddress, keeperKey, markets: { [BREAKER]: market } };
      const replicas = ['guard-a', 'guard-b'].map((name) =>
        startClusterMember(name, { ...common, role: 'replica', onchain }),
      );
      const watcher = startClusterMember('watch-1', { ...common, role: 'watcher', location: 'eu' });
      members.push(...replicas, watcher);
      await Promise.all(members.map((m) => m.waitFor((r) => r.type === 'ready')));
      const applied = (m: ClusterMemberProcess) =>
        m.reports.filter((r) => r.type === 'onchain' && (r.entry as { type: string }).type === 'applied');

      // kill -9 of the leader as soon as it has set a level on chain, before it can mark it delivered.
      const first = await until('a leader', () => replicas.find((r) => r.role() === 'leader'));
      await first.waitFor((r) => r.type === 'onchain' && (r.entry as { type: string }).type === 'applied');
      const killedAtMs = Date.now();
      await first.kill('SIGKILL');
      const second = await until('a new leader', () =>
        replicas.find((r) => r !== first && r.role() === 'leader'),
      );
      const takeover = second.reports.filter((r) => r.type === 'role' && r.role === 'leader').at(-1)!;
      process.stdout.write(
        `# takeover after kill -9: ${(takeover.atMs as number) - killedAtMs} ms (lease ${LEASE_MS} ms)\n`,
      );

      // The incident plays to its end; everything stored is taken and delivered to the guard.
      await watcher.waitFor((r) => r.type === 'played');
      await until('every inbox row taken and every action delivered', async () => {
        const [row] = await query<{ inbox: string; taken: string; pending: string }>(
          `SELECT (SELECT last_seq FROM inbox_head) AS inbox,
             (SELECT COALESCE(MAX(inbox_seq), 0) FROM events) AS taken,
             (SELECT COUNT(*) FROM outbox WHERE status <> 'delivered') AS pending`,
        );
        return row!.inbox === row!.taken && row!.pending === '0';
      });

      const transitions = await query<{ idempotency_key: string; seq: number; to_level: string }>(
        'SELECT idempotency_key, seq, to_level FROM transitions WHERE breaker = $1 ORDER BY seq',
        [BREAKER],
      );
      assert.ok(transitions.length >= 2, `the incident moved the breaker: ${transitions.length} transitions`);
      const last = transitions.at(-1)!;
      assert.ok(isLevel(last.to_level));
      const [level, seq] = await Promise.all([
        client.readContract({
          address: guardAddress,
          abi: guardAbi,
          functionName: 'levelOf',
          args: [market],
        }),
        client.readContract({
          address: guardAddress,
          abi: guardAbi,
          functionName: 'sequenceOf',
          args: [market],
        }),
      ]);
      assert.equal(level, levelRank(last.to_level), `the guard is at the store's ${last.to_level}`);
      assert.equal(seq, BigInt(last.seq));

      // What the guard accepted: each seq above the one before, each one a stored transition.
      const changes = await client.getContractEvents({
        address: guardAddress,
        abi: guardAbi,
        eventName: 'LevelChanged',
        args: { market },
        fromBlock: 0n,
      });
      const accepted = changes.map((c) => Number(c.args.seq));
      for (let i = 1; i < accepted.length; i++) {
        assert.ok(accepted[i]! > accepted[i - 1]!, `no stale seq accepted: ${accepted.join(', ')}`);
      }
      const bySeq = new Map(transitions.map((t) => [t.seq, t]));
      for (const change of changes) {
        const stored = bySeq.get(Number(change.args.seq));
        assert.ok(stored, `seq ${change.args.seq} is a stored transition`);
        assert.equal(change.args.to, levelRank(stored.to_level as Parameters<typeof levelRank>[0]));
        assert.equal(change.args.keyHash, keccak256(stringToHex(stored.idempotency_key)));
      }
      assert.deepEqual(
        accepted,
        transitions.map((t) => t.seq),
        'every transition of the breaker reached the guard, in order',
      );
      assert.ok(applied(first).length >= 1, 'the first leader set a level before it was killed');
      const repeats = second.reports.filter(
        (r) => r.type === 'onchain' && (r.entry as { type: string }).type === 'already_applied',
      );
      process.stdout.write(
        `# ${transitions.length} transitions; set on chain by the killed leader: ${applied(first).length}, by the next: ${applied(second).length}; refused as already applied: ${repeats.length}\n`,
      );
    } finally {
      for (const m of members) await m.kill('SIGTERM');
      members.length = 0;
      await db.end();
      await rm(spoolDir, { recursive: true, force: true });
    }
  });
});
