/** A bounded FIFO: pushing into a full buffer evicts the oldest item, so memory stays within `capacity`. */
export class RingBuffer<T> {
  readonly capacity: number;
  private readonly slots: (T | undefined)[];
  private head = 0;
  private count = 0;
  private evicted = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`RingBuffer capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
    this.slots = new Array<T | undefined>(capacity);
  }

  /** Number of items held now. */
  get size(): number {
    return this.count;
  }

  /** Items evicted by `push` since construction (cumulative; `clear` does not reset it). */
  get dropped(): number {
    return this.evicted;
  }

  /** Append an item; returns true when the oldest item was evicted to make room. */
  push(item: T): boolean {
    if (this.count < this.capacity) {
      this.slots[(this.head + this.count) % this.capacity] = item;
      this.count++;
      return false;
    }
    this.slots[this.head] = item;
    this.head = (this.head + 1) % this.capacity;
    this.evicted++;
    return true;
  }

  /** The item at `index` counted from the oldest (0), or undefined when out of range. */
  at(index: number): T | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return undefined;
    return this.slots[(this.head + index) % this.capacity];
  }

  /** Remove up to `n` of the oldest items (not counted as dropped); returns how many were removed. */
  removeOldest(n: number): number {
    const removed = Math.max(0, Math.min(Math.floor(n), this.count));
    for (let i = 0; i < removed; i++) {
      this.slots[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
    }
    this.count -= removed;
    return removed;
  }

  /** Copy of the contents, oldest first. */
  toArray(): T[] {
    const out = new Array<T>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.slots[(this.head + i) % this.capacity] as T;
    return out;
  }

  /** Remove every item. */
  clear(): void {
    this.slots.fill(undefined);
    this.head = 0;
    this.count = 0;
  }
}
