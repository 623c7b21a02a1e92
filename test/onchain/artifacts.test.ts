import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  artifactsDir,
  type ContractArtifact,
  compileContracts,
  contractsDir,
  toArtifactExportName,
} from '../../scripts/build-contracts.ts';

function committed(contractName: string): ContractArtifact {
  return JSON.parse(readFileSync(join(artifactsDir, `${contractName}.json`), 'utf8')) as ContractArtifact;
}

describe('on-chain guard artifacts', () => {
  const compiled = compileContracts();

  it('default: compiling contracts/ again gives the committed ABI and bytecode', () => {
    assert.deepEqual(
      compiled.map((artifact) => artifact.contractName),
      ['ConsensusGuard', 'ExampleOptionsMarket'],
    );
    for (const artifact of compiled) {
      assert.deepEqual(committed(artifact.contractName), JSON.parse(JSON.stringify(artifact)));
    }
  });

  it('behavior: the typed modules carry the same ABI and bytecode as the JSON artifacts', async () => {
    for (const artifact of compiled) {
      const name = toArtifactExportName(artifact.contractName);
      const module = (await import(join(artifactsDir, `${name}.ts`))) as Record<
        string,
        { abi: unknown; bytecode: string }
      >;
      const typed = module[name];
      assert.ok(typed, `${name}.ts exports ${name}`);
      assert.deepEqual(JSON.parse(JSON.stringify(typed.abi)), artifact.abi);
      assert.equal(typed.bytecode, artifact.bytecode);
    }
  });

  it('behavior: every source has an artifact and nothing else is in the artifacts folder', () => {
    const sources = readdirSync(contractsDir).filter((name) => name.endsWith('.sol'));
    assert.deepEqual(sources.sort(), ['ConsensusGuard.sol', 'ExampleOptionsMarket.sol']);
    const expected = compiled.flatMap((a) => [
      `${a.contractName}.json`,
      `${toArtifactExportName(a.contractName)}.ts`,
    ]);
    assert.deepEqual(readdirSync(artifactsDir).sort(), expected.sort());
  });

  it('behavior: the guard exposes the interface the docs and the consumer rely on', () => {
    const guard = compiled.find((a) => a.contractName === 'ConsensusGuard');
    assert.ok(guard);
    const signatures = (guard.abi as { type: string; name?: string; inputs?: { type: string }[] }[])
      .filter((item) => item.type === 'function' || item.type === 'error' || item.type === 'event')
      .map((item) => `${item.type} ${item.name}(${(item.inputs ?? []).map((i) => i.type).join(',')})`)
      .sort();
    assert.deepEqual(signatures, [
      'error InvalidLevel(uint8)',
      'error NotKeeper(address)',
      'error NotOwner(address)',
      'error StaleSequence(bytes32,uint64,uint64)',
      'error ZeroAddress()',
      'event Heartbeat(address,uint64)',
      'event KeeperChanged(address,address)',
      'event LevelChanged(bytes32,uint8,uint8,uint64,bytes32)',
      'event OwnershipTransferred(address,address)',
      'function CAUTION()',
      'function HALT()',
      'function NORMAL()',
      'function REDUCE_ONLY()',
      'function SETTLEMENT_HOLD()',
      'function heartbeat()',
      'function keeper()',
      'function lastHeartbeat()',
      'function levelOf(bytes32)',
      'function owner()',
      'function sequenceOf(bytes32)',
      'function setKeeper(address)',
      'function setLevel(bytes32,uint8,uint64,bytes32)',
      'function transferOwnership(address)',
    ]);
  });

  it('behavior: the example market reads the guard level and its heartbeat, with a staleness bound', () => {
    const market = compiled.find((a) => a.contractName === 'ExampleOptionsMarket');
    assert.ok(market);
    const items = market.abi as { type: string; name?: string; inputs?: { type: string }[] }[];
    const created = items.find((item) => item.type === 'constructor');
    assert.deepEqual(
      created?.inputs?.map((i) => i.type),
      ['address', 'bytes32', 'uint64'],
    );
    const names = items.filter((item) => item.type === 'function').map((item) => item.name);
    for (const name of [
      'maxStalenessSeconds',
      'isGuardStale',
      'effectiveLevel',
      'openPosition',
      'closePosition',
    ]) {
      assert.ok(names.includes(name), `ExampleOptionsMarket has ${name}`);
    }
  });
});
