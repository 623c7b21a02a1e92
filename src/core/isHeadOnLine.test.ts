import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addBlock } from './addBlock.ts';
import { type Block, type ChainState, createChainState, getOrCreateNode } from './chainView.ts';
import { isHeadOnLine } from './isHeadOnLine.ts';
import { toChainParams } from './params.ts';
import { setCanonical } from './setCanonical.ts';

/** Stores a block `name` (height from its last digit) whose parent is `parent`. */
function block(chain: ChainState, name: string, parent: string): Block {
  const stored: Block = {
    hash: name,
    parentHash: parent,
    number: BigInt(name.slice(-1)),
    timestamp: 0,
    firstSeenMs: 0,
    firstSeenBy: 'n1',
  };
  addBlock(chain, stored);
  return stored;
}

describe('isHeadOnLine', () => {
  it('default: a head on the line is, one off it is not, and no head is not', () => {
    const chain = createChainState('test', toChainParams('devnet'), 0);
    const a1 = block(chain, 'a1', 'a0');
    const a2 = block(chain, 'a2', 'a1');
    const b2 = block(chain, 'b2', 'a1');
    setCanonical(chain, a2);
    const node = getOrCreateNode(chain, 'n1', 0);
    assert.equal(isHeadOnLine(chain, node), false);
    for (const [head, onLine] of [
      [a2, true],
      [a1, true],
      [b2, false],
    ] as const) {
      node.head = head;
      assert.equal(isHeadOnLine(chain, node), onLine, head.hash);
    }
  });

  it('behavior: the line extended upwards keeps what was found; a reorganized line drops it', () => {
    const chain = createChainState('test', toChainParams('devnet'), 0);
    block(chain, 'a1', 'a0');
    const a2 = block(chain, 'a2', 'a1');
    const a3 = block(chain, 'a3', 'a2');
    const b2 = block(chain, 'b2', 'a1');
    setCanonical(chain, a2);
    const node = getOrCreateNode(chain, 'n1', 0);
    node.head = a2;
    assert.equal(isHeadOnLine(chain, node), true);
    const version = chain.lineVersion;
    setCanonical(chain, a3);
    assert.equal(chain.lineVersion, version, 'an extension replaces no entry');
    assert.equal(isHeadOnLine(chain, node), true);
    setCanonical(chain, b2);
    assert.ok(chain.lineVersion > version, 'a reorganization replaces entries');
    assert.equal(isHeadOnLine(chain, node), false);
    node.head = b2;
    assert.equal(isHeadOnLine(chain, node), true);
  });
});
