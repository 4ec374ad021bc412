import { hash } from 'node:crypto';

/** An inner node's input, 0x01 then the two children: one buffer, reused (hashed before it is overwritten). */
const nodeInput = Buffer.alloc(65, 1);

function nodeHash(left: Buffer, right: Buffer): Buffer {
  left.copy(nodeInput, 1);
  right.copy(nodeInput, 33);
  return hash('sha256', nodeInput, 'buffer');
}

/** A leaf's hash: of 0x00 then the content's UTF-8 (the NUL character is that byte). */
export function leafHash(content: string): Buffer {
  return hash('sha256', `\u0000${content}`, 'buffer');
}

/**
 * An append-only Merkle accumulator (the frontier of perfect subtrees, as in a Merkle mountain range):
 * O(log n) memory and one hash per append on average, so a scroll's root can be recomputed at every anchor
 * without keeping every receipt. The root is the RFC 6962 Merkle tree hash of the leaves.
 */
export class MerkleFrontier {
  /** peaks[i] is the root of a perfect subtree of 2^i leaves, or undefined. */
  private peaks: (Buffer | undefined)[] = [];
  private count = 0;

  append(leaf: Buffer): void {
    let carry = leaf;
    let level = 0;
    while (this.peaks[level] !== undefined) {
      carry = nodeHash(this.peaks[level]!, carry);
      this.peaks[level] = undefined;
      level++;
    }
    this.peaks[level] = carry;
    this.count++;
  }

  get size(): number {
    return this.count;
  }

  /** Hex root: peaks folded from the smallest subtree up; the empty tree hashes the empty string. */
  root(): string {
    let acc: Buffer | undefined;
    for (const peak of this.peaks) {
      if (peak === undefined) continue;
      acc = acc === undefined ? peak : nodeHash(peak, acc);
    }
    return (acc ?? hash('sha256', '', 'buffer')).toString('hex');
  }
}
