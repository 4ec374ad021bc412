/** A time-ordered queue of model events; ties run in the order they were scheduled. */
export class Scheduler {
  private heap: { at: number; seq: number; run: (at: number) => void }[] = [];
  private seq = 0;

  schedule(at: number, run: (at: number) => void): void {
    const item = { at, seq: this.seq++, run };
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  /** Run every event due at or before `time`, including ones scheduled by the events themselves. */
  runUntil(time: number): void {
    while (this.heap.length > 0 && this.heap[0]!.at <= time) {
      const next = this.pop();
      next.run(next.at);
    }
  }

  get size(): number {
    return this.heap.length;
  }

  private pop(): { at: number; seq: number; run: (at: number) => void } {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < heap.length && before(heap[l]!, heap[smallest]!)) smallest = l;
        if (r < heap.length && before(heap[r]!, heap[smallest]!)) smallest = r;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top;
  }
}

function before(a: { at: number; seq: number }, b: { at: number; seq: number }): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
