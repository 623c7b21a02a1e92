/**
 * A binary min-heap ordered by `time`, then by insertion order: items with equal times come out
 * in the order they went in (a stable priority queue, so that runs are deterministic).
 */
export type MinHeap<T> = {
  push(time: number, item: T): void;
  pop(): { time: number; item: T } | undefined;
  peekTime(): number | undefined;
  readonly size: number;
};

type Entry<T> = { time: number; seq: number; item: T };

export function createMinHeap<T>(): MinHeap<T> {
  const heap: Entry<T>[] = [];
  let seq = 0;
  const less = (a: Entry<T>, b: Entry<T>): boolean => a.time < b.time || (a.time === b.time && a.seq < b.seq);
  return {
    push(time, item) {
      const entry = { time, seq: seq++, item };
      heap.push(entry);
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!less(entry, heap[parent]!)) break;
        heap[i] = heap[parent]!;
        i = parent;
      }
      heap[i] = entry;
    },
    pop() {
      const top = heap[0];
      if (!top) return undefined;
      const last = heap.pop()!;
      if (heap.length > 0) {
        let i = 0;
        const n = heap.length;
        for (;;) {
          const l = 2 * i + 1;
          if (l >= n) break;
          const r = l + 1;
          const c = r < n && less(heap[r]!, heap[l]!) ? r : l;
          if (!less(heap[c]!, last)) break;
          heap[i] = heap[c]!;
          i = c;
        }
        heap[i] = last;
      }
      return { time: top.time, item: top.item };
    },
    peekTime() {
      return heap[0]?.time;
    },
    get size() {
      return heap.length;
    },
  };
}
