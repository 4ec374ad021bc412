import { MerkleFrontier, leafHash } from '../../model/merkle.js';
import { SCROLLS } from './mesh-topology.js';

export interface ReceiptEntry {
  id: string;
  seq: number;
}

/** The receipts the portal has written, per scroll, as the guardian sees them for anchoring. */
export class ReceiptLedger {
  private readonly frontiers = new Map<string, MerkleFrontier>(SCROLLS.map((s) => [s, new MerkleFrontier()]));
  sinceAnchor = 0;
  epoch = 0;

  /** Appends a receipt and returns its id, derived from its content hash. */
  append(scroll: string, type: string, timeMs: number): ReceiptEntry {
    const frontier = this.frontier(scroll);
    const seq = frontier.size + 1;
    const leaf = leafHash(`${scroll}|${type}|${seq}|${timeMs}`);
    frontier.append(leaf);
    this.sinceAnchor++;
    return { id: `rcpt_${leaf.toString('hex', 0, 12)}`, seq };
  }

  root(scroll: string): string {
    return this.frontier(scroll).root();
  }

  size(scroll: string): number {
    return this.frontier(scroll).size;
  }

  private frontier(scroll: string): MerkleFrontier {
    const frontier = this.frontiers.get(scroll);
    if (!frontier) throw new Error(`unknown scroll ${scroll}`);
    return frontier;
  }
}
