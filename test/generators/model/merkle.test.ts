import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MerkleFrontier, leafHash } from '../../../generators/model/merkle.js';

const h = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

/** RFC 6962 section 2.1 Merkle Tree Hash, written recursively as the RFC states it. */
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return h();
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return h(Buffer.from([1]), mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

describe('MerkleFrontier', () => {
  it('computes the RFC 6962 Merkle tree hash for every size up to 70', () => {
    const frontier = new MerkleFrontier();
    const leaves: Buffer[] = [];
    expect(frontier.root()).toBe(mth([]).toString('hex'));
    for (let i = 0; i < 70; i++) {
      const leaf = leafHash(`receipt-${i}`);
      leaves.push(leaf);
      frontier.append(leaf);
      expect(frontier.root()).toBe(mth(leaves).toString('hex'));
    }
  });

  it('hashes leaves with the 0x00 prefix', () => {
    expect(leafHash('a').toString('hex')).toBe(h(Buffer.from([0]), Buffer.from('a')).toString('hex'));
  });
});
