/**
 * The latest entries, bounded both in number and in bytes (as `sizeOf` measures them): one huge entry
 * evicts the older ones instead of growing memory, and an entry larger than the whole budget is not kept.
 */
export class BoundedLog<T> {
  private entries: { item: T; bytes: number }[] = [];
  private head = 0;
  private totalBytes = 0;

  constructor(
    private readonly sizeOf: (item: T) => number,
    readonly maxEntries = 1000,
    readonly maxBytes = 4 << 20,
  ) {}

  get bytes(): number {
    return this.totalBytes;
  }

  get size(): number {
    return this.entries.length - this.head;
  }

  /** Appends the entry, evicting the oldest until both bounds hold; false when the entry alone is too big. */
  push(item: T): boolean {
    const bytes = this.sizeOf(item);
    if (bytes > this.maxBytes) return false;
    this.entries.push({ item, bytes });
    this.totalBytes += bytes;
    while (this.size > this.maxEntries || this.totalBytes > this.maxBytes) {
      this.totalBytes -= this.entries[this.head]!.bytes;
      this.head++;
    }
    // Drop the evicted slots now and then, not on every push.
    if (this.head > this.maxEntries) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    return true;
  }

  /** Copy of the entries, oldest first. */
  toArray(): T[] {
    return this.entries.slice(this.head).map((e) => e.item);
  }
}
