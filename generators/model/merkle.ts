import { hash } from 'node:crypto';

function sha256(...parts: Buffer[]): Buffer {
  return hash('sha256', parts.length === 1 ? parts[0]! : Buffer.concat(parts), 'buffer');
}

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

export function leafHash(content: string): Buffer {
  return sha256(LEAF, Buffer.from(content));
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
      carry = sha256(NODE, this.peaks[level]!, carry);
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
      acc = acc === undefined ? peak : sha256(NODE, peak, acc);
    }
    return (acc ?? sha256(Buffer.alloc(0))).toString('hex');
  }
}
